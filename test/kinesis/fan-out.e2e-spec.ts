import {
  DeleteStreamCommand,
  DeregisterStreamConsumerCommand,
  DescribeStreamConsumerCommand,
  DescribeStreamSummaryCommand,
  ListStreamConsumersCommand,
  PutRecordCommand,
  PutRecordsCommand,
  RegisterStreamConsumerCommand,
  SubscribeToShardCommand,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import { activeConsumer, recordsOf, subscribe } from '../support/fan-out';
import { createActiveStream, expectAwsError } from '../support/kinesis';
import { kinesisClient, startTestPlatform, TRANSPORTS, type TestPlatform } from '../support/platform';
import { randomName } from '../support/random-name';

const SHARD = 'shardId-000000000000';

describe.each(TRANSPORTS)('Enhanced fan-out over %s', (transport) => {
  let platform: TestPlatform;
  let kinesis: KinesisClient;

  beforeAll(async () => {
    platform = await startTestPlatform({
      consumerCreateDelayMs: 50,
      consumerDeleteDelayMs: 50,
      subscriptionKeepAliveMs: 300,
      subscriptionMaxMs: 2500,
    });
    kinesis = kinesisClient(platform.endpoint, transport);
  });
  afterAll(async () => {
    kinesis.destroy();
    await platform.close();
  });

  async function streamWithConsumer(shards = 1): Promise<{ StreamName: string; StreamARN: string; ConsumerARN: string }> {
    const StreamName = randomName('efo');
    await createActiveStream(kinesis, { StreamName, ShardCount: shards });
    const { StreamDescriptionSummary } = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName }));
    const ConsumerARN = await activeConsumer(kinesis, StreamName, 'app');
    return { StreamName, StreamARN: StreamDescriptionSummary!.StreamARN!, ConsumerARN };
  }

  it('delivers every record put after subscribing exactly once and in order', async () => {
    const { StreamName, ConsumerARN } = await streamWithConsumer();
    const sub = await subscribe(kinesis, ConsumerARN, SHARD, { Type: 'LATEST' });
    const sent: string[] = [];
    for (let batch = 0; batch < 10; batch++) {
      const Records = Array.from({ length: 30 }, (_, i) => ({ PartitionKey: 'k', Data: Buffer.from(`r-${batch * 30 + i}`) }));
      const answer = await kinesis.send(new PutRecordsCommand({ StreamName, Records }));
      sent.push(...answer.Records!.map((r) => r.SequenceNumber!));
    }
    await sub.until((events) => recordsOf(events).length >= 300);
    const got = recordsOf(sub.events);
    expect(got.map((r) => r.SequenceNumber)).toEqual(sent);
    expect(got.map((r) => Buffer.from(r.Data!).toString())).toEqual(sent.map((_, i) => `r-${i}`));
    expect(got[0]).toMatchObject({ PartitionKey: 'k', EncryptionType: 'NONE' });
    expect(got[0]!.ApproximateArrivalTimestamp).toBeInstanceOf(Date);
    const last = sub.events[sub.events.length - 1]!.event;
    expect(last.ContinuationSequenceNumber).toBe(sent[sent.length - 1]);
    expect(last.MillisBehindLatest).toBe(0);
    sub.stop();
  });

  it('starts at each StartingPosition type', async () => {
    const { StreamName, StreamARN } = await streamWithConsumer();
    const seqs: string[] = [];
    const arrivals: Date[] = [];
    for (let i = 0; i < 5; i++) {
      const { SequenceNumber } = await kinesis.send(new PutRecordCommand({ StreamName, PartitionKey: 'k', Data: Buffer.from(`r${i}`) }));
      seqs.push(SequenceNumber!);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const cases = [
      { position: { Type: 'TRIM_HORIZON' as const }, expected: seqs },
      { position: { Type: 'AT_SEQUENCE_NUMBER' as const, SequenceNumber: seqs[2] }, expected: seqs.slice(2) },
      { position: { Type: 'AFTER_SEQUENCE_NUMBER' as const, SequenceNumber: seqs[2] }, expected: seqs.slice(3) },
      { position: { Type: 'LATEST' as const }, expected: [] },
    ];
    const sub0 = await subscribe(kinesis, await activeConsumer(kinesis, StreamName, 'all'), SHARD, { Type: 'TRIM_HORIZON' });
    await sub0.until((events) => recordsOf(events).length === 5);
    arrivals.push(...recordsOf(sub0.events).map((r) => r.ApproximateArrivalTimestamp!));
    sub0.stop();
    cases.push({ position: { Type: 'AT_TIMESTAMP', Timestamp: arrivals[3] } as never, expected: seqs.slice(3) });
    for (const [i, { position, expected }] of cases.entries()) {
      const sub = await subscribe(kinesis, await activeConsumer(kinesis, StreamName, `c${i}`), SHARD, position);
      await sub.until((events) => events.length >= 2); // the first event, then a keep-alive: everything was read
      expect({ position, got: recordsOf(sub.events).map((r) => r.SequenceNumber) }).toEqual({ position, got: expected });
      sub.stop();
    }
    expect(StreamARN).toContain(StreamName);
  });

  it('sends the first event at once on an idle shard, empty keep-alives while idle, and ends after its time limit', async () => {
    const { ConsumerARN } = await streamWithConsumer();
    const started = Date.now();
    const sub = await subscribe(kinesis, ConsumerARN, SHARD, { Type: 'LATEST' });
    expect(Date.now() - started).toBeLessThan(1000);
    await sub.until((events) => events.length >= 1, 500);
    expect(sub.events[0]!.event.Records).toEqual([]);
    expect(sub.events[0]!.event.ContinuationSequenceNumber).toMatch(/^\d+$/);
    expect(await sub.ended).toBeUndefined();
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(2400);
    expect(elapsed).toBeLessThan(4000);
    // ~2.5 s at one event per 300 ms: the first plus 7-8 keep-alives, all empty.
    expect(sub.events.length).toBeGreaterThanOrEqual(6);
    expect(sub.events.length).toBeLessThanOrEqual(10);
    expect(recordsOf(sub.events)).toEqual([]);
    const gaps = sub.events.slice(1).map((seen, i) => seen.at - sub.events[i]!.at);
    expect(Math.max(...gaps)).toBeLessThan(700);
  });

  it('refuses a second subscription to the same consumer and shard, and allows it once the first ended', async () => {
    const { ConsumerARN } = await streamWithConsumer();
    const first = await subscribe(kinesis, ConsumerARN, SHARD, { Type: 'LATEST' });
    await expectAwsError(
      kinesis.send(new SubscribeToShardCommand({ ConsumerARN, ShardId: SHARD, StartingPosition: { Type: 'LATEST' } })),
      'ResourceInUseException',
      /^Another active subscription exists for this consumer: 000000000000:efo-[^:]+:shardId-000000000000:app$/,
    );
    await first.ended; // the time limit ends it and releases its lease
    const second = await subscribe(kinesis, ConsumerARN, SHARD, { Type: 'LATEST' });
    await second.until((events) => events.length >= 1);
    second.stop();
  });

  it('refuses unknown consumers and shards with ResourceNotFoundException', async () => {
    const { ConsumerARN } = await streamWithConsumer();
    await expectAwsError(
      kinesis.send(new SubscribeToShardCommand({ ConsumerARN, ShardId: 'shardId-000000000009', StartingPosition: { Type: 'LATEST' } })),
      'ResourceNotFoundException',
    );
    await expectAwsError(
      kinesis.send(
        new SubscribeToShardCommand({ ConsumerARN: `${ConsumerARN}0`, ShardId: SHARD, StartingPosition: { Type: 'LATEST' } }),
      ),
      'ResourceNotFoundException',
    );
  });

  it('registers, describes, lists, counts and deregisters consumers as AWS does', async () => {
    const StreamName = randomName('efo');
    await createActiveStream(kinesis, { StreamName, ShardCount: 1 });
    const summary = async () => (await kinesis.send(new DescribeStreamSummaryCommand({ StreamName }))).StreamDescriptionSummary!;
    const StreamARN = (await summary()).StreamARN!;
    const { Consumer } = await kinesis.send(new RegisterStreamConsumerCommand({ StreamARN, ConsumerName: 'b-app' }));
    expect(Consumer).toMatchObject({ ConsumerName: 'b-app', ConsumerStatus: 'CREATING' });
    expect(Consumer!.ConsumerARN).toBe(`${StreamARN}/consumer/b-app:${Math.floor(Consumer!.ConsumerCreationTimestamp!.getTime() / 1000)}`);
    await expectAwsError(
      kinesis.send(new RegisterStreamConsumerCommand({ StreamARN, ConsumerName: 'b-app' })),
      'ResourceInUseException',
      `Consumer b-app under stream ${StreamARN} already exists for account 000000000000.`,
    );
    await activeConsumer(kinesis, StreamName, 'a-app');
    for (let i = 0; i < 18; i++) await kinesis.send(new RegisterStreamConsumerCommand({ StreamARN, ConsumerName: `z-${i}` }));
    await expectAwsError(
      kinesis.send(new RegisterStreamConsumerCommand({ StreamARN, ConsumerName: 'one-too-many' })),
      'LimitExceededException',
    );
    expect((await summary()).ConsumerCount).toBe(20);

    const byName = await kinesis.send(new DescribeStreamConsumerCommand({ StreamARN, ConsumerName: 'b-app' }));
    expect(byName.ConsumerDescription).toMatchObject({ ConsumerARN: Consumer!.ConsumerARN, StreamARN, ConsumerStatus: 'ACTIVE' });
    const page1 = await kinesis.send(new ListStreamConsumersCommand({ StreamARN, MaxResults: 15 }));
    const page2 = await kinesis.send(new ListStreamConsumersCommand({ StreamARN, NextToken: page1.NextToken }));
    const names = [...page1.Consumers!, ...page2.Consumers!].map((c) => c.ConsumerName);
    expect(page1.Consumers).toHaveLength(15);
    expect(page2.NextToken).toBeUndefined();
    expect(names).toEqual(['a-app', 'b-app', ...Array.from({ length: 18 }, (_, i) => `z-${i}`).sort()]);
    await expectAwsError(
      kinesis.send(new ListStreamConsumersCommand({ StreamARN, StreamCreationTimestamp: new Date(0) })),
      'ResourceNotFoundException',
    );

    await expectAwsError(kinesis.send(new DeleteStreamCommand({ StreamName })), 'ResourceInUseException');
    await kinesis.send(new DeregisterStreamConsumerCommand({ ConsumerARN: Consumer!.ConsumerARN }));
    const deleting = await kinesis.send(new DescribeStreamConsumerCommand({ ConsumerARN: Consumer!.ConsumerARN }));
    expect(deleting.ConsumerDescription!.ConsumerStatus).toBe('DELETING');
    await new Promise((resolve) => setTimeout(resolve, 100));
    await expectAwsError(
      kinesis.send(new DescribeStreamConsumerCommand({ ConsumerARN: Consumer!.ConsumerARN })),
      'ResourceNotFoundException',
    );
    expect((await summary()).ConsumerCount).toBe(19);
    await expectAwsError(kinesis.send(new DescribeStreamConsumerCommand({ StreamARN })), 'InvalidArgumentException');
    await kinesis.send(new DeleteStreamCommand({ StreamName, EnforceConsumerDeletion: true }));
  });
});

describe('Enhanced fan-out: errors after the stream started', () => {
  let platform: TestPlatform;
  let kinesis: KinesisClient;

  beforeAll(async () => {
    platform = await startTestPlatform({ consumerCreateDelayMs: 50, consumerDeleteDelayMs: 50 });
    kinesis = kinesisClient(platform.endpoint, 'h2c');
  });
  afterAll(async () => {
    kinesis.destroy();
    await platform.close();
  });

  it('ends a subscription whose consumer was deregistered with a ResourceNotFoundException event the SDK throws', async () => {
    const StreamName = randomName('efo');
    await createActiveStream(kinesis, { StreamName, ShardCount: 1 });
    const ConsumerARN = await activeConsumer(kinesis, StreamName, 'app');
    const sub = await subscribe(kinesis, ConsumerARN, SHARD, { Type: 'LATEST' });
    await sub.until((events) => events.length >= 1);
    await kinesis.send(new DeregisterStreamConsumerCommand({ ConsumerARN }));
    const error = await sub.ended; // found at the lease's next renewal (within ~3.3 s)
    expect({ name: error?.name, message: error?.message }).toEqual({
      name: 'ResourceNotFoundException',
      message: `Consumer ${ConsumerARN} under account 000000000000 not found.`,
    });
  });
});
