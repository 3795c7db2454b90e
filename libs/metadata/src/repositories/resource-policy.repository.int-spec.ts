import type { DataSource } from 'typeorm';
import { testDatabaseUrl } from '../../../../test/support/database';
import { randomName } from '../../../../test/support/random-name';
import { createDataSource } from '../data-source';
import { newStream } from '../testing/stream-fixture';
import { ResourcePolicyRepository } from './resource-policy.repository';
import { StreamRepository } from './stream.repository';

describe('ResourcePolicyRepository', () => {
  let dataSource: DataSource;
  let streams: StreamRepository;
  let policies: ResourcePolicyRepository;

  beforeAll(async () => {
    dataSource = await createDataSource(testDatabaseUrl()).initialize();
    streams = new StreamRepository(dataSource);
    policies = new ResourcePolicyRepository(dataSource);
  });
  afterAll(() => dataSource.destroy());

  it('puts, replaces, reads and deletes a policy by resource ARN', async () => {
    const stream = await streams.create(newStream(randomName()));
    const consumerArn = `${stream.arn}/consumer/c:1700000000`;
    expect(await policies.get(stream.id, stream.arn)).toBeUndefined();
    await policies.put(stream.id, stream.arn, '{"a":1}');
    await policies.put(stream.id, stream.arn, '{"a":2}');
    await policies.put(stream.id, consumerArn, '{"c":1}');
    expect(await policies.get(stream.id, stream.arn)).toBe('{"a":2}');
    expect(await policies.get(stream.id, consumerArn)).toBe('{"c":1}');
    await policies.delete(stream.id, stream.arn);
    expect(await policies.get(stream.id, stream.arn)).toBeUndefined();
    expect(await policies.get(stream.id, consumerArn)).toBe('{"c":1}');
  });

  it('does not answer another stream’s policy for a re-used ARN', async () => {
    const first = await streams.create(newStream(randomName()));
    await policies.put(first.id, first.arn, '{}');
    expect(await policies.get('00000000-0000-0000-0000-000000000000', first.arn)).toBeUndefined();
  });

  it('goes with its stream when the stream row is purged', async () => {
    const now = new Date();
    const repo = new StreamRepository(dataSource, () => now);
    const stream = await repo.create(newStream(randomName()));
    await policies.put(stream.id, stream.arn, '{"x":true}');
    await repo.markDeleting(stream.id, new Date(now.getTime() - 1000));
    await repo.purgeGone();
    expect(await policies.get(stream.id, stream.arn)).toBeUndefined();
  });
});
