import { randomUUID } from 'node:crypto';
import { decodeSequenceNumber, invalidArgument, notFound } from '@shardline/protocol';
import type { RecordPosition, Shard, Stream } from '@shardline/protocol';
import type { GroupCheckpoint, GroupRepository, StoredGroup } from '@shardline/metadata';
import type { ShardStore } from '@shardline/messaging';
import type { ShardReader } from '../data/shard-reader';
import { startPosition } from '../data/start-position';
import type { StreamDirectory } from '../data/stream-directory';
import { assignShards, eligibleShards, type LineageShard } from './assignment';
import { LeaseLostError, MemberGoneError } from './group-errors';

/** Timing of consumer groups; tests shorten them. */
export interface GroupSettings {
  /** A member silent for this long is dropped and its shards handed to the others. */
  memberTtlMs: number;
  /** How often members heartbeat (and so learn about a rebalance). */
  heartbeatMs: number;
}

/** A shard leased to a member: where to start reading (just past the checkpoint) and the fencing epoch. */
export interface LeasedShard {
  shardIndex: number;
  shardId: string;
  epoch: number;
  checkpoint?: string;
  start: RecordPosition;
}

/** What a heartbeat answers: the member's shards now. */
export interface MemberAssignment {
  memberId: string;
  groupId: string;
  streamId: string;
  heartbeatMs: number;
  shards: LeasedShard[];
}

/** A member as `describe` shows it. */
export interface MemberView {
  memberId: string;
  joinedAt: Date;
  lastHeartbeat: Date;
  shards: string[];
}

/** A shard's progress in a group. Lag counts stored messages (a PutRecords call's records for one shard share one), so it is approximate. */
export interface ShardProgress {
  shardId: string;
  status: 'OPEN' | 'CLOSED';
  owner?: string;
  epoch?: number;
  checkpoint?: string;
  /** Read to the end of a closed shard: its children may be handed out. */
  shardEnd: boolean;
  /** Waiting for its parents to be read to their ends. */
  waitingForParents: boolean;
  lagRecords: number;
  /** Arrival of the newest record minus arrival of the oldest one not checkpointed. */
  lagMillis: number;
}

export interface GroupView {
  streamName: string;
  groupName: string;
  createdAt: Date;
  members: MemberView[];
  shards: ShardProgress[];
}

const checkpointOf = (checkpoints: GroupCheckpoint[], index: number) => checkpoints.find((c) => c.shardIndex === index);

/**
 * Server-side consumer groups (what KCL does with a DynamoDB lease table): members join and
 * heartbeat, shards are leased evenly among live members with a fencing epoch, checkpoints
 * live in Postgres. Any process may rebalance: on join, leave, shard end, and on every
 * heartbeat (which is how silent members are noticed), serialised per group by an advisory lock.
 */
export class GroupCoordinator {
  /**
   * Groups by id, as read once: a group's fields never change, and a member's heartbeat
   * answering its group id proves the group still exists (deleting a group deletes its
   * members), so checkpoints, one per delivered batch, skip reading the group again.
   */
  private readonly known = new Map<string, StoredGroup>();

  constructor(
    private readonly groups: GroupRepository,
    private readonly directory: StreamDirectory,
    private readonly store: ShardStore,
    private readonly reader: ShardReader,
    readonly settings: GroupSettings,
  ) {}

  /** Joins (or rejoins) the group, created on first use; answers the member id. */
  async join(streamName: string, groupName: string, memberId: string = randomUUID()): Promise<string> {
    const { stream } = await this.directory.active({ name: streamName });
    const group = await this.groups.ensureGroup(stream.id, groupName);
    if (!(await this.groups.join(group.id, memberId, this.settings.memberTtlMs))) {
      throw notFound(`Member id ${memberId} is taken in another consumer group.`);
    }
    await this.rebalance(group);
    return memberId;
  }

  /** Keeps the member alive and answers its shards; MemberGoneError when it was dropped. */
  async heartbeat(memberId: string): Promise<MemberAssignment> {
    const groupId = await this.groups.heartbeat(memberId, this.settings.memberTtlMs);
    const group = groupId && (await this.groups.groupById(groupId));
    if (!group) throw new MemberGoneError(memberId);
    const stream = await this.rebalance(group);
    return this.assignment(group, stream, memberId);
  }

  /** Leaves the group at once: its shards go to the others now, not after the timeout. */
  async leave(memberId: string): Promise<void> {
    const groupId = await this.groups.leave(memberId);
    const group = groupId && (await this.groups.groupById(groupId));
    if (group) await this.rebalance(group);
  }

  /**
   * Stores the member's position in a shard; LeaseLostError when the shard moved on (the
   * epoch is stale). `shardEnd` says a closed shard was read to its end: its children are
   * handed out right away.
   */
  async checkpoint(memberId: string, shardId: string, sequenceNumber: string, epoch: number, shardEnd = false): Promise<void> {
    // A checkpoint shows the member is alive as well as a heartbeat does.
    const groupId = await this.groups.heartbeat(memberId, this.settings.memberTtlMs);
    const group = groupId && (await this.groupById(groupId));
    if (!group) throw new MemberGoneError(memberId);
    const stream = await this.directory.byId(group.streamId);
    const shard = stream.shards.find((s) => s.shardId === shardId);
    if (!shard) throw notFound(`Shard ${shardId} not found in stream ${stream.name}.`);
    if (shardIndexIn(sequenceNumber) !== shard.index) throw invalidArgument(`Sequence number ${sequenceNumber} is not of ${shardId}.`);
    if (!(await this.groups.checkpoint(group.id, shard.index, memberId, epoch, sequenceNumber, shardEnd))) {
      throw new LeaseLostError(memberId, shardId, epoch);
    }
    if (shardEnd) await this.rebalance(group);
  }

  private async groupById(id: string): Promise<StoredGroup | undefined> {
    const known = this.known.get(id);
    if (known) return known;
    const group = await this.groups.groupById(id);
    if (this.known.size >= 1000) this.known.clear();
    if (group) this.known.set(id, group);
    return group;
  }

  /** The stream's groups, by name. */
  async list(streamName: string): Promise<Array<{ groupName: string; createdAt: Date }>> {
    const { stream } = await this.directory.active({ name: streamName });
    return (await this.groups.groupsOf(stream.id)).map((group) => ({ groupName: group.name, createdAt: group.createdAt }));
  }

  /** Forgets a group, its members, leases and checkpoints; its members' next heartbeats answer MemberGoneError. */
  async delete(streamName: string, groupName: string): Promise<void> {
    const { stream } = await this.directory.active({ name: streamName });
    const group = await this.groups.findGroup(stream.id, groupName);
    if (!group) throw notFound(`Consumer group ${groupName} of stream ${streamName} not found.`);
    await this.groups.deleteGroup(group.id);
  }

  /** Members, their shards, each shard's checkpoint and lag. */
  async describe(streamName: string, groupName: string): Promise<GroupView> {
    const { stream } = await this.directory.active({ name: streamName });
    const group = await this.groups.findGroup(stream.id, groupName);
    if (!group) throw notFound(`Consumer group ${groupName} of stream ${streamName} not found.`);
    const [members, leases, checkpoints] = await Promise.all([
      this.groups.members(group.id),
      this.groups.leases(group.id),
      this.groups.checkpoints(group.id),
    ]);
    const eligible = new Set(eligibleShards(lineage(stream, checkpoints)));
    const shards = await Promise.all(
      stream.shards.map(async (shard): Promise<ShardProgress> => {
        const lease = leases.find((l) => l.shardIndex === shard.index && l.memberId !== undefined);
        const checkpoint = checkpointOf(checkpoints, shard.index);
        const lag = checkpoint?.shardEnd ? { lagRecords: 0, lagMillis: 0 } : await this.lag(stream, shard, checkpoint);
        return {
          shardId: shard.shardId,
          status: shard.status,
          owner: lease?.memberId,
          epoch: lease?.epoch,
          checkpoint: checkpoint?.sequenceNumber,
          shardEnd: checkpoint?.shardEnd ?? false,
          waitingForParents: !eligible.has(shard.index) && !checkpoint?.shardEnd,
          ...lag,
        };
      }),
    );
    const live = members.filter((m) => m.live);
    return {
      streamName: stream.name,
      groupName: group.name,
      createdAt: group.createdAt,
      members: live.map((m) => ({
        memberId: m.id,
        joinedAt: m.joinedAt,
        lastHeartbeat: m.heartbeatAt,
        shards: shards.filter((s) => s.owner === m.id).map((s) => s.shardId),
      })),
      shards,
    };
  }

  /** How long a shard moved between live members waits for its previous holder to hear of it. */
  private get handoffMs(): number {
    return Math.round(this.settings.heartbeatMs * 1.5);
  }

  /** Drops silent members and moves leases to match the assignment; answers the stream it used. */
  private async rebalance(group: StoredGroup): Promise<Stream> {
    const stream = await this.directory.byId(group.streamId);
    await this.groups.locked(group.id, async (tx) => {
      await tx.removeExpired(group.id);
      // One connection in a transaction: one query at a time.
      const members = await tx.members(group.id);
      const leases = await tx.leases(group.id);
      const checkpoints = await tx.checkpoints(group.id);
      const current = new Map(leases.flatMap((l) => (l.memberId ? [[l.shardIndex, l.memberId] as const] : [])));
      const wanted = assignShards({ members: members.map((m) => m.id), shards: lineage(stream, checkpoints), current });
      for (const index of new Set([...current.keys(), ...wanted.keys()])) {
        if (current.get(index) === wanted.get(index)) continue;
        // A live holder learns of the move at its next heartbeat; the new one waits for that, so both rarely read at once.
        const handoff = current.has(index) && wanted.has(index) ? this.handoffMs : 0;
        await tx.setLease(group.id, index, wanted.get(index), handoff);
      }
    });
    return stream;
  }

  private async assignment(group: StoredGroup, stream: Stream, memberId: string): Promise<MemberAssignment> {
    const [leases, checkpoints] = await Promise.all([this.groups.leases(group.id), this.groups.checkpoints(group.id)]);
    const shards: LeasedShard[] = [];
    for (const lease of leases.filter((l) => l.memberId === memberId && l.ready)) {
      const shard = stream.shards.find((s) => s.index === lease.shardIndex);
      if (!shard) continue;
      const checkpoint = checkpointOf(checkpoints, shard.index)?.sequenceNumber;
      shards.push({ shardIndex: shard.index, shardId: shard.shardId, epoch: lease.epoch, checkpoint, start: await this.startOf(stream, shard, checkpoint) });
    }
    return { memberId, groupId: group.id, streamId: stream.id, heartbeatMs: this.settings.heartbeatMs, shards };
  }

  /** Just past the checkpoint, or the oldest record (a new group reads from TRIM_HORIZON). */
  private startOf(stream: Stream, shard: Shard, checkpoint: string | undefined): Promise<RecordPosition> {
    const request = checkpoint ? { type: 'AFTER_SEQUENCE_NUMBER' as const, sequenceNumber: checkpoint } : { type: 'TRIM_HORIZON' as const };
    return startPosition(this.store, stream, shard, request);
  }

  /** Messages not yet checkpointed, and how much older the first of them is than the newest. */
  private async lag(stream: Stream, shard: Shard, checkpoint: GroupCheckpoint | undefined): Promise<{ lagRecords: number; lagMillis: number }> {
    const address = { streamId: stream.id, shardIndex: shard.index };
    const { firstSeq, lastSeq } = await this.store.bounds(address).catch(() => ({ firstSeq: 0, lastSeq: 0 }));
    if (lastSeq === 0) return { lagRecords: 0, lagMillis: 0 };
    const start = await this.startOf(stream, shard, checkpoint?.sequenceNumber);
    const [oldest, newest] = await Promise.all([this.reader.read(address, start, 1), this.reader.read(address, { seq: lastSeq, index: 0 }, 1)]);
    const first = oldest.records[0];
    if (!first) return { lagRecords: 0, lagMillis: 0 };
    const from = Math.max(start.seq, firstSeq);
    const newestArrival = newest.records[0]?.arrivalTimestamp.getTime() ?? first.arrivalTimestamp.getTime();
    return { lagRecords: Math.max(0, lastSeq - from + 1), lagMillis: Math.max(0, newestArrival - first.arrivalTimestamp.getTime()) };
  }
}

/** The shard a sequence number belongs to; undefined when it is malformed. */
function shardIndexIn(sequenceNumber: string): number | undefined {
  try {
    return decodeSequenceNumber(sequenceNumber).shardIndex;
  } catch {
    return undefined;
  }
}

/** The stream's shards with their parents' indexes and whether the group finished them. */
export function lineage(stream: Stream, checkpoints: GroupCheckpoint[]): LineageShard[] {
  const indexOf = new Map(stream.shards.map((s) => [s.shardId, s.index]));
  return stream.shards.map((shard) => ({
    index: shard.index,
    parents: [shard.parentShardId, shard.adjacentParentShardId].flatMap((id) => (id && indexOf.has(id) ? [indexOf.get(id)!] : [])),
    finished: shard.status === 'CLOSED' && (checkpointOf(checkpoints, shard.index)?.shardEnd ?? false),
  }));
}
