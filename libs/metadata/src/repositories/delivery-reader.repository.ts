import type { DataSource } from 'typeorm';

/**
 * Holds on a direct-put delivery stream's records by readers other than its pipeline (analytics
 * applications): the pipeline purges delivered messages only up to the lowest fresh hold. A hold
 * not renewed within the hold time (a reader stopped and forgotten) no longer counts, so a
 * stopped reader keeps records for that long at most, like a Kinesis stream's retention.
 */
export class DeliveryReaderRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The reader needs every message after `position` (renews the hold). */
  async hold(deliveryStreamId: string, reader: string, position: number): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO delivery_stream_readers (delivery_stream_id, reader, position, updated_at) VALUES ($1, $2, $3, now())
       ON CONFLICT (delivery_stream_id, reader) DO UPDATE SET position = $3, updated_at = now()`,
      [deliveryStreamId, reader, position],
    );
  }

  /** The lowest position held within the last `freshMs` (undefined: nobody holds). */
  async floor(deliveryStreamId: string, freshMs: number): Promise<number | undefined> {
    const rows: Array<{ floor: string | null }> = await this.dataSource.query(
      `SELECT min(position) AS floor FROM delivery_stream_readers
       WHERE delivery_stream_id = $1 AND updated_at > now() - make_interval(secs => $2::double precision / 1000)`,
      [deliveryStreamId, freshMs],
    );
    return rows[0]?.floor === null || rows[0]?.floor === undefined ? undefined : Number(rows[0].floor);
  }

  /** The reader's holds on delivery streams other than `keep` go (it reads something else now, or is gone). */
  async release(reader: string, keep?: string): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM delivery_stream_readers WHERE reader = $1 AND ($2::uuid IS NULL OR delivery_stream_id <> $2::uuid)`,
      [reader, keep ?? null],
    );
  }
}
