/** Puts rows (one JSON document and a newline per record) into a Firehose delivery stream's direct-put storage. */
import type { Context } from '@opentelemetry/api';
import type { Row } from '@shardline/sql';
import { traceparentOf } from '@shardline/telemetry';
import { rowJson, withRetries, type RowSink } from './sink';

/**
 * Stores records in a delivery stream by name (DirectPutStore behind a name lookup); one result
 * per record. `traceparent` is kept in the stored messages' headers.
 */
export type PutDeliveryRecords = (deliveryStreamName: string, records: readonly Buffer[], traceparent?: string) => Promise<Array<{ errorCode?: string }>>;

export class DeliveryStreamSink implements RowSink {
  constructor(
    private readonly put: PutDeliveryRecords,
    private readonly deliveryStreamName: string,
    private readonly initialBackoffMs = 200,
  ) {}

  async write(rows: readonly Row[], trace?: Context): Promise<void> {
    const traceparent = traceparentOf(trace);
    let records = rows.map((row) => Buffer.from(rowJson(row) + '\n'));
    await withRetries(
      async () => {
        const results = await this.put(this.deliveryStreamName, records, traceparent);
        records = records.filter((_, i) => results[i]?.errorCode);
        if (records.length > 0) throw new Error(`delivery stream output ${this.deliveryStreamName}: ${records.length} records not stored`);
      },
      { attempts: 8, initialMs: this.initialBackoffMs },
    );
  }

  async close(): Promise<void> {}
}
