/**
 * Firehose's buffering hints: a buffer is flushed when it holds `sizeBytes` of record data
 * or when `intervalMs` have passed since its first record arrived, whichever comes first.
 * An interval of 0 flushes whatever is buffered at once (AWS: "0 seconds" delivers within
 * about a second). Pure: the caller passes the clock's reading.
 */
import type { SourceMessage } from './batch';

export interface BufferingHints {
  sizeBytes: number;
  intervalMs: number;
}

export class RecordBuffer {
  private messages: SourceMessage[] = [];
  private bytesHeld = 0;
  private openedAt = 0;
  private nextSeq: number;

  constructor(
    private readonly hints: BufferingHints,
    /** The first sequence this buffer will hold (one past what is delivered or in flight). */
    fromSeq: number,
  ) {
    this.nextSeq = fromSeq;
  }

  get bytes(): number {
    return this.bytesHeld;
  }

  get isEmpty(): boolean {
    return this.messages.length === 0;
  }

  /** The first sequence of the buffer's next batch. */
  get fromSeq(): number {
    return this.nextSeq;
  }

  /** The sequence after the last one buffered: where reading goes on. */
  get endSeq(): number {
    return this.messages.length ? this.messages[this.messages.length - 1].seq + 1 : this.nextSeq;
  }

  add(message: SourceMessage, now: number): void {
    if (this.messages.length === 0) this.openedAt = now;
    this.messages.push(message);
    this.bytesHeld += message.bytes;
  }

  /** When the buffer must be flushed by interval (undefined while empty). */
  dueAt(): number | undefined {
    return this.messages.length ? this.openedAt + this.hints.intervalMs : undefined;
  }

  shouldFlush(now: number): boolean {
    if (this.messages.length === 0) return false;
    return this.bytesHeld >= this.hints.sizeBytes || now >= this.openedAt + this.hints.intervalMs;
  }

  /** Hands over everything buffered and starts an empty buffer after it. */
  take(): { fromSeq: number; messages: SourceMessage[] } {
    const taken = { fromSeq: this.nextSeq, messages: this.messages };
    if (this.messages.length) this.nextSeq = this.messages[this.messages.length - 1].seq + 1;
    this.messages = [];
    this.bytesHeld = 0;
    return taken;
  }
}
