import {
  DescribeStreamConsumerCommand,
  DescribeStreamSummaryCommand,
  RegisterStreamConsumerCommand,
  SubscribeToShardCommand,
  type KinesisClient,
  type StartingPosition,
  type SubscribeToShardEvent,
} from '@aws-sdk/client-kinesis';

/** Registers a consumer on the stream and waits until it is ACTIVE; answers its ARN. */
export async function activeConsumer(kinesis: KinesisClient, StreamName: string, ConsumerName: string): Promise<string> {
  const { StreamDescriptionSummary } = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName }));
  const { Consumer } = await kinesis.send(
    new RegisterStreamConsumerCommand({ StreamARN: StreamDescriptionSummary!.StreamARN!, ConsumerName }),
  );
  for (let i = 0; i < 200; i++) {
    const { ConsumerDescription } = await kinesis.send(new DescribeStreamConsumerCommand({ ConsumerARN: Consumer!.ConsumerARN! }));
    if (ConsumerDescription!.ConsumerStatus === 'ACTIVE') return Consumer!.ConsumerARN!;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`consumer ${ConsumerName} not ACTIVE`);
}

/** One event as the test saw it, with when it arrived. */
export interface SeenEvent {
  event: SubscribeToShardEvent;
  at: number;
}

/** A running SubscribeToShard through the SDK: its events so far, how it ended, and a way to stop it. */
export interface TestSubscription {
  events: SeenEvent[];
  /** Resolves when the stream ends (undefined) or fails (the error). */
  ended: Promise<Error | undefined>;
  /** Resolves once `predicate` holds for the events seen so far. */
  until(predicate: (events: SeenEvent[]) => boolean, timeoutMs?: number): Promise<void>;
  stop(): void;
}

/** Subscribes through the SDK's own SubscribeToShardCommand and iterates its EventStream in the background. */
export async function subscribe(
  kinesis: KinesisClient,
  ConsumerARN: string,
  ShardId: string,
  StartingPosition: StartingPosition,
): Promise<TestSubscription> {
  const abort = new AbortController();
  const { EventStream } = await kinesis.send(new SubscribeToShardCommand({ ConsumerARN, ShardId, StartingPosition }), {
    abortSignal: abort.signal,
  });
  const events: SeenEvent[] = [];
  const waiters = new Set<() => void>();
  const ended = (async () => {
    try {
      for await (const item of EventStream!) {
        if (item.SubscribeToShardEvent) events.push({ event: item.SubscribeToShardEvent, at: Date.now() });
        waiters.forEach((check) => check());
      }
      return undefined;
    } catch (err) {
      return err as Error;
    } finally {
      waiters.forEach((check) => check());
    }
  })();
  let done = false;
  void ended.then(() => (done = true));
  return {
    events,
    ended,
    stop: () => abort.abort(),
    until: (predicate, timeoutMs = 10_000) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`condition not met after ${timeoutMs} ms (${events.length} events)`));
        }, timeoutMs);
        const check = () => {
          if (predicate(events)) {
            clearTimeout(timer);
            waiters.delete(check);
            resolve();
          } else if (done) {
            clearTimeout(timer);
            waiters.delete(check);
            reject(new Error(`stream ended before the condition held (${events.length} events)`));
          }
        };
        waiters.add(check);
        check();
      }),
  };
}

/** Every record delivered so far, in delivery order. */
export const recordsOf = (events: SeenEvent[]) => events.flatMap((seen) => seen.event.Records ?? []);
