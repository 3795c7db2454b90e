import type { DataSource } from 'typeorm';
import { ResourcePolicyEntity } from '../entities/resource-policy.entity';

/** Resource policies (PutResourcePolicy & co.) by resource ARN, each belonging to a stream. */
export class ResourcePolicyRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Attaches or replaces the policy of the resource `arn` (a stream of `streamId`, or one of its consumers). */
  async put(streamId: string, arn: string, policy: string): Promise<void> {
    await this.dataSource
      .getRepository(ResourcePolicyEntity)
      .upsert({ resourceArn: arn, streamId, policy, updatedAt: this.clock() }, ['resourceArn']);
  }

  /** The policy of `arn` on the stream `streamId`, undefined when it has none. */
  async get(streamId: string, arn: string): Promise<string | undefined> {
    const row = await this.dataSource.getRepository(ResourcePolicyEntity).findOneBy({ resourceArn: arn, streamId });
    return row?.policy;
  }

  async delete(streamId: string, arn: string): Promise<void> {
    await this.dataSource.getRepository(ResourcePolicyEntity).delete({ resourceArn: arn, streamId });
  }
}
