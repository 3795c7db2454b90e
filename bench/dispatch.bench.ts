/**
 * `npm run bench:dispatch`: the server's own cost of PutRecords without HTTP or the SDK —
 * JSON bodies of 500 records of 1 KiB handed straight to the Kinesis dispatcher (parse,
 * validate, route, batch, actor, JetStream) of an in-process platform, 4 in flight.
 */
import { KinesisDispatcher } from '../apps/gateway/src/kinesis/kinesis-dispatcher';
import { startTestPlatform } from '../test/support/platform';

async function main(): Promise<void> {
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
  await test.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
