import { testRecord } from '../processing/testing';
import { errorOutputBody, errorOutputDocument } from './error-output';

describe('error output documents', () => {
  const record = testRecord('raw bytes');

  it('writes processing failures with lambdaArn', () => {
    const doc = errorOutputDocument(
      { record, type: 'processing-failed', errorCode: 'Lambda.FunctionError', errorMessage: 'boom', attemptsMade: 4 },
      { attemptEndingTimestamp: 1_700_000_000_000, lambdaArn: 'arn:aws:lambda:us-east-1:1:function:f' },
    );
    expect(doc).toEqual({
      attemptsMade: 4,
      arrivalTimestamp: record.approximateArrivalTimestamp,
      errorCode: 'Lambda.FunctionError',
      errorMessage: 'boom',
      attemptEndingTimestamp: 1_700_000_000_000,
      rawData: Buffer.from('raw bytes').toString('base64'),
      lambdaArn: 'arn:aws:lambda:us-east-1:1:function:f',
    });
  });

  it('writes format conversion failures with lastErrorCode and the source sequence', () => {
    const fromStream = { ...record, kinesisRecordMetadata: { shardId: 's', partitionKey: 'p', approximateArrivalTimestamp: 1, sequenceNumber: '4959', subsequenceNumber: 2 } };
    const doc = errorOutputDocument(
      { record: fromStream, type: 'format-conversion-failed', errorCode: 'DataFormatConversion.MalformedData', errorMessage: 'bad', attemptsMade: 1 },
      { attemptEndingTimestamp: 5, lambdaArn: 'arn:ignored' },
    );
    expect(doc).toEqual({
      attemptsMade: 1,
      arrivalTimestamp: record.approximateArrivalTimestamp,
      lastErrorCode: 'DataFormatConversion.MalformedData',
      lastErrorMessage: 'bad',
      attemptEndingTimestamp: 5,
      rawData: Buffer.from('raw bytes').toString('base64'),
      sequenceNumber: '4959',
      subSequenceNumber: 2,
    });
  });

  it('writes one JSON line per failed record, without lambdaArn for other kinds', () => {
    const body = errorOutputBody(
      [
        { record, type: 'partitioning-failed', errorCode: 'DynamicPartitioning.MetadataExtractionFailed', errorMessage: 'Non JSON record provided', attemptsMade: 1 },
        { record, type: 'processing-failed', errorCode: 'X', errorMessage: 'y', attemptsMade: 1 },
      ],
      { attemptEndingTimestamp: 9 },
    ).toString();
    const lines = body.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    expect(lines[0]).not.toHaveProperty('lambdaArn');
    expect(lines[0].errorMessage).toBe('Non JSON record provided');
    expect(body.endsWith('\n')).toBe(true);
  });
});
