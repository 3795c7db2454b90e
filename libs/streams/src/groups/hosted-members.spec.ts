import type { GroupBatch } from './group-delivery';
import { HostedMember } from './hosted-members';

function batch(shardId: string, lastSequenceNumber: string, epoch = 1): GroupBatch & { stop(): void } {
  const abort = new AbortController();
  return {
    memberId: 'm',
    shardId,
    epoch,
    records: [],
    shardEnd: false,
    millisBehindLatest: 0,
    lastSequenceNumber,
    signal: abort.signal,
    checkpoint: async () => undefined,
    stop: () => abort.abort(),
  };
}

const settled = (promise: Promise<void>) => promise.then(() => 'acknowledged', (e: Error) => e.message);

describe('HostedMember', () => {
  it('holds a batch until a sink attaches, and resends unacknowledged batches to a new sink', async () => {
    const member = new HostedMember('m', 's', 'g', 1000, () => undefined);
    const delivered = settled(member.deliver(batch('shardId-000000000000', '10')));
    const first: string[] = [];
    const detach = member.attach((b) => first.push(b.lastSequenceNumber));
    expect(first).toEqual(['10']);
    detach();
    const second: string[] = [];
    member.attach((b) => second.push(b.lastSequenceNumber));
    expect(second).toEqual(['10']);
    expect(member.acknowledge('shardId-000000000000', 1, '10')).toBe(true);
    expect(await delivered).toBe('acknowledged');
  });

  it('acknowledges only at the batch end, at its epoch; a sink may ack or fail directly', async () => {
    const member = new HostedMember('m', 's', 'g', 1000, () => undefined);
    const acks: Array<() => void> = [];
    const fails: Array<(e: Error) => void> = [];
    member.attach((_b, ack, fail) => {
      acks.push(ack);
      fails.push(fail);
    });
    const a = settled(member.deliver(batch('shardId-000000000000', '0020')));
    expect(member.acknowledge('shardId-000000000000', 1, '0019')).toBe(false); // a partial checkpoint
    expect(member.acknowledge('shardId-000000000000', 2, '0020')).toBe(false); // another epoch
    expect(member.acknowledge('shardId-000000000001', 1, '0020')).toBe(false); // another shard
    expect(member.acknowledge('shardId-000000000000', 1, '0021')).toBe(true);
    expect(await a).toBe('acknowledged');
    const b = settled(member.deliver(batch('shardId-000000000001', '5')));
    acks[1]!();
    expect(await b).toBe('acknowledged');
    const c = settled(member.deliver(batch('shardId-000000000001', '6')));
    fails[2]!(new Error('refused'));
    expect(await c).toBe('refused');
  });

  it('fails a batch on timeout, when its delivery stops, and on failAll', async () => {
    const member = new HostedMember('m', 's', 'g', 20, () => undefined);
    expect(await settled(member.deliver(batch('shardId-000000000000', '1')))).toMatch(/not acknowledged within 20 ms/);
    const stopped = batch('shardId-000000000000', '2');
    const pending = settled(member.deliver(stopped));
    stopped.stop();
    expect(await pending).toMatch(/stopped/);
    const left = settled(member.deliver(batch('shardId-000000000001', '3')));
    member.failAll('The member left');
    expect(await left).toBe('The member left');
  });
});
