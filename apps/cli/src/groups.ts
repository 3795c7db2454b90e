import { Command } from 'commander';
import { ShardlineClient, type GroupView } from '@shardline/client';
import type { GlobalOptions } from './main';
import { table } from './table';

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** `shardline groups list|describe` over the REST API: tables, or the JSON answers with --json. */
export function groupsCommand(globals: () => GlobalOptions): Command {
  const client = () => new ShardlineClient({ endpoint: globals().endpoint });
  const groups = new Command('groups').description("a stream's consumer groups: members, shards, checkpoints and lag");
  groups
    .command('list <stream>')
    .description("list a stream's consumer groups")
    .option('--json', 'print the JSON answer')
    .action(async (stream: string, o: { json?: boolean }) => {
      const list = await client().groups.list(stream);
      if (o.json) return print(list);
      process.stdout.write(table(['GROUP', 'CREATED'], list.groups.map((g) => [g.groupName, g.createdAt])));
    });
  groups
    .command('describe <stream> <group>')
    .description("a group's members and their shards; each shard's holder, checkpoint and lag (records, ms)")
    .option('--json', 'print the JSON answer')
    .action(async (stream: string, group: string, o: { json?: boolean }) => {
      const view = await client().groups.describe(stream, group);
      if (o.json) return print(view);
      process.stdout.write(describeText(view));
    });
  return groups;
}

function describeText(view: GroupView): string {
  const members = view.members.length
    ? table(
        ['MEMBER', 'JOINED', 'LAST HEARTBEAT', 'SHARDS'],
        view.members.map((m) => [m.memberId, m.joinedAt, m.lastHeartbeat, m.shards.join(',') || '-']),
      )
    : 'no live members\n';
  const state = (s: GroupView['shards'][number]) => (s.shardEnd ? 'ENDED' : s.waitingForParents ? 'WAITING' : s.status);
  const shards = table(
    ['SHARD', 'STATUS', 'OWNER', 'EPOCH', 'CHECKPOINT', 'LAG RECORDS', 'LAG MS'],
    view.shards.map((s) => [s.shardId, state(s), s.owner ?? '-', s.epoch === undefined ? '-' : String(s.epoch), s.checkpoint ?? '-', String(s.lagRecords), String(s.lagMillis)]),
  );
  return `group ${view.groupName} of stream ${view.streamName}, created ${view.createdAt}\n\n${members}\n${shards}`;
}
