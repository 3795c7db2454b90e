import { isValidSplitKey, middleHashKey } from '@shardline/protocol';
import type { LocalActors } from '../actor/local-actors';
import type { StreamDirectory } from '../data/stream-directory';
import { isHot, type AutoscaleSettings } from './autoscale';
import type { Resharder } from './resharder';

/**
 * ON_DEMAND streams grow to fit their traffic: where the actors run, each placement tick
 * looks at this process's actors and splits, at the middle of its range, a shard of an
 * ON_DEMAND stream that stayed above half its write limit for the whole window. The split
 * is an ordinary fenced reshard; the children start measuring afresh, so a stream whose
 * load keeps growing keeps splitting, one window at a time.
 */
export class Autoscaler {
  private running?: Promise<void>;

  constructor(
    private readonly local: LocalActors,
    private readonly directory: StreamDirectory,
    private readonly resharder: Resharder,
    private readonly settings: AutoscaleSettings,
    private readonly now: () => number = Date.now,
  ) {}

  /** One round; never throws (a failed split is tried again next round if the shard is still hot). */
  check(): Promise<void> {
    this.running ??= this.round()
      .catch(() => undefined)
      .finally(() => (this.running = undefined));
    return this.running;
  }

  private async round(): Promise<void> {
    for (const actor of this.local.all()) {
      if (actor.status !== 'running' || !isHot(actor.writes, this.settings, this.now())) continue;
      const stream = await this.directory.byId(actor.shard.streamId).catch(() => undefined);
      if (stream?.mode !== 'ON_DEMAND' || stream.status !== 'ACTIVE') continue;
      const shard = stream.shards.find((s) => s.index === actor.shard.shardIndex && s.status === 'OPEN');
      if (!shard || !isValidSplitKey(shard, middleHashKey(shard))) continue;
      await this.resharder.split({ arn: stream.arn }, shard.shardId, middleHashKey(shard)).catch(() => undefined);
    }
  }
}
