/**
 * AppendDelimiterToRecord: "add a new line delimiter between records in objects that are
 * delivered to Amazon S3" (API reference, Processor). Runs last, after MetadataExtraction.
 */
import type { RecordStage } from './processing-configuration';

export function appendDelimiter(delimiter: Buffer): RecordStage {
  return async (records) => ({
    records: records.map((record) => ({ ...record, data: Buffer.concat([record.data, delimiter]) })),
    failed: [],
  });
}
