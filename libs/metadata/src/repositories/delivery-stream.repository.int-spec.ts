import type { DataSource } from 'typeorm';
import type { DeliveryDestination } from '@shardline/protocol';
import { testDatabaseUrl } from '../../../../test/support/database';
import { randomName } from '../../../../test/support/random-name';
import { createDataSource } from '../data-source';
import { DeliveryStreamRepository } from './delivery-stream.repository';

const destination = {
  kind: 'ExtendedS3',
  config: { RoleARN: 'arn:aws:iam::000000000000:role/r', BucketARN: 'arn:aws:s3:::b', S3BackupMode: 'Disabled' },
} as unknown as DeliveryDestination;

describe('DeliveryStreamRepository', () => {
  let dataSource: DataSource;
  let now = Date.now();
  let repository: DeliveryStreamRepository;

  beforeAll(async () => {
    dataSource = await createDataSource(testDatabaseUrl()).initialize();
    repository = new DeliveryStreamRepository(dataSource, { region: 'us-east-1', accountId: '000000000000' }, () => new Date(now));
  });
  afterAll(() => dataSource.destroy());

  it('derives CREATING -> ACTIVE -> DELETING -> gone from time, and frees the name when gone', async () => {
    const name = randomName('ds');
    const created = await repository.create({ name, type: 'DirectPut', destination, activeAt: new Date(now + 1000) });
    expect(created).toMatchObject({ name, status: 'CREATING', versionId: 1, arn: `arn:aws:firehose:us-east-1:000000000000:deliverystream/${name}` });
    now += 1000;
    expect((await repository.findByName(name))?.status).toBe('ACTIVE');
    expect((await repository.findById(created.id))?.destination).toEqual(destination);
    await expect(repository.create({ name, type: 'DirectPut', destination, activeAt: new Date(now) })).rejects.toThrow(/already exists/);
    expect(await repository.markDeleting(created.id, new Date(now + 500))).toBe(true);
    expect(await repository.markDeleting(created.id, new Date(now + 500))).toBe(false);
    expect((await repository.findByName(name))?.status).toBe('DELETING');
    await expect(repository.create({ name, type: 'DirectPut', destination, activeAt: new Date(now) })).rejects.toThrow(/already exists/);
    now += 500;
    expect(await repository.findByName(name)).toBeUndefined();
    expect(await repository.goneIds()).toContain(created.id);
    const again = await repository.create({ name, type: 'DirectPut', destination, activeAt: new Date(now) });
    expect(again.id).not.toBe(created.id);
    await repository.remove([created.id]);
    expect(await repository.goneIds()).not.toContain(created.id);
  });

  it('updates the destination only at the expected version', async () => {
    const stream = await repository.create({ name: randomName('ds'), type: 'DirectPut', destination, activeAt: new Date(now) });
    const http = { kind: 'HttpEndpoint', config: { EndpointConfiguration: { Url: 'https://x' } } } as unknown as DeliveryDestination;
    expect(await repository.updateDestination(stream.id, 2, http)).toBe(false);
    expect(await repository.updateDestination(stream.id, 1, http)).toBe(true);
    expect(await repository.findById(stream.id)).toMatchObject({ versionId: 2, destination: http });
  });

  it('keeps tags up to the limit, and lists by type', async () => {
    const source = { kinesisStreamArn: 'arn:aws:kinesis:us-east-1:000000000000:stream/s', roleArn: 'arn:aws:iam::000000000000:role/r', streamId: '00000000-0000-0000-0000-000000000001' };
    const name = randomName('ks');
    const stream = await repository.create({ name, type: 'KinesisStreamAsSource', source, destination, activeAt: new Date(now), tags: [{ key: 'a', value: '1' }] });
    expect(stream.source).toMatchObject({ kinesisStreamArn: source.kinesisStreamArn, streamId: source.streamId });
    await repository.addTags(stream.id, name, [{ key: 'b' }], 2);
    await expect(repository.addTags(stream.id, name, [{ key: 'c' }], 2)).rejects.toThrow(/at most 2 tags/);
    expect(await repository.listTags(stream.id)).toEqual([{ key: 'a', value: '1' }, { key: 'b' }]);
    const page = await repository.list({ limit: 10000, type: 'KinesisStreamAsSource' });
    expect(page.names).toContain(name);
    expect((await repository.list({ limit: 10000, type: 'DirectPut' })).names).not.toContain(name);
    expect((await repository.all()).map((s) => s.name)).toContain(name);
  });
});
