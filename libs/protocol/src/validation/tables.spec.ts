import { ShardlineError } from '../errors';
import { addTagsToStreamTable } from './add-tags-to-stream';
import { MISSING_STREAM_REF } from './common';
import { createStreamTable } from './create-stream';
import { decreaseStreamRetentionPeriodTable } from './decrease-stream-retention-period';
import { deleteStreamTable } from './delete-stream';
import { describeStreamTable } from './describe-stream';
import { describeStreamSummaryTable } from './describe-stream-summary';
import { validate } from './engine';
import { getRecordsTable } from './get-records';
import { getShardIteratorTable } from './get-shard-iterator';
import { increaseStreamRetentionPeriodTable } from './increase-stream-retention-period';
import { listShardsTable } from './list-shards';
import { listStreamsTable } from './list-streams';
import { listTagsForStreamTable } from './list-tags-for-stream';
import { putRecordTable } from './put-record';
import { putRecordsTable } from './put-records';
import { mergeShardsTable } from './merge-shards';
import { removeTagsFromStreamTable } from './remove-tags-from-stream';
import { splitShardTable } from './split-shard';
import { updateShardCountTable } from './update-shard-count';
import { updateStreamModeTable } from './update-stream-mode';
import type { ValidationTable } from './table';

/** Validates a copy (validate normalizes its body in place, and fixtures are shared). */
function outcome(table: ValidationTable, body: Record<string, unknown>): { type: string; message: string } | 'ok' {
  try {
    validate(table, structuredClone(body));
    return 'ok';
  } catch (err) {
    if (err instanceof ShardlineError) return { type: err.type, message: err.message };
    throw err;
  }
}

const violation = (path: string, value: string, rule: string) => ({
  type: 'ValidationException',
  message: `1 validation error detected: Value ${value} at '${path}' failed to satisfy constraint: ${rule}`,
});
const invalid = (message: string) => ({ type: 'InvalidArgumentException', message });
const tooLong = (n: number) => `Member must have length less than or equal to ${n}`;
const tooShort = (n: number) => `Member must have length greater than or equal to ${n}`;
const atLeast = (n: number) => `Member must have value greater than or equal to ${n}`;
const atMost = (n: number) => `Member must have value less than or equal to ${n}`;
const NOT_NULL = 'Member must not be null';
const NAME_RULE = 'Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+';
const ARN = 'arn:aws:kinesis:us-east-1:123456789012:stream/s';

/** Tables of operations that name a stream by StreamName or StreamARN. */
const streamTables: [string, ValidationTable, Record<string, unknown>][] = [
  ['DeleteStream', deleteStreamTable, {}],
  ['DescribeStream', describeStreamTable, {}],
  ['DescribeStreamSummary', describeStreamSummaryTable, {}],
  ['PutRecord', putRecordTable, { Data: '', PartitionKey: 'p' }],
  ['PutRecords', putRecordsTable, { Records: [{ Data: '', PartitionKey: 'p' }] }],
  ['GetShardIterator', getShardIteratorTable, { ShardId: 'shardId-0', ShardIteratorType: 'LATEST' }],
  ['IncreaseStreamRetentionPeriod', increaseStreamRetentionPeriodTable, { RetentionPeriodHours: 48 }],
  ['DecreaseStreamRetentionPeriod', decreaseStreamRetentionPeriodTable, { RetentionPeriodHours: 48 }],
  ['AddTagsToStream', addTagsToStreamTable, { Tags: { k: 'v' } }],
  ['RemoveTagsFromStream', removeTagsFromStreamTable, { TagKeys: ['k'] }],
  ['ListTagsForStream', listTagsForStreamTable, {}],
  ['SplitShard', splitShardTable, { ShardToSplit: 'shardId-0', NewStartingHashKey: '10' }],
  ['MergeShards', mergeShardsTable, { ShardToMerge: 'shardId-0', AdjacentShardToMerge: 'shardId-1' }],
  ['UpdateShardCount', updateShardCountTable, { TargetShardCount: 2, ScalingType: 'UNIFORM_SCALING' }],
];

describe.each(streamTables)('%s: StreamName / StreamARN', (_name, table, rest) => {
  it('accepts a StreamName', () => expect(outcome(table, { ...rest, StreamName: 's' })).toBe('ok'));
  it('accepts a StreamARN', () => expect(outcome(table, { ...rest, StreamARN: ARN })).toBe('ok'));
  it('refuses neither', () => {
    expect(outcome(table, rest)).toEqual({ type: 'ValidationException', message: MISSING_STREAM_REF });
  });
  it('checks the StreamName pattern', () => {
    expect(outcome(table, { ...rest, StreamName: 'a/b' })).toEqual(violation('streamName', "'a/b'", NAME_RULE));
  });
  it('checks the StreamName length', () => {
    const name = 'a'.repeat(129);
    expect(outcome(table, { ...rest, StreamName: name })).toEqual(violation('streamName', `'${name}'`, tooLong(128)));
  });
  it('checks the StreamARN pattern', () => {
    expect(outcome(table, { ...rest, StreamARN: 'arn:aws:s3:::bucket' })).toEqual(
      violation(
        'streamARN',
        "'arn:aws:s3:::bucket'",
        'Member must satisfy regular expression pattern: arn:aws.*:kinesis:.*:\\d{12}:stream/\\S+',
      ),
    );
  });
  it('checks the StreamARN length', () => {
    const arn = `arn:aws:kinesis:us-east-1:123456789012:stream/${'a'.repeat(2048)}`;
    expect(outcome(table, { ...rest, StreamARN: arn })).toEqual(violation('streamARN', `'${arn}'`, tooLong(2048)));
  });
});

describe('SplitShard, MergeShards, UpdateShardCount, UpdateStreamMode', () => {
  it('require their members', () => {
    expect(outcome(splitShardTable, { StreamName: 's', ShardToSplit: 'shardId-0' })).toEqual(
      violation('newStartingHashKey', 'null', NOT_NULL),
    );
    expect(outcome(mergeShardsTable, { StreamName: 's', ShardToMerge: 'shardId-0' })).toEqual(
      violation('adjacentShardToMerge', 'null', NOT_NULL),
    );
    expect(outcome(updateShardCountTable, { StreamName: 's', TargetShardCount: 2 })).toEqual(
      violation('scalingType', 'null', NOT_NULL),
    );
    expect(outcome(updateStreamModeTable, { StreamARN: ARN })).toEqual(violation('streamModeDetails', 'null', NOT_NULL));
    expect(outcome(updateStreamModeTable, { StreamModeDetails: { StreamMode: 'ON_DEMAND' } })).toEqual(
      violation('streamARN', 'null', NOT_NULL),
    );
  });
  it('check the hash key pattern, the scaling type and the target count', () => {
    expect(outcome(splitShardTable, { StreamName: 's', ShardToSplit: 'shardId-0', NewStartingHashKey: '-1' })).toEqual(
      violation('newStartingHashKey', "'-1'", 'Member must satisfy regular expression pattern: 0|([1-9]\\d{0,38})'),
    );
    expect(outcome(updateShardCountTable, { StreamName: 's', TargetShardCount: 2, ScalingType: 'SOME' })).toEqual(
      violation('scalingType', "'SOME'", 'Member must satisfy enum value set: [UNIFORM_SCALING]'),
    );
    expect(outcome(updateShardCountTable, { StreamName: 's', TargetShardCount: 0, ScalingType: 'UNIFORM_SCALING' })).toEqual(
      violation('targetShardCount', "'0'", atLeast(1)),
    );
    expect(outcome(updateStreamModeTable, { StreamARN: ARN, StreamModeDetails: { StreamMode: 'FAST' } })).toEqual(
      violation('streamModeDetails.streamMode', "'FAST'", 'Member must satisfy enum value set: [PROVISIONED, ON_DEMAND]'),
    );
  });
});

describe('CreateStream', () => {
  it('requires StreamName', () => {
    expect(outcome(createStreamTable, { ShardCount: 1 })).toEqual(violation('streamName', 'null', NOT_NULL));
  });
  it('needs ShardCount >= 1', () => {
    expect(outcome(createStreamTable, { StreamName: 's', ShardCount: 0 })).toEqual(
      violation('shardCount', "'0'", atLeast(1)),
    );
  });
  it('knows the stream modes', () => {
    expect(outcome(createStreamTable, { StreamName: 's', StreamModeDetails: { StreamMode: 'FAST' } })).toEqual(
      violation('streamModeDetails.streamMode', "'FAST'", 'Member must satisfy enum value set: [PROVISIONED, ON_DEMAND]'),
    );
  });
  it('requires StreamMode inside StreamModeDetails', () => {
    expect(outcome(createStreamTable, { StreamName: 's', StreamModeDetails: {} })).toEqual(
      violation('streamModeDetails.streamMode', 'null', NOT_NULL),
    );
  });
  it('limits tag keys to 1-128 characters', () => {
    const key = 'k'.repeat(129);
    expect(outcome(createStreamTable, { StreamName: 's', Tags: { [key]: 'v' } })).toEqual(
      violation('tags', `'{${key}=v}'`, `Map keys must satisfy constraint: [${tooLong(128)}, ${tooShort(1)}]`),
    );
  });
  it('limits tag values to 256 characters', () => {
    const value = 'v'.repeat(257);
    expect(outcome(createStreamTable, { StreamName: 's', Tags: { k: value } })).toEqual(
      violation('tags', `'{k=${value}}'`, `Map value must satisfy constraint: [${tooLong(256)}, ${tooShort(0)}]`),
    );
  });
});

describe('DescribeStream', () => {
  it.each([
    [{ Limit: 0 }, violation('limit', "'0'", atLeast(1))],
    [{ Limit: 10001 }, violation('limit', "'10001'", atMost(10000))],
    [{ ExclusiveStartShardId: 'a b' }, violation('exclusiveStartShardId', "'a b'", NAME_RULE)],
  ])('%j', (body, expected) => expect(outcome(describeStreamTable, { StreamName: 's', ...body })).toEqual(expected));
});

describe('ListStreams', () => {
  it.each([
    [{ Limit: 0 }, violation('limit', "'0'", atLeast(1))],
    [{ Limit: 10001 }, violation('limit', "'10001'", atMost(10000))],
    [{ ExclusiveStartStreamName: '' }, {
      type: 'ValidationException',
      message:
        "2 validation errors detected: Value '' at 'exclusiveStartStreamName' failed to satisfy constraint: " +
        `${NAME_RULE}; Value '' at 'exclusiveStartStreamName' failed to satisfy constraint: ${tooShort(1)}`,
    }],
    [{ NextToken: '' }, violation('nextToken', "''", tooShort(1))],
  ])('%j', (body, expected) => expect(outcome(listStreamsTable, body)).toEqual(expected));
});

describe('ListShards', () => {
  it('needs a stream or a NextToken', () => {
    expect(outcome(listShardsTable, {})).toEqual(invalid('Either NextToken or StreamName should be provided.'));
  });
  it('refuses a stream with a NextToken', () => {
    expect(outcome(listShardsTable, { StreamName: 's', NextToken: 't' })).toEqual(
      invalid('NextToken and StreamName cannot be provided together.'),
    );
    expect(outcome(listShardsTable, { StreamARN: ARN, NextToken: 't' })).toEqual(
      invalid('NextToken and StreamName cannot be provided together.'),
    );
  });
  it('refuses ExclusiveStartShardId with a NextToken', () => {
    expect(outcome(listShardsTable, { NextToken: 't', ExclusiveStartShardId: 'shardId-1' })).toEqual(
      invalid('NextToken and ExclusiveStartShardId cannot be provided together.'),
    );
  });
  it.each([
    [{ MaxResults: 0 }, violation('maxResults', "'0'", atLeast(1))],
    [{ MaxResults: 10001 }, violation('maxResults', "'10001'", atMost(10000))],
    [{ ShardFilter: { Type: 'NOW' } }, violation(
      'shardFilter.type',
      "'NOW'",
      'Member must satisfy enum value set: [AFTER_SHARD_ID, AT_TRIM_HORIZON, FROM_TRIM_HORIZON, AT_LATEST, AT_TIMESTAMP, FROM_TIMESTAMP]',
    )],
    [{ ShardFilter: {} }, violation('shardFilter.type', 'null', NOT_NULL)],
    [{ ShardFilter: { Type: 'AFTER_SHARD_ID' } }, invalid('ShardId must be provided in a ShardFilter of type AFTER_SHARD_ID.')],
    [{ ShardFilter: { Type: 'AT_TIMESTAMP' } }, invalid('Timestamp must be provided in a ShardFilter of type AT_TIMESTAMP.')],
    [{ ShardFilter: { Type: 'FROM_TIMESTAMP' } }, invalid('Timestamp must be provided in a ShardFilter of type FROM_TIMESTAMP.')],
  ])('%j', (body, expected) => expect(outcome(listShardsTable, { StreamName: 's', ...body })).toEqual(expected));
});

describe('PutRecord', () => {
  const base = { StreamName: 's', Data: '', PartitionKey: 'p' };
  it('requires Data and PartitionKey', () => {
    expect(outcome(putRecordTable, { StreamName: 's' })).toEqual({
      type: 'ValidationException',
      message:
        `2 validation errors detected: Value null at 'data' failed to satisfy constraint: ${NOT_NULL}; ` +
        `Value null at 'partitionKey' failed to satisfy constraint: ${NOT_NULL}`,
    });
  });
  // The stream's own limit (1 MiB unless raised) is the operation's check (record-operations.spec).
  it('accepts 10 MiB of data, the largest any stream takes, and refuses one byte more', () => {
    const limit = Buffer.alloc(10485760).toString('base64');
    const over = Buffer.alloc(10485761).toString('base64');
    expect(outcome(putRecordTable, { ...base, Data: limit })).toBe('ok');
    expect(outcome(putRecordTable, { ...base, Data: over })).toEqual(
      violation('data', "'java.nio.HeapByteBuffer[pos=0 lim=10485761 cap=10485761]'", tooLong(10485760)),
    );
  });
  it('limits PartitionKey to 1-256 characters', () => {
    expect(outcome(putRecordTable, { ...base, PartitionKey: '' })).toEqual(violation('partitionKey', "''", tooShort(1)));
    const key = 'k'.repeat(257);
    expect(outcome(putRecordTable, { ...base, PartitionKey: key })).toEqual(violation('partitionKey', `'${key}'`, tooLong(256)));
  });
  it('checks the ExplicitHashKey pattern', () => {
    expect(outcome(putRecordTable, { ...base, ExplicitHashKey: '01' })).toEqual(
      violation('explicitHashKey', "'01'", 'Member must satisfy regular expression pattern: 0|([1-9]\\d{0,38})'),
    );
  });
  it('checks the SequenceNumberForOrdering pattern', () => {
    expect(outcome(putRecordTable, { ...base, SequenceNumberForOrdering: 'x' })).toEqual(
      violation('sequenceNumberForOrdering', "'x'", 'Member must satisfy regular expression pattern: 0|([1-9]\\d{0,128})'),
    );
  });
});

describe('PutRecords', () => {
  const record = { Data: '', PartitionKey: 'p' };
  it('requires Records', () => {
    expect(outcome(putRecordsTable, { StreamName: 's' })).toEqual(violation('records', 'null', NOT_NULL));
  });
  it('needs at least one record', () => {
    expect(outcome(putRecordsTable, { StreamName: 's', Records: [] })).toEqual(violation('records', "'[]'", tooShort(1)));
  });
  it('accepts 500 records and refuses 501', () => {
    expect(outcome(putRecordsTable, { StreamName: 's', Records: Array(500).fill(record) })).toBe('ok');
    const result = outcome(putRecordsTable, { StreamName: 's', Records: Array.from({ length: 501 }, () => ({ ...record })) });
    expect(result).toMatchObject({ type: 'ValidationException' });
    expect(result !== 'ok' && result.message).toMatch(new RegExp(`at 'records' failed to satisfy constraint: ${tooLong(500)}$`));
  });
  it('checks each record like PutRecord', () => {
    expect(outcome(putRecordsTable, { StreamName: 's', Records: [record, { ...record, ExplicitHashKey: 'x' }] })).toEqual(
      violation('records.2.member.explicitHashKey', "'x'", 'Member must satisfy regular expression pattern: 0|([1-9]\\d{0,38})'),
    );
  });
});

describe('GetShardIterator', () => {
  const base = { StreamName: 's', ShardId: 'shardId-0' };
  const rule = (type: string, which: string) =>
    invalid(
      'Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and StartingSequenceNumber or ' +
        `(2) TRIM_HORIZON or LATEST and no StartingSequenceNumber. Request specified ${type} and ${which} StartingSequenceNumber.`,
    );
  it('requires ShardId and ShardIteratorType', () => {
    expect(outcome(getShardIteratorTable, { StreamName: 's' })).toEqual({
      type: 'ValidationException',
      message:
        `2 validation errors detected: Value null at 'shardId' failed to satisfy constraint: ${NOT_NULL}; ` +
        `Value null at 'shardIteratorType' failed to satisfy constraint: ${NOT_NULL}`,
    });
  });
  it('knows the iterator types', () => {
    expect(outcome(getShardIteratorTable, { ...base, ShardIteratorType: 'OLDEST' })).toEqual(
      violation(
        'shardIteratorType',
        "'OLDEST'",
        'Member must satisfy enum value set: [AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER, TRIM_HORIZON, LATEST, AT_TIMESTAMP]',
      ),
    );
  });
  it.each(['AT_SEQUENCE_NUMBER', 'AFTER_SEQUENCE_NUMBER'])('%s needs a StartingSequenceNumber', (type) => {
    expect(outcome(getShardIteratorTable, { ...base, ShardIteratorType: type })).toEqual(rule(type, 'no'));
    expect(outcome(getShardIteratorTable, { ...base, ShardIteratorType: type, StartingSequenceNumber: '1' })).toBe('ok');
  });
  it.each(['TRIM_HORIZON', 'LATEST'])('%s refuses a StartingSequenceNumber', (type) => {
    expect(outcome(getShardIteratorTable, { ...base, ShardIteratorType: type, StartingSequenceNumber: '1' })).toEqual(
      rule(type, 'also a'),
    );
  });
  it('AT_TIMESTAMP needs a Timestamp', () => {
    expect(outcome(getShardIteratorTable, { ...base, ShardIteratorType: 'AT_TIMESTAMP' })).toEqual(
      invalid(
        'Must specify timestampInMillis parameter for iterator of type AT_TIMESTAMP. Current request has no timestamp parameter.',
      ),
    );
    expect(outcome(getShardIteratorTable, { ...base, ShardIteratorType: 'AT_TIMESTAMP', Timestamp: 1.5e9 })).toBe('ok');
  });
  it('checks the StartingSequenceNumber pattern', () => {
    expect(outcome(getShardIteratorTable, { ...base, ShardIteratorType: 'AT_SEQUENCE_NUMBER', StartingSequenceNumber: '-1' })).toEqual(
      violation('startingSequenceNumber', "'-1'", 'Member must satisfy regular expression pattern: 0|([1-9]\\d{0,128})'),
    );
  });
});

describe('GetRecords', () => {
  it('requires ShardIterator', () => {
    expect(outcome(getRecordsTable, {})).toEqual(violation('shardIterator', 'null', NOT_NULL));
  });
  it('limits ShardIterator to 1-512 characters', () => {
    const iterator = 'i'.repeat(513);
    expect(outcome(getRecordsTable, { ShardIterator: iterator })).toEqual(violation('shardIterator', `'${iterator}'`, tooLong(512)));
    expect(outcome(getRecordsTable, { ShardIterator: '' })).toEqual(violation('shardIterator', "''", tooShort(1)));
  });
  it('limits Limit to 1-10000', () => {
    expect(outcome(getRecordsTable, { ShardIterator: 'i', Limit: 0 })).toEqual(violation('limit', "'0'", atLeast(1)));
    expect(outcome(getRecordsTable, { ShardIterator: 'i', Limit: 10001 })).toEqual(violation('limit', "'10001'", atMost(10000)));
  });
});

describe.each([
  ['IncreaseStreamRetentionPeriod', increaseStreamRetentionPeriodTable],
  ['DecreaseStreamRetentionPeriod', decreaseStreamRetentionPeriodTable],
])('%s', (_name, table) => {
  it('requires RetentionPeriodHours', () => {
    expect(outcome(table, { StreamName: 's' })).toEqual(violation('retentionPeriodHours', 'null', NOT_NULL));
  });
  it('limits it to 1-8760', () => {
    expect(outcome(table, { StreamName: 's', RetentionPeriodHours: 0 })).toEqual(violation('retentionPeriodHours', "'0'", atLeast(1)));
    expect(outcome(table, { StreamName: 's', RetentionPeriodHours: 8761 })).toEqual(
      violation('retentionPeriodHours', "'8761'", atMost(8760)),
    );
  });
});

describe('tags', () => {
  it('AddTagsToStream requires Tags', () => {
    expect(outcome(addTagsToStreamTable, { StreamName: 's' })).toEqual(violation('tags', 'null', NOT_NULL));
  });
  it('AddTagsToStream takes at most 200 entries on the wire', () => {
    const tags = Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`k${i}`, 'v']));
    const result = outcome(addTagsToStreamTable, { StreamName: 's', Tags: tags });
    expect(result !== 'ok' && result.message).toMatch(/at 'tags' failed to satisfy constraint: Member must have length less than or equal to 200$/);
  });
  it('RemoveTagsFromStream requires 1-50 keys of 1-128 characters', () => {
    expect(outcome(removeTagsFromStreamTable, { StreamName: 's' })).toEqual(violation('tagKeys', 'null', NOT_NULL));
    expect(outcome(removeTagsFromStreamTable, { StreamName: 's', TagKeys: [] })).toEqual(violation('tagKeys', "'[]'", tooShort(1)));
    const keys = Array.from({ length: 51 }, (_, i) => `k${i}`);
    expect(outcome(removeTagsFromStreamTable, { StreamName: 's', TagKeys: keys })).toEqual(
      violation('tagKeys', `'[${keys.join(', ')}]'`, tooLong(50)),
    );
    expect(outcome(removeTagsFromStreamTable, { StreamName: 's', TagKeys: [''] })).toEqual(
      violation('tagKeys', "'[]'", `Member must satisfy constraint: [${tooLong(128)}, ${tooShort(1)}]`),
    );
  });
  it('ListTagsForStream limits Limit to 1-50 and ExclusiveStartTagKey to 128 characters', () => {
    expect(outcome(listTagsForStreamTable, { StreamName: 's', Limit: 51 })).toEqual(violation('limit', "'51'", atMost(50)));
    expect(outcome(listTagsForStreamTable, { StreamName: 's', Limit: 0 })).toEqual(violation('limit', "'0'", atLeast(1)));
    const key = 'k'.repeat(129);
    expect(outcome(listTagsForStreamTable, { StreamName: 's', ExclusiveStartTagKey: key })).toEqual(
      violation('exclusiveStartTagKey', `'${key}'`, tooLong(128)),
    );
  });
});
