import type { ShardlineClient } from './client';
import { ShardlineApiError } from './errors';
import { GroupMember, type GroupBatchHandler, type GroupConsumeOptions, type GroupRecordBatch } from './group-member';
import { SseParser, openSse } from './sse';
import type { GroupBatchEvent, JoinResult, LeasedShardView } from './types';

/** A member over REST: batches arrive on its Server-Sent Events connection; a checkpoint at a batch's end acknowledges it. */
export class RestGroupMember extends GroupMember {
  private joined?: JoinResult;
  private connection?: { close(): void };
  /** Batches being handled (shard, epoch, end): a reconnect resends unacknowledged ones, which must not run twice at once. */
  private readonly handling = new Set<string>();
  private listening: Promise<void> = Promise.resolve();

  constructor(
    private readonly client: ShardlineClient,
    stream: string,
    group: string,
    handler: GroupBatchHandler,
    options: GroupConsumeOptions,
  ) {
    super(stream, group, handler, options);
  }

  async start(): Promise<void> {
    await this.join();
    this.listening = this.listen();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.connection?.close();
    await this.listening;
    await this.finishInHand();
    if (this.joined) await this.client.groups.leave(this.joined).catch((err: unknown) => this.report(err));
  }

  private async join(): Promise<void> {
    this.joined = await this.client.groups.join(this.stream, this.group, { memberId: this.memberId });
    this.memberId = this.joined.memberId;
    this.setShards(this.joined.shards);
  }

  /** Keeps the records connection open (it heartbeats for the member); joins again when the gateway forgot the member. */
  private async listen(): Promise<void> {
    while (!this.stopping) {
      const connection = openSse(this.client.url(this.joined!.links.records), { ...this.client.headers, accept: 'text/event-stream' });
      this.connection = connection;
      try {
        const response = await connection.response;
        const parser = new SseParser();
        response.setEncoding('utf8');
        for await (const chunk of response as AsyncIterable<string>) {
          for (const event of parser.feed(chunk)) this.onEvent(event.event, event.data);
        }
      } catch (err) {
        if (this.stopping) return;
        this.report(err);
        if (err instanceof ShardlineApiError && err.status === 404) {
          await this.join().then(
            () => this.stats.rejoins++,
            (e: unknown) => this.report(e),
          );
        }
      } finally {
        connection.close();
      }
      if (!this.stopping) await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }

  private onEvent(kind: string, data: string): void {
    if (kind === 'problem') throw new ShardlineApiError(JSON.parse(data));
    if (kind === 'assignment') return this.setShards((JSON.parse(data) as { shards: LeasedShardView[] }).shards);
    if (kind !== 'batch') return;
    const event = JSON.parse(data) as GroupBatchEvent;
    const joined = this.joined!;
    const key = `${event.shardId}/${event.epoch}/${event.lastSequenceNumber}`;
    if (this.handling.has(key)) return;
    this.handling.add(key);
    const batch: GroupRecordBatch = {
      memberId: this.memberId,
      shardId: event.shardId,
      epoch: event.epoch,
      shardEnd: event.shardEnd,
      millisBehindLatest: event.millisBehindLatest,
      records: event.records.map((r) => ({
        shardId: r.shardId,
        sequenceNumber: r.sequenceNumber,
        partitionKey: r.partitionKey,
        data: Buffer.from(r.dataBase64, 'base64'),
        approximateArrivalTimestamp: new Date(r.arrivalTimestamp),
      })),
    };
    // A batch whose handler threw is not acknowledged: the gateway delivers it again from the checkpoint after its ack timeout.
    this.track(batch, async (ok) => {
      try {
        if (ok) await this.client.groups.checkpoint(joined, { shardId: event.shardId, sequenceNumber: event.lastSequenceNumber, epoch: event.epoch });
      } finally {
        this.handling.delete(key);
      }
    });
  }
}
