/**
 * The JSON documents Firehose writes to the error output, one line per failed record.
 * Processing (Lambda) failures, per the Data Transformation Failure Handling section of the
 * Firehose developer guide:
 *   {attemptsMade, arrivalTimestamp, errorCode, errorMessage, attemptEndingTimestamp, rawData, lambdaArn}
 * Format conversion failures, per Record Format Conversion Error Handling:
 *   {attemptsMade, arrivalTimestamp, lastErrorCode, lastErrorMessage, attemptEndingTimestamp,
 *    rawData, sequenceNumber, subSequenceNumber, dataCatalogTable}
 * Other kinds (partitioning, delivery) use the processing shape without lambdaArn.
 */
import type { FailedRecord } from '../model';

/** Context a failure document may carry, depending on its kind. */
export interface ErrorOutputContext {
  /** Epoch ms when Firehose stopped trying (injected time). */
  attemptEndingTimestamp: number;
  /** The transform's ARN, for processing-failed records. */
  lambdaArn?: string;
  /** The schema's catalog table, for format-conversion-failed records. */
  dataCatalogTable?: { catalogId?: string; databaseName?: string; tableName?: string; region?: string; versionId?: string; catalogArn?: string };
}

/** One error-output document for one failed record. */
export function errorOutputDocument(failed: FailedRecord, context: ErrorOutputContext): Record<string, unknown> {
  const { record } = failed;
  const common = {
    attemptsMade: failed.attemptsMade,
    arrivalTimestamp: record.approximateArrivalTimestamp,
  };
  if (failed.type === 'format-conversion-failed') {
    return {
      ...common,
      lastErrorCode: failed.errorCode,
      lastErrorMessage: failed.errorMessage,
      attemptEndingTimestamp: context.attemptEndingTimestamp,
      rawData: record.data.toString('base64'),
      ...(record.kinesisRecordMetadata
        ? {
            sequenceNumber: record.kinesisRecordMetadata.sequenceNumber,
            subSequenceNumber: record.kinesisRecordMetadata.subsequenceNumber ?? 0,
          }
        : {}),
      ...(context.dataCatalogTable ? { dataCatalogTable: context.dataCatalogTable } : {}),
    };
  }
  return {
    ...common,
    errorCode: failed.errorCode,
    errorMessage: failed.errorMessage,
    attemptEndingTimestamp: context.attemptEndingTimestamp,
    rawData: record.data.toString('base64'),
    ...(failed.type === 'processing-failed' && context.lambdaArn ? { lambdaArn: context.lambdaArn } : {}),
  };
}

/** The body of an error-output object: newline-delimited JSON documents. */
export function errorOutputBody(failed: readonly FailedRecord[], context: ErrorOutputContext): Buffer {
  return Buffer.from(failed.map((f) => JSON.stringify(errorOutputDocument(f, context)) + '\n').join(''));
}
