import type { DataSource } from 'typeorm';

/** A source's delivery progress: messages up to `committedSeq` are delivered; `pending` is the batch in flight. */
export interface DeliveryProgress {
  committedSeq: number;
  pending?: { fromSeq: number; toSeq: number };
}

interface ProgressRow {
  committed_seq: string;
  pending_from_seq: string | null;
  pending_to_seq: string | null;
}

/**
 * Delivery progress of Firehose sources. The batch in flight is written before delivery
 * and cleared with the commit, in one statement each, so a crash leaves either the old
 * commit with the batch to redo, or the new commit.
 */
export class DeliveryProgressRepository {
  constructor(private readonly dataSource: DataSource) {}

  async get(deliveryStreamId: string, source: string): Promise<DeliveryProgress> {
    const rows: ProgressRow[] = await this.dataSource.query(
      `SELECT committed_seq, pending_from_seq, pending_to_seq FROM delivery_progress WHERE delivery_stream_id = $1 AND source = $2`,
      [deliveryStreamId, source],
    );
    if (rows.length === 0) return { committedSeq: 0 };
    const row = rows[0];
    const committedSeq = Number(row.committed_seq);
    if (row.pending_from_seq === null || row.pending_to_seq === null) return { committedSeq };
    return { committedSeq, pending: { fromSeq: Number(row.pending_from_seq), toSeq: Number(row.pending_to_seq) } };
  }

  /** Writes down the batch about to be delivered. */
  async begin(deliveryStreamId: string, source: string, fromSeq: number, toSeq: number): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO delivery_progress (delivery_stream_id, source, committed_seq, pending_from_seq, pending_to_seq)
       VALUES ($1, $2, $3 - 1, $3, $4)
       ON CONFLICT (delivery_stream_id, source)
       DO UPDATE SET pending_from_seq = $3, pending_to_seq = $4, updated_at = now()`,
      [deliveryStreamId, source, fromSeq, toSeq],
    );
  }

  /** The batch in flight reached the destination: everything up to `toSeq` is delivered. */
  async commit(deliveryStreamId: string, source: string, toSeq: number): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO delivery_progress (delivery_stream_id, source, committed_seq)
       VALUES ($1, $2, $3)
       ON CONFLICT (delivery_stream_id, source)
       DO UPDATE SET committed_seq = GREATEST(delivery_progress.committed_seq, $3), pending_from_seq = NULL, pending_to_seq = NULL, updated_at = now()`,
      [deliveryStreamId, source, toSeq],
    );
  }

  /** Progress of every source of a delivery stream (the console, lag). */
  async all(deliveryStreamId: string): Promise<Array<DeliveryProgress & { source: string }>> {
    const rows: Array<ProgressRow & { source: string }> = await this.dataSource.query(
      `SELECT source, committed_seq, pending_from_seq, pending_to_seq FROM delivery_progress WHERE delivery_stream_id = $1 ORDER BY source`,
      [deliveryStreamId],
    );
    return rows.map((row) => ({
      source: row.source,
      committedSeq: Number(row.committed_seq),
      ...(row.pending_from_seq !== null && row.pending_to_seq !== null
        ? { pending: { fromSeq: Number(row.pending_from_seq), toSeq: Number(row.pending_to_seq) } }
        : {}),
    }));
  }

  /** Forgets a deleted delivery stream's progress. */
  async remove(deliveryStreamId: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM delivery_progress WHERE delivery_stream_id = $1`, [deliveryStreamId]);
  }
}
