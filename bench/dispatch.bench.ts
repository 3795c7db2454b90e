/**
 * `npm run bench:dispatch`: the server's own cost of PutRecords without HTTP or the SDK —
 * JSON bodies of 500 records of 1 KiB handed straight to the Kinesis dispatcher (parse,
 * validate, route, batch, actor, JetStream) of an in-process platform, 4 in flight; then
 * GetRecords reading everything back, one reader per shard, answers serialized as for the wire.
 */
import { KinesisDispatcher } from '../apps/gateway/src/kinesis/kinesis-dispatcher';
import { startTestPlatform } from '../test/support/platform';

async function main(): Promise<void> {
  // startTestPlatform turns shard limits off: the bench puts far above a shard's 1,000 records/s.
  const test = await startTestPlatform();
  const backend = test.platform.backend;
  const dispatcher = new KinesisDispatcher(backend, { region: 'us-east-1', accountId: '000000000000', now: () => new Date() });
  const StreamName = `dispatch-${Date.now()}`;
  await backend.createStream({ name: StreamName, shardCount: 4, mode: 'PROVISIONED' });
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const data = Buffer.alloc(1024, 7).toString('base64');
  const bodies = Array.from({ length: 50 }, (_, b) =>
    Buffer.from(JSON.stringify({ StreamName, Records: Array.from({ length: 500 }, (_, i) => ({ PartitionKey: `pk-${b}-${i}`, Data: data })) })),
  );
  for (let round = 1; round <= 3; round++) {
    const cpu = process.cpuUsage();
    const start = performance.now();
    let next = 0;
    const worker = async () => {
      while (next < 200) {
        const answer = await dispatcher.dispatch('Kinesis_20131202.PutRecords', 'application/x-amz-json-1.1', bodies[next++ % 50]);
        if (answer.status !== 200 || !('body' in answer)) throw new Error(JSON.stringify(answer));
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    const used = process.cpuUsage(cpu);
    const rate = Math.round(100_000 / ((performance.now() - start) / 1000));
    console.log(`round ${round}: ${rate.toLocaleString('en-US')} records/s, ${((used.user + used.system) / 100_000).toFixed(1)} µs CPU per record (gateway + actor, no HTTP)`);
  }
  await readAll(dispatcher, StreamName);
  await test.close();
}

async function readAll(dispatcher: KinesisDispatcher, StreamName: string): Promise<void> {
  /** The text of a one-body answer (GetRecords and GetShardIterator never stream). */
  const text = async (operation: string, input: object) => {
    const answer = await dispatcher.dispatch(`Kinesis_20131202.${operation}`, 'application/x-amz-json-1.1', Buffer.from(JSON.stringify(input)));
    if (answer.status !== 200 || !('body' in answer)) throw new Error(JSON.stringify(answer));
    return String(answer.body);
  };
  const call = async (operation: string, input: object) => JSON.parse(await text(operation, input)) as Record<string, string>;
  const cpu = process.cpuUsage();
  const start = performance.now();
  let records = 0;
  await Promise.all(
    ['shardId-000000000000', 'shardId-000000000001', 'shardId-000000000002', 'shardId-000000000003'].map(async (ShardId) => {
      let { ShardIterator } = await call('GetShardIterator', { StreamName, ShardId, ShardIteratorType: 'TRIM_HORIZON' });
      for (;;) {
        // The records are counted without parsing the answer: parsing is the client's cost, not the server's.
        const body = await text('GetRecords', { ShardIterator });
        const count = body.split('"SequenceNumber"').length - 1;
        records += count;
        if (count === 0) return;
        ShardIterator = /"NextShardIterator":"([^"]+)"/.exec(body)![1];
      }
    }),
  );
  const used = process.cpuUsage(cpu);
  const rate = Math.round(records / ((performance.now() - start) / 1000));
  console.log(`get: ${rate.toLocaleString('en-US')} records/s, ${((used.user + used.system) / records).toFixed(1)} µs CPU per record (${records} records; gateway, no HTTP)`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
