import { Command } from 'commander';
import { ShardlineClient, type RecordView } from '@shardline/client';
import type { GlobalOptions } from './main';

interface TailOptions {
  shard?: string;
  from?: string;
  count?: number;
  raw?: boolean;
}

/** `shardline tail <stream>`: follows the SSE tail, pretty-printing records (or one per line with --raw). */
export function tailCommand(globals: () => GlobalOptions): Command {
  return new Command('tail')
    .description('follow a stream\'s records as they are put (Server-Sent Events)')
    .argument('<stream>', 'stream name')
    .option('--shard <shardId>', 'one shard (and its children) instead of all')
    .option('--from <position>', 'TRIM_HORIZON | LATEST | AT_TIMESTAMP:<ISO 8601> | AT_/AFTER_SEQUENCE_NUMBER:<seq> (with --shard)', 'LATEST')
    .option('--count <n>', 'exit after this many records', (v) => Number.parseInt(v, 10))
    .option('--raw', 'print each record\'s data as it is, one per line (for pipes)')
    .action((stream: string, o: TailOptions) => tail(globals(), stream, o));
}

async function tail(g: GlobalOptions, stream: string, o: TailOptions): Promise<void> {
  const client = new ShardlineClient({ endpoint: g.endpoint });
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  let seen = 0;
  if (o.count === 0) return;
  for await (const { record } of client.tail(stream, { ...(o.shard ? { shard: o.shard } : {}), ...(o.from ? { from: o.from } : {}), signal: controller.signal })) {
    await write(o.raw ? `${Buffer.from(record.dataBase64, 'base64').toString('utf8')}\n` : pretty(record));
    if (++seen === o.count) break;
  }
}

/** A header line (shard, sequence number, key, time) and the data: indented JSON, else its text. */
function pretty(record: RecordView): string {
  const [dim, cyan, reset] = process.stdout.isTTY ? ['\x1b[2m', '\x1b[36m', '\x1b[0m'] : ['', '', ''];
  const head = `${dim}${record.shardId} ${record.sequenceNumber} ${record.arrivalTimestamp}${reset} ${cyan}${record.partitionKey}${reset}`;
  const body = record.data !== undefined ? JSON.stringify(record.data, null, 2) : Buffer.from(record.dataBase64, 'base64').toString('utf8');
  return `${head}\n${body}\n`;
}

/** Writes to stdout, waiting when a pipe is full. */
function write(text: string): Promise<void> | void {
  if (process.stdout.write(text)) return;
  return new Promise((resolve) => process.stdout.once('drain', () => resolve()));
}
