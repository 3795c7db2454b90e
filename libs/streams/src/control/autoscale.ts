/**
 * ON_DEMAND scaling, the pure part: a shard actor counts what it writes per second
 * (`WriteRateMeter`), and `isHot` decides from those counts whether the shard has stayed
 * above half of its per-shard write limit (records or bytes) for a whole window. Time is
 * passed in, so tests drive it with a fake clock.
 */

/** Writes of one whole second. */
export interface SecondSample {
  second: number;
  records: number;
  bytes: number;
}

/** The limits the decision compares against. */
export interface AutoscaleSettings {
  /** Per-shard write limits (AWS: 1000 records/s, 1 MiB/s). */
  recordsPerSecond: number;
  bytesPerSecond: number;
  /** How long the shard must stay above half a limit. */
  windowMs: number;
}

/** Keeps per-second write totals for the last minutes; cheap enough for every mailbox round. */
export class WriteRateMeter {
  private samples: SecondSample[] = [];
  /** The first write's time: a shard written for less than the window is never hot. */
  startedAt?: number;

  record(at: number, records: number, bytes: number): void {
    this.startedAt ??= at;
    const second = Math.floor(at / 1000);
    const last = this.samples[this.samples.length - 1];
    if (last && last.second === second) {
      last.records += records;
      last.bytes += bytes;
      return;
    }
    this.samples.push({ second, records, bytes });
    if (this.samples.length > 600) this.samples.splice(0, this.samples.length - 600);
  }

  /** Samples of seconds at or after `fromSecond`. */
  since(fromSecond: number): SecondSample[] {
    return this.samples.filter((s) => s.second >= fromSecond);
  }
}

/**
 * True when every whole second of the last `windowMs` (the second in progress excluded) wrote
 * more than half the per-shard limit of records or of bytes. A second without writes breaks
 * the run, so a burst shorter than the window never splits a shard.
 */
export function isHot(meter: WriteRateMeter, settings: AutoscaleSettings, now: number): boolean {
  const current = Math.floor(now / 1000);
  const seconds = Math.max(1, Math.floor(settings.windowMs / 1000));
  const first = current - seconds;
  if (meter.startedAt === undefined || Math.floor(meter.startedAt / 1000) > first) return false;
  const bySecond = new Map(meter.since(first).map((s) => [s.second, s]));
  for (let second = first; second < current; second++) {
    const sample = bySecond.get(second);
    const hot =
      sample !== undefined &&
      (sample.records > settings.recordsPerSecond / 2 || sample.bytes > settings.bytesPerSecond / 2);
    if (!hot) return false;
  }
  return true;
}
