import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type CreateStreamCommandInput,
  type KinesisClient,
  type _Record,
} from '@aws-sdk/client-kinesis';

/** Reads a shard from TRIM_HORIZON until a call returns nothing and the reader is at the tip. */
export async function readShard(kinesis: KinesisClient, StreamName: string, ShardId: string): Promise<_Record[]> {
  const { ShardIterator } = await kinesis.send(
    new GetShardIteratorCommand({ StreamName, ShardId, ShardIteratorType: 'TRIM_HORIZON' }),
  );
  const records: _Record[] = [];
  let iterator = ShardIterator;
  for (;;) {
    const page = await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator }));
    records.push(...page.Records!);
    iterator = page.NextShardIterator;
    if (page.Records!.length === 0 && page.MillisBehindLatest === 0) return records;
  }
}

/** Polls DescribeStreamSummary (every 25 ms, faster than the SDK waiter's 1 s) until the stream is ACTIVE. */
export async function waitActive(kinesis: KinesisClient, StreamName: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { StreamDescriptionSummary } = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName }));
    if (StreamDescriptionSummary!.StreamStatus === 'ACTIVE') return;
    if (Date.now() > deadline) throw new Error(`stream ${StreamName} not ACTIVE after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Creates a stream and waits until it is ACTIVE. */
export async function createActiveStream(kinesis: KinesisClient, input: CreateStreamCommandInput): Promise<void> {
  await kinesis.send(new CreateStreamCommand(input));
  await waitActive(kinesis, input.StreamName!);
}

/**
 * Asserts that an SDK call fails with the AWS error `name` (and, when given, exactly this
 * message or one matching the pattern), and answers the error for further checks.
 */
export async function expectAwsError(
  promise: Promise<unknown>,
  name: string,
  message?: string | RegExp,
): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  const thrown = await promise.then(
    () => new Error('expected the call to fail, but it succeeded'),
    (err: unknown) => err as Error,
  );
  expect({ name: thrown.name, message: thrown.message }).toEqual({
    name,
    message: message === undefined ? expect.any(String) : typeof message === 'string' ? message : expect.stringMatching(message),
  });
  return thrown;
}
