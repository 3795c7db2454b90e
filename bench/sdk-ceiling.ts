import { GetRecordsCommand, KinesisClient, PutRecordsCommand, type KinesisClientConfig } from '@aws-sdk/client-kinesis';
import { Readable } from 'node:stream';

/**
 * How fast the AWS SDK itself can go on this machine, with no server at all: a request
 * handler that answers canned bodies, so only the SDK's own work (serializing, signing,
 * parsing, base64) is measured. It bounds what any Kinesis server can show through it.
 */
export interface SdkCeiling {
  /** Records per second through PutRecords of 500 and GetRecords of 10,000. */
  put: number;
  get: number;
  /** CPU (µs) the SDK spends on one small call: a PutRecords of 10 short records, an empty GetRecords. */
  smallPutCpu: number;
  emptyGetCpu: number;
}

export async function measureSdkCeiling(records: number, size: number): Promise<SdkCeiling> {
  const data = Buffer.alloc(size, 7);
  const putAnswer = JSON.stringify({
    FailedRecordCount: 0,
    Records: putAnswerOf(500),
  });
  const getAnswer = JSON.stringify({
    Records: Array.from({ length: 10_000 }, (_, i) => ({
      SequenceNumber: `4${String(i).padStart(39, '0')}`,
      ApproximateArrivalTimestamp: 1.7e9,
      Data: data.toString('base64'),
      PartitionKey: `pk-${i}`,
    })),
    NextShardIterator: 'it',
    MillisBehindLatest: 0,
  });
  let answer = putAnswer;
  const handler = {
    handle: async () => ({
      response: { statusCode: 200, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: Readable.from([Buffer.from(answer)]) },
    }),
    updateHttpClientConfig: () => undefined,
    httpHandlerConfigs: () => ({}),
  } as unknown as KinesisClientConfig['requestHandler'];
  const kinesis = new KinesisClient({
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:1',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    requestHandler: handler,
  });
  const Records = Array.from({ length: 500 }, (_, i) => ({ PartitionKey: `pk-${i}`, Data: data }));
  let start = performance.now();
  for (let sent = 0; sent < records; sent += 500) await kinesis.send(new PutRecordsCommand({ StreamName: 's', Records }));
  const put = records / ((performance.now() - start) / 1000);
  answer = getAnswer;
  start = performance.now();
  for (let read = 0; read < records; read += 10_000) await kinesis.send(new GetRecordsCommand({ ShardIterator: 'it' }));
  const get = records / ((performance.now() - start) / 1000);
  answer = JSON.stringify({ FailedRecordCount: 0, Records: putAnswerOf(10) });
  const small = Array.from({ length: 10 }, (_, i) => ({ PartitionKey: `k${i}`, Data: Buffer.from('1764100000000.123') }));
  const smallPutCpu = await cpuPerCall(() => kinesis.send(new PutRecordsCommand({ StreamName: 's', Records: small })));
  answer = JSON.stringify({ Records: [], NextShardIterator: 'it', MillisBehindLatest: 0 });
  const emptyGetCpu = await cpuPerCall(() => kinesis.send(new GetRecordsCommand({ ShardIterator: 'it' })));
  kinesis.destroy();
  return { put, get, smallPutCpu, emptyGetCpu };
}

function putAnswerOf(n: number) {
  return Array.from({ length: n }, (_, i) => ({ SequenceNumber: `4${String(i).padStart(39, '0')}`, ShardId: 'shardId-000000000000' }));
}

/** Mean CPU time (µs) of one call, after a warm-up. */
async function cpuPerCall(call: () => Promise<unknown>, calls = 2000): Promise<number> {
  for (let i = 0; i < 200; i++) await call();
  const cpu = process.cpuUsage();
  for (let i = 0; i < calls; i++) await call();
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / calls;
}
