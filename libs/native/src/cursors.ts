import { createHmac, timingSafeEqual } from 'node:crypto';
import { invalidArgument, type RecordPosition } from '@shardline/protocol';

/** Where a REST read continues: a shard of a stream (by internal id, so a re-created stream is told apart) and a position. */
export interface ReadCursor {
  streamId: string;
  shardIndex: number;
  position: RecordPosition;
}

/**
 * Signs read cursors like shard iterators but without an issue time: a REST page link
 * stays valid as long as its records are retained, not 5 minutes. The signature keeps
 * clients from forging positions inside other streams' storage.
 */
export class ReadCursorCodec {
  constructor(private readonly secret: string) {}

  encode(cursor: ReadCursor): string {
    const body = [cursor.streamId, cursor.shardIndex, cursor.position.seq, cursor.position.index].join(':');
    const payload = Buffer.from(body).toString('base64url');
    return `${payload}.${this.sign(payload)}`;
  }

  /** Throws InvalidArgumentException (invalid-argument) for a forged or malformed cursor. */
  decode(token: string): ReadCursor {
    const [payload, signature = ''] = token.split('.');
    const expected = Buffer.from(this.sign(payload));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalidArgument('Invalid cursor.');
    const [streamId, shardIndex, seq, index] = Buffer.from(payload, 'base64url').toString().split(':');
    return { streamId, shardIndex: Number(shardIndex), position: { seq: Number(seq), index: Number(index) } };
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.secret).update('cursor:').update(payload).digest('base64url').slice(0, 22);
  }
}

/** Page cursor of the stream list: the last name of the page (names are public, so not signed). */
export const listCursor = {
  encode: (name: string) => Buffer.from(name).toString('base64url'),
  decode: (token: string) => Buffer.from(token, 'base64url').toString(),
};

/**
 * A tail's Last-Event-ID: the next position of every shard it follows, e.g. `0:15:0,3:2:1`
 * (shard index, JetStream sequence, record index in the batch). One id resumes the whole
 * tail exactly, including shards that had delivered nothing yet.
 */
export const tailPositions = {
  encode(positions: ReadonlyMap<number, RecordPosition>): string {
    return [...positions].map(([shard, p]) => `${shard}:${p.seq}:${p.index}`).join(',');
  },
  decode(id: string): Map<number, RecordPosition> {
    if (!/^\d{1,9}:\d{1,16}:\d{1,8}(,\d{1,9}:\d{1,16}:\d{1,8})*$/.test(id)) throw invalidArgument('Invalid Last-Event-ID.');
    return new Map(
      id.split(',').map((part) => {
        const [shard, seq, index] = part.split(':').map(Number);
        return [shard, { seq, index }];
      }),
    );
  },
};
