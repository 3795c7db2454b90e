/**
 * CloudWatchLogProcessing with DataMessageExtraction: after decompression, a CloudWatch Logs
 * record is `{messageType, owner, logGroup, logStream, subscriptionFilters, logEvents: [{id,
 * timestamp, message}]}`; message extraction "filters out all metadata ... and delivers only
 * the content inside the message fields", one message per line (developer guide, "Message
 * extraction after decompression of CloudWatch Logs"). CONTROL_MESSAGE records (CloudWatch's
 * reachability checks) carry no events and are dropped.
 */
import type { FailedRecord, FirehoseRecord } from '../model';
import type { RecordStage } from './processing-configuration';
import { processingFailed } from './failures';

interface LogsMessage {
  messageType?: string;
  logEvents?: { message?: unknown }[];
}

export function cloudWatchLogProcessing(dataMessageExtraction: boolean): RecordStage {
  return async (records) => {
    if (!dataMessageExtraction) return { records, failed: [] };
    const out: FirehoseRecord[] = [];
    const failed: FailedRecord[] = [];
    for (const record of records) {
      let message: LogsMessage;
      try {
        message = JSON.parse(record.data.toString('utf8')) as LogsMessage;
      } catch {
        failed.push(processingFailed(record, 'CloudWatchLogProcessing.Failed', 'The record is not a CloudWatch Logs subscription message (not JSON)'));
        continue;
      }
      if (message.messageType === 'CONTROL_MESSAGE') continue;
      if (message.messageType !== 'DATA_MESSAGE' || !Array.isArray(message.logEvents)) {
        failed.push(processingFailed(record, 'CloudWatchLogProcessing.Failed', 'The record is not a CloudWatch Logs DATA_MESSAGE'));
        continue;
      }
      const lines = message.logEvents.map((event) => (typeof event.message === 'string' ? event.message : JSON.stringify(event.message)));
      out.push({ ...record, data: Buffer.from(lines.join('\n')) });
    }
    return { records: out, failed };
  };
}
