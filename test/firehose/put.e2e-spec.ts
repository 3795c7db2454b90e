import { createHash } from 'node:crypto';
import { CreateDeliveryStreamCommand, PutRecordBatchCommand, PutRecordCommand, type FirehoseClient } from '@aws-sdk/client-firehose';
import { connect, type JetStreamManager, type NatsConnection } from 'nats';
import { decodeMessage, deliveryStreamStreamName } from '@shardline/messaging';
import { decodeRecordId } from '@shardline/firehose';
import { expectAwsError } from '../support/kinesis';
import { startTestPlatform, type TestPlatform } from '../support/platform';
import { randomName } from '../support/random-name';
import { BUCKET_ARN, ROLE_ARN, firehoseClient, removeDeliveryStorage, waitStatus } from './support';

const KIB = 1024;

/** Digests to compare: Jest's deep equality walks a Buffer byte by byte, seconds for megabytes. */
const digests = (buffers: Buffer[]) => buffers.map((buffer) => createHash('sha256').update(buffer).digest('hex'));

describe('Firehose PutRecord / PutRecordBatch (SDK, direct put)', () => {
  let platform: TestPlatform;
  let firehose: FirehoseClient;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  const DeliveryStreamName = randomName('put');
  let id: string;

  beforeAll(async () => {
    // CREATING lasts 2 s: long enough to see it from a loaded machine (300 ms was not, under the
    // full suite: the put came after the stream was ACTIVE), and the file waits for it twice only.
    platform = await startTestPlatform({ createDelayMs: 2000 });
    firehose = firehoseClient(platform.endpoint);
    nc = await connect({ servers: platform.config.natsUrl });
    jsm = await nc.jetstreamManager();
    await firehose.send(
      new CreateDeliveryStreamCommand({ DeliveryStreamName, ExtendedS3DestinationConfiguration: { RoleARN: ROLE_ARN, BucketARN: BUCKET_ARN } }),
    );
    await waitStatus(firehose, DeliveryStreamName);
    const rows: Array<{ id: string }> = await platform.platform.dataSource.query('SELECT id FROM delivery_streams WHERE name = $1', [
      DeliveryStreamName,
    ]);
    id = rows[0].id;
  });
  afterAll(async () => {
    firehose.destroy();
    await nc.close();
    await removeDeliveryStorage(platform.config.databaseUrl);
    await platform.close();
  });

  /** The records stored at `seq` (one JetStream message), decoded. */
  async function storedAt(seq: number): Promise<{ data: Buffer[]; timestamp: number }> {
    const message = await jsm.streams.getMessage(deliveryStreamStreamName(id), { seq });
    const decoded = decodeMessage(message.data);
    if (decoded.kind !== 'records') throw new Error(`message ${seq} is a ${decoded.kind}`);
    return { data: decoded.records.map((record) => Buffer.from(record.data)), timestamp: decoded.timestamp };
  }

  it('PutRecord stores the record in the delivery stream\'s JetStream stream; its RecordId names the position', async () => {
    const data = Buffer.from('{"hello":"firehose"}\n');
    const before = Date.now();
    const { RecordId, Encrypted } = await firehose.send(new PutRecordCommand({ DeliveryStreamName, Record: { Data: data } }));
    expect(Encrypted).toBe(false);
    const position = decodeRecordId(RecordId!);
    expect(position).toEqual({ seq: expect.any(Number), index: 0 });
    const stored = await storedAt(position!.seq);
    expect(stored.data).toEqual([data]);
    expect(stored.timestamp).toBeGreaterThanOrEqual(before - 1000);
  });

  it('PutRecordBatch of 500 records of 1 KiB: one message, every record back with the same bytes, in order', async () => {
    const records = Array.from({ length: 500 }, (_, i) => Buffer.alloc(KIB, i % 251));
    const answer = await firehose.send(new PutRecordBatchCommand({ DeliveryStreamName, Records: records.map((Data) => ({ Data })) }));
    expect(answer.FailedPutCount).toBe(0);
    expect(answer.RequestResponses).toHaveLength(500);
    const positions = answer.RequestResponses!.map((response) => decodeRecordId(response.RecordId!)!);
    expect(new Set(positions.map((p) => p.seq)).size).toBe(1);
    expect(positions.map((p) => p.index)).toEqual(records.map((_, i) => i));
    const stored = await storedAt(positions[0].seq);
    expect(digests(stored.data)).toEqual(digests(records));
  });

  it('a batch larger than one NATS message spreads over several messages, still in order', async () => {
    const records = Array.from({ length: 4 }, (_, i) => Buffer.alloc(900 * KIB, i + 1));
    const answer = await firehose.send(new PutRecordBatchCommand({ DeliveryStreamName, Records: records.map((Data) => ({ Data })) }));
    expect(answer.FailedPutCount).toBe(0);
    const positions = answer.RequestResponses!.map((response) => decodeRecordId(response.RecordId!)!);
    const read: Buffer[] = [];
    for (const position of positions) read.push((await storedAt(position.seq)).data[position.index]);
    expect(digests(read)).toEqual(digests(records));
  });

  it('refuses more than 500 records, a record over 1,000 KiB and a batch over 4 MiB', async () => {
    const many = Array.from({ length: 501 }, () => ({ Data: Buffer.from('x') }));
    await expectAwsError(
      firehose.send(new PutRecordBatchCommand({ DeliveryStreamName, Records: many })),
      'ValidationException',
      /^1 validation error detected: Value '.*' at 'records' failed to satisfy constraint: Member must have length less than or equal to 500$/,
    );
    await expectAwsError(
      firehose.send(new PutRecordCommand({ DeliveryStreamName, Record: { Data: Buffer.alloc(1_024_001) } })),
      'ValidationException',
      "1 validation error detected: Value 'java.nio.HeapByteBuffer[pos=0 lim=1024001 cap=1024001]' at 'record.data' failed to satisfy constraint: Member must have length less than or equal to 1024000",
    );
    const big = Array.from({ length: 5 }, () => ({ Data: Buffer.alloc(1_000 * KIB) }));
    await expectAwsError(firehose.send(new PutRecordBatchCommand({ DeliveryStreamName, Records: big })), 'InvalidArgumentException', /4194304/);
  });

  it('refuses a delivery stream that does not exist, and one still CREATING, as not found', async () => {
    const account = platform.config.accountId;
    await expectAwsError(
      firehose.send(new PutRecordCommand({ DeliveryStreamName: 'nope', Record: { Data: Buffer.from('x') } })),
      'ResourceNotFoundException',
      `Firehose nope under account ${account} not found.`,
    );
    const creating = randomName('creating');
    await firehose.send(
      new CreateDeliveryStreamCommand({ DeliveryStreamName: creating, ExtendedS3DestinationConfiguration: { RoleARN: ROLE_ARN, BucketARN: BUCKET_ARN } }),
    );
    await expectAwsError(
      firehose.send(new PutRecordCommand({ DeliveryStreamName: creating, Record: { Data: Buffer.from('x') } })),
      'ResourceNotFoundException',
      `Firehose ${creating} under account ${account} not found.`,
    );
    await waitStatus(firehose, creating);
    const { RecordId } = await firehose.send(new PutRecordCommand({ DeliveryStreamName: creating, Record: { Data: Buffer.from('x') } }));
    expect(decodeRecordId(RecordId!)).toEqual({ seq: 1, index: 0 });
  });
});
