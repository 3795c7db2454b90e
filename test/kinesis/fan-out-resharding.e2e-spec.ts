import { SplitShardCommand, type KinesisClient, type _Record } from '@aws-sdk/client-kinesis';
import { activeConsumer, recordsOf, subscribe, type TestSubscription } from '../support/fan-out';
import { createActiveStream } from '../support/kinesis';
import { kinesisClient, startTestPlatform, type TestPlatform } from '../support/platform';
import { randomName } from '../support/random-name';
import { expectExactlyOnceInOrder, PutLoad, type ReadRecord } from '../support/resharding';

const PARENT = 'shardId-000000000000';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A record as a reader of the stream's lineage saw it (Data is `<key>:<n>`, as PutLoad writes). */
function readRecord(shardId: string, record: _Record): ReadRecord {
  const [key, n] = Buffer.from(record.Data!).toString().split(':');
  return { key: key!, n: Number(n), shardId, sequenceNumber: record.SequenceNumber! };
}

/**
 * SubscribeToShard through the SDK across a SplitShard under a steady put load, followed as
 * KCL follows it: the parent's subscription ends with an event carrying ChildShards, and the
 * reader carries on with the children from TRIM_HORIZON.
 */
describe('SubscribeToShard across a reshard', () => {
  let platform: TestPlatform;
  let kinesis: KinesisClient;

  beforeAll(async () => {
    platform = await startTestPlatform({ consumerCreateDelayMs: 50, subscriptionKeepAliveMs: 300, updateDelayMs: 100 });
    kinesis = kinesisClient(platform.endpoint, 'h2c');
  });
  afterAll(async () => {
    kinesis.destroy();
    await platform.close();
  });

  it('ends the parent with ChildShards and carries on with the children: every record once, each key in order', async () => {
    const StreamName = randomName('efo-split');
    await createActiveStream(kinesis, { StreamName, ShardCount: 1 });
    const ConsumerARN = await activeConsumer(kinesis, StreamName, 'reader');
    const parent = await subscribe(kinesis, ConsumerARN, PARENT, { Type: 'TRIM_HORIZON' });
    const load = new PutLoad(kinesis, StreamName).start();
    await sleep(400);
    await kinesis.send(new SplitShardCommand({ StreamName, ShardToSplit: PARENT, NewStartingHashKey: (2n ** 127n).toString() }));

    await parent.until((events) => events.some((seen) => seen.event.ChildShards !== undefined), 15_000);
    const last = parent.events.at(-1)!.event;
    expect(last.ContinuationSequenceNumber).toBeUndefined();
    const childIds = last.ChildShards!.map((child) => child.ShardId!).sort();
    expect(childIds).toEqual(['shardId-000000000001', 'shardId-000000000002']);
    for (const child of last.ChildShards!) expect(child.ParentShards).toEqual([PARENT]);
    expect(await parent.ended).toBeUndefined();

    await sleep(400);
    await load.stop();
    expect(load.failed).toBe(0);
    const children: TestSubscription[] = [];
    for (const id of childIds) children.push(await subscribe(kinesis, ConsumerARN, id, { Type: 'TRIM_HORIZON' }));
    const delivered = () => recordsOf(parent.events).length + children.reduce((n, c) => n + recordsOf(c.events).length, 0);
    for (let waited = 0; delivered() < load.acked.size && waited < 15_000; waited += 50) await sleep(50);
    children.forEach((child) => child.stop());

    const read = [
      ...recordsOf(parent.events).map((r) => readRecord(PARENT, r)),
      ...children.flatMap((child, i) => recordsOf(child.events).map((r) => readRecord(childIds[i]!, r))),
    ];
    expect(recordsOf(parent.events).length).toBeGreaterThan(0);
    expect(read.length - recordsOf(parent.events).length).toBeGreaterThan(0);
    expectExactlyOnceInOrder(read, load.acked);
  });
});
