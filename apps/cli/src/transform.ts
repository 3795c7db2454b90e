import { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { runTransform, type TransformInputRecord } from '@shardline/plugin-sdk';

interface TransformTestOptions {
  input?: string;
  handler: string;
  memory: number;
  timeout: number;
  env: string[];
  region: string;
  base64: boolean;
}

/**
 * One input line as a record. A JSON object with `recordId` and `data` is a record as the Lambda
 * event carries it (data in base64; approximateArrivalTimestamp and kinesisRecordMetadata kept);
 * any other line, JSON or not, is the data itself.
 */
export function recordOfLine(line: string, index: number, now: number): TransformInputRecord {
  if (line.startsWith('{')) {
    try {
      const value = JSON.parse(line) as Record<string, unknown>;
      if (typeof value.recordId === 'string' && typeof value.data === 'string') {
        return {
          recordId: value.recordId,
          data: Buffer.from(value.data, 'base64'),
          approximateArrivalTimestamp: typeof value.approximateArrivalTimestamp === 'number' ? value.approximateArrivalTimestamp : now,
          ...(value.kinesisRecordMetadata ? { kinesisRecordMetadata: value.kinesisRecordMetadata as TransformInputRecord['kinesisRecordMetadata'] } : {}),
        };
      }
    } catch {
      // not JSON after all: the line is raw data
    }
  }
  return { recordId: String(index + 1).padStart(8, '0'), data: Buffer.from(line), approximateArrivalTimestamp: now };
}

function environmentOf(pairs: string[]): Record<string, string> {
  return Object.fromEntries(
    pairs.map((pair) => {
      const at = pair.indexOf('=');
      if (at < 1) throw new Error(`An environment variable is KEY=value, not ${pair}`);
      return [pair.slice(0, at), pair.slice(at + 1)];
    }),
  );
}

/** `shardline transform test <file> --input records.jsonl`: runs a transform locally, exactly as the host does. */
export function transformCommand(): Command {
  const int = (v: string) => Number.parseInt(v, 10);
  const transform = new Command('transform').description('develop Firehose transform plugins locally');
  transform
    .command('test <file>')
    .description('run a transform (a .js/.mjs file or an unpacked package directory) on records, as the Firehose host runs it; prints one JSON line per record')
    .option('--input <file>', 'records, one per line: raw data, or {"recordId","data"(base64)} as in the Lambda event (default: stdin)')
    .option('--handler <name>', 'exported function', 'handler')
    .option('--memory <MiB>', 'memory limit', int, 128)
    .option('--timeout <seconds>', 'invocation timeout (at most 300)', int, 60)
    .option('--env <KEY=value...>', 'environment variables of the plugin', [])
    .option('--region <region>', 'event region', 'us-east-1')
    .option('--base64', 'print data as base64 rather than UTF-8 text')
    .action((file: string, o: TransformTestOptions) => test(file, o));
  return transform;
}

async function test(file: string, o: TransformTestOptions): Promise<void> {
  const text = o.input ? await readFile(o.input, 'utf8') : await readStdin();
  const now = Date.now();
  const records = text
    .split('\n')
    .map((line) => line.replace(/\r$/, ''))
    .filter((line) => line !== '')
    .map((line, i) => recordOfLine(line, i, now));
  const outcome = await runTransform(file, records, {
    handler: o.handler,
    memoryMiB: o.memory,
    timeoutMs: o.timeout * 1000,
    environment: environmentOf(o.env),
    region: o.region,
    log: (line) => process.stderr.write(`[transform] ${line}\n`),
  });
  const data = (bytes: Buffer) => (o.base64 ? bytes.toString('base64') : bytes.toString('utf8'));
  const lines = new Map<string, string>();
  for (const { record, data: bytes, partitionKeys } of outcome.ok) {
    lines.set(record.recordId, JSON.stringify({ recordId: record.recordId, result: 'Ok', data: data(bytes), ...(partitionKeys ? { partitionKeys } : {}) }));
  }
  for (const record of outcome.dropped) lines.set(record.recordId, JSON.stringify({ recordId: record.recordId, result: 'Dropped' }));
  for (const record of outcome.failed) lines.set(record.recordId, JSON.stringify({ recordId: record.recordId, result: 'ProcessingFailed' }));
  for (const record of records) process.stdout.write(`${lines.get(record.recordId)}\n`);
  process.stderr.write(`${records.length} records: ${outcome.ok.length} Ok, ${outcome.dropped.length} Dropped, ${outcome.failed.length} ProcessingFailed\n`);
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
