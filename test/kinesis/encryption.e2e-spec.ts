import { randomBytes, randomUUID } from 'node:crypto';
import {
  DescribeStreamCommand,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
  PutRecordCommand,
  PutRecordsCommand,
  StartStreamEncryptionCommand,
  StopStreamEncryptionCommand,
  type _Record,
} from '@aws-sdk/client-kinesis';
import { activeConsumer, recordsOf, subscribe } from '../support/fan-out';
import { createActiveStream, expectAwsError, readShard } from '../support/kinesis';
import { kinesisClient, startTestPlatform, type TestPlatform } from '../support/platform';
import { randomName } from '../support/random-name';

const SHARD = 'shardId-000000000000';
const KEY_ID = randomUUID();
const ACCOUNT = '000000000000';
const kmsKeys = JSON.stringify({ [KEY_ID]: randomBytes(32).toString('base64'), 'alias/shardline-test': KEY_ID });
const text = (record: _Record) => Buffer.from(record.Data!).toString();

/** Server-side encryption through the unmodified SDK (default h2c), against real JetStream storage. */
describe('stream encryption', () => {
  let test: TestPlatform;
  let kinesis: KinesisClient;

  beforeAll(async () => {
    test = await startTestPlatform({ kmsKeys });
    kinesis = kinesisClient(test.endpoint, 'h2c');
  });
  afterAll(async () => {
    kinesis.destroy();
    await test.close();
  });

  /** Every stored byte of the stream's only shard, as JetStream holds it. */
  async function rawShard(StreamName: string): Promise<Buffer> {
    const stream = await test.platform.repository.findByName(StreamName);
    const address = { streamId: stream!.id, shardIndex: 0 };
    const { lastSeq } = await test.platform.store.bounds(address);
    return Buffer.concat((await test.platform.store.getRange(address, 1, lastSeq)).map((m) => Buffer.from(m.payload)));
  }

  const start = (StreamName: string, KeyId: string) =>
    kinesis.send(new StartStreamEncryptionCommand({ StreamName, EncryptionType: 'KMS', KeyId }));

  it('stores records written while it is on encrypted, reads them back identical, and says KMS everywhere', async () => {
    const StreamName = randomName('sse');
    await createActiveStream(kinesis, { StreamName, ShardCount: 1 });
    await start(StreamName, 'alias/aws/kinesis');

    const { StreamDescription } = await kinesis.send(new DescribeStreamCommand({ StreamName }));
    expect(StreamDescription).toMatchObject({ EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis', StreamStatus: 'ACTIVE' });
    const { StreamDescriptionSummary } = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName }));
    expect(StreamDescriptionSummary).toMatchObject({ EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' });

    const big = Buffer.alloc(1024 * 1024, 'confidential-big-');
    const Records = [
      ...Array.from({ length: 50 }, (_, i) => ({ PartitionKey: `secret-key-${i}`, Data: Buffer.from(`secret-payload-${i}`) })),
      { PartitionKey: 'secret-key-big', Data: big },
    ];
    const put = await kinesis.send(new PutRecordsCommand({ StreamName, Records }));
    expect(put).toMatchObject({ FailedRecordCount: 0, EncryptionType: 'KMS' });
    const single = await kinesis.send(new PutRecordCommand({ StreamName, PartitionKey: 'secret-key-single', Data: Buffer.from('secret-single') }));
    expect(single.EncryptionType).toBe('KMS');

    const read = await readShard(kinesis, StreamName, SHARD);
    expect(read.map((r) => r.SequenceNumber)).toEqual([...put.Records!.map((r) => r.SequenceNumber), single.SequenceNumber]);
    expect(read.map((r) => r.PartitionKey)).toEqual([...Records.map((r) => r.PartitionKey), 'secret-key-single']);
    expect(Buffer.from(read[50].Data!).equals(big)).toBe(true);
    expect(read.slice(0, 50).map(text)).toEqual(Records.slice(0, 50).map((r) => r.Data.toString()));
    expect(read.every((r) => r.EncryptionType === 'KMS')).toBe(true);

    const raw = await rawShard(StreamName);
    expect(raw.length).toBeGreaterThan(big.length);
    for (const plaintext of ['secret-payload-', 'secret-key-', 'secret-single', 'confidential-big-']) expect(raw.includes(plaintext)).toBe(false);
  });

  it('writes plaintext again after StopStreamEncryption, and both kinds stay readable, also after a restart', async () => {
    const StreamName = randomName('sse-stop');
    await createActiveStream(kinesis, { StreamName, ShardCount: 1 });
    await start(StreamName, 'alias/shardline-test');
    await kinesis.send(new PutRecordCommand({ StreamName, PartitionKey: 'p', Data: Buffer.from('while-encrypted') }));
    await kinesis.send(new StopStreamEncryptionCommand({ StreamName, EncryptionType: 'KMS', KeyId: 'alias/shardline-test' }));
    const after = await kinesis.send(new PutRecordCommand({ StreamName, PartitionKey: 'p', Data: Buffer.from('after-stop') }));
    expect(after.EncryptionType).toBe('NONE');
    const { StreamDescription } = await kinesis.send(new DescribeStreamCommand({ StreamName }));
    expect(StreamDescription!.EncryptionType).toBe('NONE');
    expect(StreamDescription!.KeyId).toBeUndefined();

    const read = await readShard(kinesis, StreamName, SHARD);
    expect(read.map(text)).toEqual(['while-encrypted', 'after-stop']);
    expect(read.map((r) => r.EncryptionType)).toEqual(['KMS', undefined]);
    const raw = await rawShard(StreamName);
    expect(raw.includes('after-stop')).toBe(true);
    expect(raw.includes('while-encrypted')).toBe(false);

    // Another platform on the same database and keys (a restarted process) reads both.
    const restarted = await startTestPlatform({ kmsKeys, databaseUrl: test.config.databaseUrl });
    const client = kinesisClient(restarted.endpoint, 'h2c');
    try {
      const { ShardIterator } = await client.send(new GetShardIteratorCommand({ StreamName, ShardId: SHARD, ShardIteratorType: 'TRIM_HORIZON' }));
      const again = await client.send(new GetRecordsCommand({ ShardIterator }));
      expect(again.Records!.map(text)).toEqual(['while-encrypted', 'after-stop']);
    } finally {
      client.destroy();
      await restarted.close();
    }
  });

  it.each([
    ['an alias', 'alias/shardline-test'],
    ['an alias ARN', `arn:aws:kms:us-east-1:${ACCOUNT}:alias/shardline-test`],
    ['a key id', KEY_ID],
    ['a key ARN', `arn:aws:kms:us-east-1:${ACCOUNT}:key/${KEY_ID}`],
  ])('takes %s as KeyId', async (_kind, KeyId) => {
    const StreamName = randomName('sse-key');
    await createActiveStream(kinesis, { StreamName, ShardCount: 1 });
    await start(StreamName, KeyId);
    expect((await kinesis.send(new DescribeStreamSummaryCommand({ StreamName }))).StreamDescriptionSummary!.KeyId).toBe(KeyId);
    const put = await kinesis.send(new PutRecordCommand({ StreamName, PartitionKey: 'p', Data: Buffer.from(`under-${KeyId}`) }));
    expect(put.EncryptionType).toBe('KMS');
    const [record] = await readShard(kinesis, StreamName, SHARD);
    expect(text(record)).toBe(`under-${KeyId}`);
    expect((await rawShard(StreamName)).includes(`under-${KeyId}`)).toBe(false);
  });

  it('pushes decrypted records to SubscribeToShard, each marked with how it was stored', async () => {
    const StreamName = randomName('sse-efo');
    await createActiveStream(kinesis, { StreamName, ShardCount: 1 });
    const ConsumerARN = await activeConsumer(kinesis, StreamName, 'reader');
    const sub = await subscribe(kinesis, ConsumerARN, SHARD, { Type: 'TRIM_HORIZON' });
    await kinesis.send(new PutRecordCommand({ StreamName, PartitionKey: 'k', Data: Buffer.from('before') }));
    await start(StreamName, 'alias/aws/kinesis');
    await kinesis.send(new PutRecordCommand({ StreamName, PartitionKey: 'k', Data: Buffer.from('secret') }));
    await sub.until((events) => recordsOf(events).length >= 2);
    sub.stop();
    expect(recordsOf(sub.events).map((r) => [text(r), r.EncryptionType])).toEqual([
      ['before', 'NONE'],
      ['secret', 'KMS'],
    ]);
  });

  it('refuses an unknown key with KMSNotFoundException and leaves the stream unencrypted', async () => {
    const StreamName = randomName('sse-unknown');
    await createActiveStream(kinesis, { StreamName, ShardCount: 1 });
    await expectAwsError(start(StreamName, 'alias/no-such-key'), 'KMSNotFoundException', `Alias arn:aws:kms:us-east-1:${ACCOUNT}:alias/no-such-key is not found.`);
    const missing = randomUUID();
    await expectAwsError(start(StreamName, missing), 'KMSNotFoundException', `Key 'arn:aws:kms:us-east-1:${ACCOUNT}:key/${missing}' does not exist`);
    expect((await kinesis.send(new DescribeStreamCommand({ StreamName }))).StreamDescription!.EncryptionType).toBe('NONE');
    await expectAwsError(start(randomName('missing'), 'alias/aws/kinesis'), 'ResourceNotFoundException');
  });
});
