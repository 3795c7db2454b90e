import { DataSource, QueryFailedError } from 'typeorm';

/** A shard that some `shards` process should run: open, in a stream that is not being deleted. */
export interface AssignableShard {
  streamId: string;
  shardIndex: number;
  shardId: string;
}

/** A lease row as stored: who runs the shard until when, and the fencing epoch. */
export interface ShardLease {
  streamId: string;
  shardIndex: number;
  owner: string;
  expiresAt: Date;
  epoch: number;
}

/** A lease the owner holds after a renewal. */
export interface HeldLease {
  streamId: string;
  shardIndex: number;
  epoch: number;
}

const FOREIGN_KEY_VIOLATION = '23503';

// All lease times come from Postgres' now(), so processes with skewed clocks agree.
const EXPIRES = `now() + ($TTL::double precision * interval '1 millisecond')`;
const expiresIn = (param: number) => EXPIRES.replace('$TTL', `$${param}`);

/**
 * Shard ownership for the `shards` processes: owners heartbeat, and each shard's lease
 * is claimed, renewed and released with single atomic statements.
 */
export class LeaseRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Registers the owner or extends its liveness by `ttlMs`. */
  async heartbeat(ownerId: string, ttlMs: number): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO shard_owners (id, expires_at) VALUES ($1, ${expiresIn(2)})
       ON CONFLICT (id) DO UPDATE SET expires_at = EXCLUDED.expires_at`,
      [ownerId, ttlMs],
    );
  }

  /** Forgets an owner (on clean shutdown); its leases are released separately. */
  async removeOwner(ownerId: string): Promise<void> {
    await this.dataSource.query('DELETE FROM shard_owners WHERE id = $1', [ownerId]);
  }

  /** Owners whose heartbeat has not expired, ordered by id. */
  async liveOwners(): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      'SELECT id FROM shard_owners WHERE expires_at > now() ORDER BY id',
    );
    return rows.map((row) => row.id);
  }

  /** Open shards of streams that are not deleting or gone, ordered by stream and index. */
  async assignableShards(): Promise<AssignableShard[]> {
    const rows: Array<{ stream_id: string; shard_index: number; shard_id: string }> = await this.dataSource.query(
      `SELECT sh.stream_id, sh.shard_index, sh.shard_id
         FROM shards sh JOIN streams s ON s.id = sh.stream_id
        WHERE sh.status = 'OPEN' AND s.gone_at IS NULL
        ORDER BY sh.stream_id, sh.shard_index`,
    );
    return rows.map((row) => ({ streamId: row.stream_id, shardIndex: row.shard_index, shardId: row.shard_id }));
  }

  /** Every lease, expired ones included, ordered by stream and index. */
  async leases(): Promise<ShardLease[]> {
    const rows: Array<{ stream_id: string; shard_index: number; owner: string; expires_at: Date; epoch: string }> =
      await this.dataSource.query(
        'SELECT stream_id, shard_index, owner, expires_at, epoch FROM shard_leases ORDER BY stream_id, shard_index',
      );
    return rows.map((row) => ({
      streamId: row.stream_id,
      shardIndex: row.shard_index,
      owner: row.owner,
      expiresAt: row.expires_at,
      epoch: Number(row.epoch),
    }));
  }

  /**
   * Claims the shard for `owner` if it is free, expired, or already the owner's. One
   * statement, so of two racing owners exactly one wins. The epoch grows on every
   * claim except the owner re-claiming its own live lease. Undefined if someone else
   * holds it, or the shard no longer exists.
   */
  async tryClaim(streamId: string, shardIndex: number, owner: string, ttlMs: number): Promise<{ epoch: number } | undefined> {
    try {
      const rows: Array<{ epoch: string }> = await this.dataSource.query(
        `INSERT INTO shard_leases AS l (stream_id, shard_index, owner, expires_at, epoch)
         VALUES ($1, $2, $3, ${expiresIn(4)}, 1)
         ON CONFLICT (stream_id, shard_index) DO UPDATE
            SET owner = EXCLUDED.owner,
                expires_at = EXCLUDED.expires_at,
                epoch = l.epoch + CASE WHEN l.owner = EXCLUDED.owner AND l.expires_at > now() THEN 0 ELSE 1 END
          WHERE l.expires_at <= now() OR l.owner = EXCLUDED.owner
         RETURNING epoch`,
        [streamId, shardIndex, owner, ttlMs],
      );
      return rows.length === 0 ? undefined : { epoch: Number(rows[0]!.epoch) };
    } catch (err) {
      if (err instanceof QueryFailedError && (err.driverError as { code?: string }).code === FOREIGN_KEY_VIOLATION) {
        return undefined;
      }
      throw err;
    }
  }

  /** Extends all of the owner's unexpired leases by `ttlMs` and returns them; expired ones are lost. */
  async renew(owner: string, ttlMs: number): Promise<HeldLease[]> {
    const [rows]: [Array<{ stream_id: string; shard_index: number; epoch: string }>, number] = await this.dataSource.query(
      `UPDATE shard_leases SET expires_at = ${expiresIn(2)}
        WHERE owner = $1 AND expires_at > now()
       RETURNING stream_id, shard_index, epoch`,
      [owner, ttlMs],
    );
    return rows
      .map((row) => ({ streamId: row.stream_id, shardIndex: row.shard_index, epoch: Number(row.epoch) }))
      .sort((a, b) => a.streamId.localeCompare(b.streamId) || a.shardIndex - b.shardIndex);
  }

  /**
   * Gives the shard up if `owner` holds it. The row stays, expired, so the next claim
   * continues its epoch instead of starting again at 1.
   */
  async release(streamId: string, shardIndex: number, owner: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE shard_leases SET expires_at = now()
        WHERE stream_id = $1 AND shard_index = $2 AND owner = $3 AND expires_at > now()`,
      [streamId, shardIndex, owner],
    );
  }

  /** Gives up every shard the owner holds (on shutdown). */
  async releaseAll(owner: string): Promise<void> {
    await this.dataSource.query('UPDATE shard_leases SET expires_at = now() WHERE owner = $1 AND expires_at > now()', [
      owner,
    ]);
  }
}
