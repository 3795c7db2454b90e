import { Command, Option } from 'commander';
import { ShardlineClient, type StreamMode } from '@shardline/client';
import type { GlobalOptions } from './main';

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

function tagsOf(pairs: string[]): Record<string, string> {
  return Object.fromEntries(
    pairs.map((pair) => {
      const at = pair.indexOf('=');
      if (at < 1) throw new Error(`A tag is key=value, not ${pair}`);
      return [pair.slice(0, at), pair.slice(at + 1)];
    }),
  );
}

/** `shardline streams create|list|describe|delete` over the REST API. */
export function streamsCommand(globals: () => GlobalOptions): Command {
  const client = () => new ShardlineClient({ endpoint: globals().endpoint });
  const streams = new Command('streams').description('create, list, describe and delete streams');
  streams
    .command('create <name>')
    .description('create a stream (waits until it is ACTIVE unless --no-wait)')
    .option('--shards <n>', 'shard count (PROVISIONED)', (v) => Number.parseInt(v, 10))
    .addOption(new Option('--mode <mode>', 'capacity mode').choices(['PROVISIONED', 'ON_DEMAND']))
    .option('--tag <key=value...>', 'tags', [])
    .option('--no-wait', 'return while the stream is still CREATING')
    .action(async (name: string, o: { shards?: number; mode?: StreamMode; tag: string[]; wait: boolean }) => {
      const created = await client().streams.create({
        name,
        ...(o.shards !== undefined ? { shardCount: o.shards } : {}),
        ...(o.mode ? { mode: o.mode } : {}),
        ...(o.tag.length ? { tags: tagsOf(o.tag) } : {}),
      });
      print(o.wait ? await client().streams.waitFor(name) : created);
    });
  streams
    .command('list')
    .description('list streams: name, status, mode, open shards')
    .option('--json', 'print the JSON answer')
    .action(async (o: { json?: boolean }) => {
      const all = await client().streams.listAll();
      if (o.json) return print(all);
      const width = Math.max(4, ...all.map((s) => s.name.length));
      process.stdout.write(`${'NAME'.padEnd(width)}  STATUS    MODE         SHARDS\n`);
      for (const s of all) process.stdout.write(`${s.name.padEnd(width)}  ${s.status.padEnd(8)}  ${s.mode.padEnd(11)}  ${s.openShardCount}\n`);
    });
  streams
    .command('describe <name>')
    .description('a stream with its shards and tags (JSON)')
    .action(async (name: string) => print(await client().streams.describe(name)));
  streams
    .command('delete <name>')
    .description('delete a stream')
    .option('--force', 'also deregister its consumers')
    .action(async (name: string, o: { force?: boolean }) => print(await client().streams.delete(name, { force: o.force === true })));
  return streams;
}
