import { ShardlineError } from '@shardline/protocol';
import { testRecord } from '../processing/testing';
import type { FailedRecord, FirehoseRecord } from '../model';
import { formatJavaDate } from './java-date-format';
import { evaluatePrefix, parsePrefix } from './prefix';
import { resolvePrefixes, validatePrefixes } from './prefixes';
import { groupByPrefix, groupErrors } from './group';
import { objectName } from './object-name';

// 2018-08-27T10:30:15.123Z, the guide's example instant.
const T = Date.UTC(2018, 7, 27, 10, 30, 15, 123);
const at = (ms: number, index: number, keys?: FirehoseRecord['partitionKeys']) =>
  testRecord(`r${index}`, index, { approximateArrivalTimestamp: ms, ...(keys ? { partitionKeys: keys } : {}) });

function refusal(prefix: string | undefined, error: string | undefined, dynamic: boolean): string {
  try {
    validatePrefixes(prefix, error, dynamic);
  } catch (err) {
    expect((err as ShardlineError).type).toBe('InvalidArgumentException');
    return (err as Error).message;
  }
  throw new Error('expected an InvalidArgumentException');
}

describe('Java DateTimeFormatter patterns', () => {
  it.each([
    ['yyyy/MM/dd/HH', '2018/08/27/10'],
    ["'year='yyyy'/month='MM", 'year=2018/month=08'],
    ['yy-M-d H:m:s.SSS', '18-8-27 10:30:15.123'],
    ['EEE MMM D a hh', 'Mon Aug 239 AM 10'],
    ["''yyyy''", "'2018'"],
  ])('formats %s', (pattern, expected) => {
    expect(formatJavaDate(pattern, T)).toBe(expected);
  });

  it('refuses unknown letters', () => {
    expect(() => formatJavaDate('yyyy-qq', T)).toThrow(/Unknown pattern letter: q/);
  });
});

describe('prefix expressions', () => {
  const context = { timestamp: T, randomString: () => 'abcdefghijk', errorOutputType: 'processing-failed' as const };

  it('evaluates every namespace', () => {
    const parts = parsePrefix('c=!{partitionKeyFromQuery:customer}/l=!{partitionKeyFromLambda:x}/!{timestamp:yyyy}/!{firehose:random-string}/');
    expect(evaluatePrefix(parts, { ...context, partitionKeys: { query: { customer: '42' }, lambda: { x: 'y' } } })).toBe('c=42/l=y/2018/abcdefghijk/');
    expect(evaluatePrefix(parsePrefix('e/!{firehose:error-output-type}/'), context)).toBe('e/processing-failed/');
  });

  it('fails when a partition key is missing', () => {
    expect(() => evaluatePrefix(parsePrefix('!{partitionKeyFromQuery:k}'), context)).toThrow(/partition key k/);
  });

  it('refuses !{ outside an expression and unknown namespaces', () => {
    expect(refusal('a/!{nope:x}/', 'e/!{firehose:error-output-type}', false)).toMatch(/unknown namespace/);
    expect(refusal('a/!{timestamp:yyyy', 'e/!{firehose:error-output-type}', false)).toMatch(/unterminated expression/);
    expect(refusal('!{firehose:uuid}', 'e/!{firehose:error-output-type}', false)).toMatch(/unknown firehose expression/);
    expect(refusal('!{timestamp:yyyy-qq}', 'e/!{firehose:error-output-type}', false)).toMatch(/invalid timestamp pattern/);
  });
});

describe('Prefix / ErrorOutputPrefix rules and defaults', () => {
  const evaluate = (prefix: string | undefined, error: string | undefined, dynamic = false) => {
    const resolved = resolvePrefixes(prefix, error, dynamic);
    const ctx = { timestamp: T, randomString: () => 'RANDOMSTR11', errorOutputType: 'processing-failed' as const, partitionKeys: { query: { k: 'v' } } };
    return { data: evaluatePrefix(resolved.data, ctx), error: evaluatePrefix(resolved.error, ctx) };
  };

  it('defaults to yyyy/MM/dd/HH/ and <error-output-type>/yyyy/MM/dd/HH/', () => {
    expect(evaluate(undefined, undefined)).toEqual({ data: '2018/08/27/10/', error: 'processing-failed/2018/08/27/10/' });
  });

  it('appends the time to a Prefix without a timestamp expression', () => {
    expect(evaluate('myFirehosePrefix/', undefined)).toEqual({ data: 'myFirehosePrefix/2018/08/27/10/', error: 'myFirehosePrefix/processing-failed/2018/08/27/10/' });
    expect(evaluate('rand=!{firehose:random-string}/', 'e/!{firehose:error-output-type}/').data).toBe('rand=RANDOMSTR11/2018/08/27/10/');
  });

  it('keeps a Prefix that has a timestamp expression as it is (the guide\'s examples)', () => {
    expect(evaluate('myPrefix/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/', "myErrorPrefix/!{timestamp:'year='yyyy'/month='MM'/day='dd'/hour='HH}/!{firehose:error-output-type}")).toEqual({
      data: 'myPrefix/year=2018/month=08/day=27/hour=10/',
      error: 'myErrorPrefix/year=2018/month=08/day=27/hour=10/processing-failed',
    });
    expect(evaluate(undefined, 'myFirehoseFailures/!{firehose:error-output-type}/')).toEqual({ data: '2018/08/27/10/', error: 'myFirehoseFailures/processing-failed/' });
  });

  it('does not append the time to a dynamic-partitioning Prefix', () => {
    expect(evaluate('k=!{partitionKeyFromQuery:k}/', 'e/!{firehose:error-output-type}/', true).data).toBe('k=v/');
  });

  it.each([
    ['!{timestamp:yyyy/MM/dd}', undefined, false, /ErrorOutputPrefix cannot be null or empty when Prefix contains expressions/],
    ['a/!{firehose:error-output-type}/', 'e/!{firehose:error-output-type}', false, /Prefix cannot contain !\{firehose:error-output-type\}/],
    ['a/', 'e/!{timestamp:yyyy}/', false, /ErrorOutputPrefix must contain !\{firehose:error-output-type\}/],
    ['k=!{partitionKeyFromQuery:k}/', 'e/!{firehose:error-output-type}/', false, /only when dynamic partitioning is enabled/],
    ['a/', 'e/!{firehose:error-output-type}/', true, /must contain at least one !\{partitionKeyFromQuery:key\}/],
    ['k=!{partitionKeyFromLambda:k}/', undefined, true, /ErrorOutputPrefix must be specified when dynamic partitioning is enabled/],
    ['k=!{partitionKeyFromQuery:k}/', 'e/!{firehose:error-output-type}/!{partitionKeyFromQuery:k}', true, /ErrorOutputPrefix cannot contain partitionKeyFromQuery/],
  ])('refuses Prefix %s with ErrorOutputPrefix %s (dynamic %s)', (prefix, error, dynamic, message) => {
    expect(refusal(prefix, error, dynamic)).toMatch(message);
  });

  it('refuses a Prefix longer than 1024 characters', () => {
    expect(refusal('x'.repeat(1025), undefined, false)).toMatch(/longer than 1024/);
  });
});

describe('grouping by evaluated prefix', () => {
  const prefix = resolvePrefixes('c=!{partitionKeyFromQuery:c}/!{timestamp:HH}/!{firehose:random-string}/', 'e/!{firehose:error-output-type}/', true);

  it('groups by partition keys, times each group by its oldest record, seeds random strings by positions', () => {
    const records = [
      at(T + 3_600_000, 0, { query: { c: 'a' } }),
      at(T, 1, { query: { c: 'b' } }),
      at(T - 3_600_000, 2, { query: { c: 'a' } }),
      at(T, 3),
    ];
    const { groups, failed } = groupByPrefix(records, prefix.data);
    expect(groups.map((g) => [g.prefix.replace(/[0-9a-f]{11}\/$/, 'R/'), g.records.map((r) => r.recordId)])).toEqual([
      ['c=a/09/R/', ['r0', 'r2']],
      ['c=b/10/R/', ['r1']],
    ]);
    expect(groups[0].prefix).toMatch(/^c=a\/09\/[0-9a-f]{11}\/$/);
    expect(failed).toEqual([expect.objectContaining({ type: 'partitioning-failed', record: records[3] })]);
    // A redelivered batch evaluates to the same prefixes.
    expect(groupByPrefix(records, prefix.data).groups.map((g) => g.prefix)).toEqual(groups.map((g) => g.prefix));
  });

  it('fails records whose evaluated prefix passes 512 characters', () => {
    const { groups, failed } = groupByPrefix([at(T, 0, { query: { c: 'x'.repeat(600) } })], prefix.data);
    expect(groups).toEqual([]);
    expect(failed[0].errorMessage).toMatch(/longer than 512/);
  });

  it('groups failures by error type under the ErrorOutputPrefix', () => {
    const fail = (type: FailedRecord['type'], index: number): FailedRecord => ({ record: at(T, index), type, errorCode: 'X', errorMessage: 'x', attemptsMade: 1 });
    const groups = groupErrors([fail('processing-failed', 0), fail('partitioning-failed', 1), fail('processing-failed', 2)], prefix.error);
    expect(groups.map((g) => [g.prefix, g.failed.length])).toEqual([
      ['e/processing-failed/', 2],
      ['e/partitioning-failed/', 1],
    ]);
  });
});

describe('object names', () => {
  const records = [at(T + 5000, 0), at(T, 1), at(T + 9000, 2)];
  const name = (rs: FirehoseRecord[], extension = '.gz') => objectName({ prefix: '2018/08/27/10/', deliveryStreamName: 'orders', deliveryStreamVersion: 1, records: rs, extension });

  it('follows <prefix><name>-<version>-yyyy-MM-dd-HH-mm-ss-<uuid><extension> with the oldest arrival', () => {
    expect(name(records)).toMatch(/^2018\/08\/27\/10\/orders-1-2018-08-27-10-30-15-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.gz$/);
  });

  it('is deterministic in the source positions and changes when they change', () => {
    const again = records.map((r) => ({ ...r, data: Buffer.from('other bytes') }));
    expect(name(again)).toBe(name(records));
    expect(name(records.slice(0, 2))).not.toBe(name(records));
    expect(name([...records.slice(0, 2), { ...records[2], position: { seq: 99, index: 0 } }])).not.toBe(name(records));
    expect(name([{ ...records[0], position: { ...records[0].position, shardId: 'shardId-000000000001' } }])).not.toBe(name([records[0]]));
  });
});
