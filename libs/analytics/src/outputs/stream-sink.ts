/** Puts rows (JSON) into a Shardline stream through the platform's producer; records it refused are retried. */
import type { Context } from '@opentelemetry/api';
import type { PutRecordEntry, PutRecordsOutcome, StreamRef } from '@shardline/protocol';
import type { Row } from '@shardline/sql';
import { rowJson, withRetries, type RowSink } from './sink';

/** The platform's producer; `trace` parents the put, so the stored records carry the output's trace. */
export type PutRecords = (ref: StreamRef, records: PutRecordEntry[], trace?: Context) => Promise<PutRecordsOutcome>;

export class StreamSink implements RowSink {
  constructor(
    private readonly putRecords: PutRecords,
    private readonly streamName: string,
    private readonly partitionKeyColumn: string | undefined,
    private readonly initialBackoffMs = 200,
  ) {}

  async write(rows: readonly Row[], trace?: Context): Promise<void> {
    const entries = rows.map((row): PutRecordEntry => ({ partitionKey: this.partitionKey(row), data: Buffer.from(rowJson(row)) }));
    for (let start = 0; start < entries.length; start += 500) {
      let chunk = entries.slice(start, start + 500);
      await withRetries(
        async () => {
          const outcome = await this.putRecords({ name: this.streamName }, chunk, trace);
          const failed = chunk.filter((_, i) => 'errorCode' in outcome.records[i]!);
          if (failed.length === 0) return;
          chunk = failed;
          throw new Error(`stream output ${this.streamName}: ${failed.length} records not stored`);
        },
        { attempts: 8, initialMs: this.initialBackoffMs },
      );
    }
  }

  async close(): Promise<void> {}

  private partitionKey(row: Row): string {
    const column = this.partitionKeyColumn ?? Object.keys(row).find((k) => k !== 'ROWTIME');
    const value = column === undefined ? undefined : row[column];
    const key = value === null || value === undefined ? '' : String(value);
    return key === '' ? 'null' : key.slice(0, 256);
  }
}
