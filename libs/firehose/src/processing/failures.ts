/** FailedRecord builders shared by the processors. */
import type { FailedRecord, FirehoseRecord } from '../model';

/** A record a processor could not handle: it goes to the error output as processing-failed. */
export function processingFailed(record: FirehoseRecord, errorCode: string, errorMessage: string): FailedRecord {
  return { record, type: 'processing-failed', errorCode, errorMessage, attemptsMade: 1 };
}

/** A record whose partition keys could not be extracted. */
export function partitioningFailed(record: FirehoseRecord, errorCode: string, errorMessage: string): FailedRecord {
  return { record, type: 'partitioning-failed', errorCode, errorMessage, attemptsMade: 1 };
}

/** Sub-records keep their parent's position; the id gets the sub-record's index. */
export function subRecord(parent: FirehoseRecord, index: number, data: Buffer): FirehoseRecord {
  return { ...parent, recordId: `${parent.recordId}.${index}`, data };
}
