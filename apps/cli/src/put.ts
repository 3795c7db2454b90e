import { Command } from 'commander';
import { Presets, SingleBar } from 'cli-progress';
import { createReadStream, statSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { ShardlineProducer } from '@shardline/client';
import type { GlobalOptions } from './main';

interface PutOptions {
  keyField?: string;
  inFlight: number;
  lingerMs: number;
}

/** Records put but not yet acknowledged, at most: reading pauses above it. */
const MAX_PENDING = 20_000;

/** `shardline put <stream> [file]`: each line one record, through the batching NATS producer. */
export function putCommand(globals: () => GlobalOptions): Command {
  const int = (v: string) => Number.parseInt(v, 10);
  return new Command('put')
    .description('put records from a file or stdin, one per line (empty lines are skipped), over NATS')
    .argument('<stream>', 'stream name')
    .argument('[file]', 'the records, one per line (default: stdin)')
    .option('--key-field <field>', 'JSON lines: partition key from this field (else the line number)')
    .option('--in-flight <n>', 'requests in flight', int, 8)
    .option('--linger-ms <ms>', 'how long a record waits for its batch to fill', int, 5)
    .action((stream: string, file: string | undefined, o: PutOptions) => put(globals(), stream, file, o));
}

async function put(g: GlobalOptions, stream: string, file: string | undefined, o: PutOptions): Promise<void> {
  const producer = await ShardlineProducer.connect({ servers: g.nats }, { prefix: g.prefix, maxInFlight: o.inFlight, lingerMs: o.lingerMs });
  const progress = new Progress(file ? statSync(file).size : 0);
  const window = new Window(MAX_PENDING);
  const started = performance.now();
  let count = 0;
  let failed = 0;
  let firstError: unknown;
  const lines = createInterface({ input: file ? createReadStream(file) : process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    if (line === '') continue;
    count += 1;
    const bytes = Buffer.byteLength(line) + 1;
    const acked = producer.put(stream, keyOf(line, count, o.keyField), line).then(
      () => progress.add(bytes),
      (err: unknown) => {
        failed += 1;
        firstError ??= err;
      },
    );
    await window.add(acked);
  }
  await window.drain();
  await producer.close();
  progress.stop();
  const seconds = (performance.now() - started) / 1000;
  const stored = count - failed;
  process.stdout.write(`${stored} records in ${seconds.toFixed(2)} s (${Math.round(stored / Math.max(seconds, 1e-3))} records/s)\n`);
  if (failed > 0) throw new Error(`${failed} records were not stored; the first: ${firstError instanceof Error ? firstError.message : String(firstError)}`);
}

/** The line's partition key: the --key-field of a JSON line when it has one, else its line number. */
function keyOf(line: string, count: number, field: string | undefined): string {
  if (field !== undefined) {
    try {
      const value = (JSON.parse(line) as Record<string, unknown>)[field];
      if ((typeof value === 'string' && value !== '') || typeof value === 'number') return String(value).slice(0, 256);
    } catch {
      // Not JSON: keyed like any other line.
    }
  }
  return String(count);
}

/** Limits the puts awaiting acknowledgement, so a large file does not sit in memory. */
class Window {
  private pending = 0;
  private wake?: () => void;

  constructor(private readonly max: number) {}

  async add(acked: Promise<void>): Promise<void> {
    this.pending += 1;
    void acked.finally(() => {
      this.pending -= 1;
      if (this.pending <= this.max / 2) this.wake?.();
    });
    if (this.pending >= this.max) await new Promise<void>((resolve) => (this.wake = resolve));
  }

  async drain(): Promise<void> {
    while (this.pending > 0) await new Promise<void>((resolve) => (this.wake = resolve));
  }
}

/** A progress bar on stderr when it is a terminal (by bytes of a file, or a record count for stdin). */
class Progress {
  private readonly bar?: SingleBar;
  private records = 0;
  private bytes = 0;
  private readonly started = performance.now();

  constructor(private readonly total: number) {
    if (!process.stderr.isTTY) return;
    const format = total > 0 ? '{bar} {percentage}% | {records} records | {rate} records/s' : '{records} records | {rate} records/s';
    this.bar = new SingleBar({ format, stream: process.stderr, hideCursor: true }, Presets.shades_classic);
    this.bar.start(total || 1, 0, { records: 0, rate: 0 });
  }

  add(bytes: number): void {
    this.records += 1;
    this.bytes += bytes;
    if (this.bar && this.records % 500 === 0) this.render();
  }

  stop(): void {
    if (!this.bar) return;
    this.render();
    this.bar.stop();
  }

  private render(): void {
    const rate = Math.round(this.records / Math.max((performance.now() - this.started) / 1000, 1e-3));
    this.bar!.update(this.total > 0 ? Math.min(this.bytes, this.total) : 0, { records: this.records, rate });
  }
}
