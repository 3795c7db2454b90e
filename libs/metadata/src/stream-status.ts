import type { StoredStreamStatus } from './entities/stream.entity';
import type { StreamStatus } from '@shardline/protocol';

/** The lifecycle columns of a stream row that its status derives from. */
export interface StreamLifecycle {
  status: StoredStreamStatus;
  readyAt: Date;
  goneAt: Date | null;
  /** UPDATING until this time (resharding, mode changes); absent or null when not updating. */
  updatingUntil?: Date | null;
}

/** A stream is gone (invisible, purgeable) once its deletion time has passed. */
export function isGone(lifecycle: Pick<StreamLifecycle, 'goneAt'>, now: Date): boolean {
  return lifecycle.goneAt !== null && lifecycle.goneAt.getTime() <= now.getTime();
}

/**
 * The status Kinesis reports: DELETING from the delete until `goneAt`, CREATING until
 * `readyAt`, UPDATING until `updatingUntil`, otherwise the stored ACTIVE or UPDATING. Timed states are derived, not
 * stored, so no background job has to flip them.
 */
export function deriveStreamStatus(lifecycle: StreamLifecycle, now: Date): StreamStatus {
  if (lifecycle.goneAt !== null) return 'DELETING';
  if (now.getTime() < lifecycle.readyAt.getTime()) return 'CREATING';
  if (lifecycle.updatingUntil && now.getTime() < lifecycle.updatingUntil.getTime()) return 'UPDATING';
  return lifecycle.status;
}
