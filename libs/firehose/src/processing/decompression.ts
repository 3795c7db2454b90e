/**
 * Decompression (CompressionFormat GZIP): CloudWatch Logs subscriptions deliver gzip-compressed
 * records; Firehose decompresses them before anything else. A record that does not decompress
 * goes to the error output as it came (AWS files it under decompression-failed; the shared
 * ErrorOutputType has no such kind, so it is processing-failed with errorCode
 * Decompression.Failed).
 */
import type { FailedRecord, FirehoseRecord } from '../model';
import { decompress } from '../format/compression';
import type { RecordStage } from './processing-configuration';
import { processingFailed } from './failures';

export function decompression(): RecordStage {
  return async (records) => {
    const out: FirehoseRecord[] = [];
    const failed: FailedRecord[] = [];
    for (const record of records) {
      try {
        out.push({ ...record, data: await decompress('GZIP', record.data) });
      } catch (err) {
        failed.push(processingFailed(record, 'Decompression.Failed', `The record could not be decompressed as GZIP: ${(err as Error).message}`));
      }
    }
    return { records: out, failed };
  };
}
