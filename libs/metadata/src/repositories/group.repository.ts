import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';

/** A consumer group as stored. */
export interface StoredGroup {
  id: string;
  streamId: string;
  name: string;
  createdAt: Date;
}

/** A member row: alive while `expiresAt` is ahead of Postgres' now(). */
export interface StoredMember {
  id: string;
  groupId: string;
  joinedAt: Date;
  heartbeatAt: Date;
  expiresAt: Date;
  live: boolean;
}

/** Who reads a shard for the group (none once its member is gone), and the fencing epoch. */
export interface GroupLease {
  shardIndex: number;
  memberId?: string;
  epoch: number;
  /** False while the previous holder is being given time to stop (a handoff between live members). */
  ready: boolean;
}

/** How far the group has processed a shard. */
export interface GroupCheckpoint {
  shardIndex: number;
  sequenceNumber: string;
  shardEnd: boolean;
  updatedAt: Date;
}

type Db = DataSource | EntityManager;

// Member times come from Postgres' now(), so processes with skewed clocks agree.
const expiresIn = (param: number) => `now() + ($${param}::double precision * interval '1 millisecond')`;

interface GroupRow {
  id: string;
  stream_id: string;
  name: string;
  created_at: Date;
}
const toGroup = (row: GroupRow): StoredGroup => ({ id: row.id, streamId: row.stream_id, name: row.name, createdAt: row.created_at });

/**
 * Consumer groups: members heartbeat, shard leases carry a fencing epoch, checkpoints are
 * accepted only from the member holding the shard's lease at that epoch. Rebalancing runs
 * inside `locked`, which serialises it per group with a transaction-scoped advisory lock.
 */
export class GroupRepository {
  constructor(private readonly db: Db) {}

  /** The group, created on first use. */
  async ensureGroup(streamId: string, name: string): Promise<StoredGroup> {
    await this.db.query(
      `INSERT INTO consumer_groups (id, stream_id, name) VALUES ($1, $2, $3) ON CONFLICT (stream_id, name) DO NOTHING`,
      [randomUUID(), streamId, name],
    );
    return (await this.findGroup(streamId, name))!;
  }

  async findGroup(streamId: string, name: string): Promise<StoredGroup | undefined> {
    const rows: GroupRow[] = await this.db.query('SELECT * FROM consumer_groups WHERE stream_id = $1 AND name = $2', [streamId, name]);
    return rows[0] && toGroup(rows[0]);
  }

  async groupById(id: string): Promise<StoredGroup | undefined> {
    const rows: GroupRow[] = await this.db.query('SELECT * FROM consumer_groups WHERE id = $1', [id]);
    return rows[0] && toGroup(rows[0]);
  }

  /** Groups of a stream, by name. */
  async groupsOf(streamId: string): Promise<StoredGroup[]> {
    const rows: GroupRow[] = await this.db.query('SELECT * FROM consumer_groups WHERE stream_id = $1 ORDER BY name', [streamId]);
    return rows.map(toGroup);
  }

  async deleteGroup(id: string): Promise<void> {
    await this.db.query('DELETE FROM consumer_groups WHERE id = $1', [id]);
  }

  /** Adds the member (or renews it when it rejoins); false when the id belongs to another group. */
  async join(groupId: string, memberId: string, ttlMs: number): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      `INSERT INTO group_members AS m (id, group_id, expires_at) VALUES ($1, $2, ${expiresIn(3)})
       ON CONFLICT (id) DO UPDATE SET expires_at = EXCLUDED.expires_at, heartbeat_at = now()
        WHERE m.group_id = EXCLUDED.group_id
       RETURNING id`,
      [memberId, groupId, ttlMs],
    );
    return rows.length === 1;
  }

  /** Extends a live member by `ttlMs`; its group id, or undefined when it is gone (expired or left). */
  async heartbeat(memberId: string, ttlMs: number): Promise<string | undefined> {
    const [rows]: [Array<{ group_id: string }>, number] = await this.db.query(
      `UPDATE group_members SET heartbeat_at = now(), expires_at = ${expiresIn(2)}
        WHERE id = $1 AND expires_at > now() RETURNING group_id`,
      [memberId, ttlMs],
    );
    return rows[0]?.group_id;
  }

  /** Removes a member; its leases stay (member NULL) until the next rebalance hands them on. */
  async leave(memberId: string): Promise<string | undefined> {
    const [rows]: [Array<{ group_id: string }>, number] = await this.db.query(
      'DELETE FROM group_members WHERE id = $1 RETURNING group_id',
      [memberId],
    );
    return rows[0]?.group_id;
  }

  /** Removes the group's members whose heartbeats stopped; answers their ids. */
  async removeExpired(groupId: string): Promise<string[]> {
    const [rows]: [Array<{ id: string }>, number] = await this.db.query(
      'DELETE FROM group_members WHERE group_id = $1 AND expires_at <= now() RETURNING id',
      [groupId],
    );
    return rows.map((row) => row.id);
  }

  async members(groupId: string): Promise<StoredMember[]> {
    const rows: Array<{ id: string; group_id: string; joined_at: Date; heartbeat_at: Date; expires_at: Date; live: boolean }> =
      await this.db.query(
        'SELECT *, expires_at > now() AS live FROM group_members WHERE group_id = $1 ORDER BY id',
        [groupId],
      );
    return rows.map((row) => ({
      id: row.id,
      groupId: row.group_id,
      joinedAt: row.joined_at,
      heartbeatAt: row.heartbeat_at,
      expiresAt: row.expires_at,
      live: row.live,
    }));
  }

  async leases(groupId: string): Promise<GroupLease[]> {
    const rows: Array<{ shard_index: number; member_id: string | null; epoch: string; ready: boolean }> = await this.db.query(
      'SELECT shard_index, member_id, epoch, ready_at <= now() AS ready FROM group_leases WHERE group_id = $1 ORDER BY shard_index',
      [groupId],
    );
    return rows.map((row) => ({ shardIndex: row.shard_index, memberId: row.member_id ?? undefined, epoch: Number(row.epoch), ready: row.ready }));
  }

  async checkpoints(groupId: string): Promise<GroupCheckpoint[]> {
    const rows: Array<{ shard_index: number; sequence_number: string; shard_end: boolean; updated_at: Date }> = await this.db.query(
      'SELECT * FROM group_checkpoints WHERE group_id = $1 ORDER BY shard_index',
      [groupId],
    );
    return rows.map((row) => ({
      shardIndex: row.shard_index,
      sequenceNumber: row.sequence_number,
      shardEnd: row.shard_end,
      updatedAt: row.updated_at,
    }));
  }

  /**
   * Hands the shard to `memberId` (or to no one); the epoch grows whenever the holder changes.
   * The new holder may start reading `readyInMs` from now (time for a live previous holder to stop).
   */
  async setLease(groupId: string, shardIndex: number, memberId: string | undefined, readyInMs = 0): Promise<void> {
    await this.db.query(
      `INSERT INTO group_leases AS l (group_id, shard_index, member_id) VALUES ($1, $2, $3)
       ON CONFLICT (group_id, shard_index) DO UPDATE
          SET member_id = EXCLUDED.member_id, epoch = l.epoch + 1, assigned_at = now(), ready_at = ${expiresIn(4)}
        WHERE l.member_id IS DISTINCT FROM EXCLUDED.member_id`,
      [groupId, shardIndex, memberId ?? null, readyInMs],
    );
  }

  /**
   * Stores a checkpoint if `memberId` is live and holds the shard's lease at `epoch`, in one
   * statement; false when the lease moved on (the caller's reads of the shard are stale).
   */
  async checkpoint(
    groupId: string,
    shardIndex: number,
    memberId: string,
    epoch: number,
    sequenceNumber: string,
    shardEnd: boolean,
  ): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      `INSERT INTO group_checkpoints (group_id, shard_index, sequence_number, shard_end)
       SELECT $1, $2, $5, $6
        WHERE EXISTS (SELECT 1 FROM group_leases l JOIN group_members m ON m.id = l.member_id
                       WHERE l.group_id = $1 AND l.shard_index = $2 AND l.member_id = $3 AND l.epoch = $4
                         AND m.expires_at > now())
       ON CONFLICT (group_id, shard_index) DO UPDATE
          SET sequence_number = EXCLUDED.sequence_number, shard_end = EXCLUDED.shard_end, updated_at = now()
       RETURNING shard_index`,
      [groupId, shardIndex, memberId, epoch, sequenceNumber, shardEnd],
    );
    return rows.length === 1;
  }

  /** Runs `work` in one transaction holding the group's advisory lock (one rebalance at a time). */
  async locked<T>(groupId: string, work: (repository: GroupRepository) => Promise<T>): Promise<T> {
    return this.db.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`group:${groupId}`]);
      return work(new GroupRepository(manager));
    });
  }
}
