/**
 * The time that closes windows. In processing mode it is the scheduler's clock (rows stamped with
 * ROWTIME on arrival). In event mode it is the watermark: the largest row time seen minus the bounded
 * out-of-orderness; when the source goes idle for `idleTimeoutMs`, the watermark moves on with
 * processing time so open windows still close.
 */
import type { SchedulerLike, Subscription } from 'rxjs';

export interface TimeOptions {
  mode: 'processing' | 'event';
  /** Event mode: how far behind the largest time seen a row may still arrive in order. */
  maxOutOfOrdernessMs?: number;
  /** How long a window stays open after the watermark passes its end; rows later than that are late. */
  allowedLatenessMs?: number;
  /** Event mode: after this long without rows, the watermark advances with processing time. */
  idleTimeoutMs?: number;
}

export interface WatermarkState {
  watermark: number;
  maxTime: number;
}

export class WatermarkClock {
  readonly lateness: number;
  private readonly outOfOrderness: number;
  private readonly idleTimeout: number;
  private watermark = -Infinity;
  private maxTime = -Infinity;
  private lastArrival: number;
  private timer?: Subscription;
  private timerAt = Infinity;
  private wantedAt = Infinity;

  constructor(
    private readonly options: TimeOptions,
    private readonly scheduler: SchedulerLike,
    private readonly onAdvance: (watermark: number) => void,
  ) {
    this.lateness = options.allowedLatenessMs ?? 0;
    this.outOfOrderness = options.maxOutOfOrdernessMs ?? 0;
    this.idleTimeout = options.idleTimeoutMs ?? Infinity;
    this.lastArrival = scheduler.now();
  }

  /** The current watermark (processing mode: now). */
  current(): number {
    return this.options.mode === 'processing' ? Math.max(this.scheduler.now(), this.watermark) : this.watermark;
  }

  /** Event mode: a row with this time arrived; returns the (possibly advanced) watermark. */
  observe(time: number): number {
    if (this.options.mode === 'processing') return this.current();
    this.lastArrival = this.scheduler.now();
    if (time > this.maxTime) {
      this.maxTime = time;
      if (time - this.outOfOrderness > this.watermark) this.watermark = time - this.outOfOrderness;
    }
    return this.watermark;
  }

  /** Asks to be woken (through onAdvance) once the watermark may have reached `time`. */
  wakeAt(time: number): void {
    this.wantedAt = Math.min(this.wantedAt, time);
    const fireAt = this.fireTimeFor(this.wantedAt);
    if (fireAt >= this.timerAt || !Number.isFinite(fireAt)) return;
    this.timer?.unsubscribe();
    this.timerAt = fireAt;
    this.timer = this.scheduler.schedule(() => this.fire(), Math.max(0, fireAt - this.scheduler.now()));
  }

  stop(): void {
    this.timer?.unsubscribe();
    this.timer = undefined;
  }

  save(): WatermarkState {
    return { watermark: this.current(), maxTime: this.maxTime };
  }

  load(state: WatermarkState): void {
    // JSON turns -Infinity into null.
    this.watermark = typeof state.watermark === 'number' ? state.watermark : -Infinity;
    this.maxTime = typeof state.maxTime === 'number' ? state.maxTime : -Infinity;
  }

  private fireTimeFor(time: number): number {
    if (this.options.mode === 'processing') return time;
    if (!Number.isFinite(this.idleTimeout) || !Number.isFinite(this.maxTime)) return Infinity;
    // Idle watermark at `now` is maxTime - outOfOrderness + (now - lastArrival), once idle.
    const reachAt = this.lastArrival + (time - (this.maxTime - this.outOfOrderness));
    return Math.max(this.lastArrival + this.idleTimeout, reachAt);
  }

  private fire(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    const now = this.scheduler.now();
    if (this.options.mode === 'event') {
      const idleFor = now - this.lastArrival;
      if (idleFor >= this.idleTimeout) this.watermark = Math.max(this.watermark, this.maxTime - this.outOfOrderness + idleFor);
    }
    const wanted = this.wantedAt;
    this.wantedAt = Infinity;
    this.onAdvance(this.current());
    // The owner asks again for what it still needs; if not yet reached, keep waiting for it.
    if (this.current() < wanted) this.wakeAt(wanted);
  }
}
