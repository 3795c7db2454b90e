import { invocationOf, outcomeOf } from './contract';
import type { ResultPayload } from './protocol';

const records = ['a', 'bb', 'ccc'].map((text, i) => ({ recordId: `r${i}`, data: Buffer.from(text), approximateArrivalTimestamp: i }));

function answer(entries: Array<[id: string, result: string, data?: string, keys?: Record<string, string>]>): ResultPayload {
  let size = 0;
  const ends = entries.map(([, , data]) => (size += data?.length ?? 0));
  return {
    ids: entries.map(([id]) => id),
    results: entries.map(([, result]) => result),
    data: Buffer.from(entries.map(([, , data]) => data ?? '').join('')),
    ends,
    keys: entries.map(([, , , keys]) => keys),
  };
}

describe('invocationOf', () => {
  it('packs the batch into one buffer with offsets, and metadata only when a record has it', () => {
    const payload = invocationOf(records, { invocationId: 'i', deliveryStreamArn: 'd', region: 'r' });
    expect(payload).toEqual({ event: { invocationId: 'i', deliveryStreamArn: 'd', region: 'r' }, ids: ['r0', 'r1', 'r2'], arrivals: [0, 1, 2], data: Buffer.from('abbccc'), ends: [1, 3, 6] });
    const meta = { shardId: 's', partitionKey: 'k', approximateArrivalTimestamp: 5, sequenceNumber: '1' };
    const withMeta = invocationOf([{ ...records[0]!, kinesisRecordMetadata: meta }], { invocationId: 'i', deliveryStreamArn: 'd', region: 'r' });
    expect(withMeta.metadata).toEqual([{ ...meta, subsequenceNumber: 0 }]);
  });
});

describe('outcomeOf', () => {
  it('matches answers in any order back to the batch order', () => {
    const outcome = outcomeOf(records, answer([['r2', 'Ok', 'Z', { k: 'v' }], ['r0', 'Dropped'], ['r1', 'Ok', 'YY']]));
    expect(outcome.ok).toEqual([
      { record: records[1], data: Buffer.from('YY') },
      { record: records[2], data: Buffer.from('Z'), partitionKeys: { k: 'v' } },
    ]);
    expect(outcome.dropped).toEqual([records[0]]);
    expect(outcome.failed).toEqual([]);
  });

  it('fails the invocation on a missing, unknown or repeated recordId', () => {
    expect(() => outcomeOf(records, answer([['r0', 'Ok', 'x'], ['r1', 'Ok', 'x']]))).toThrow(expect.objectContaining({ errorCode: 'Lambda.MissingRecordId', message: expect.stringContaining('r2 is missing') }));
    expect(() => outcomeOf(records, answer([['r0', 'Ok', 'x'], ['r1', 'Ok'], ['zz', 'Ok']]))).toThrow(expect.objectContaining({ errorCode: 'Lambda.MissingRecordId' }));
    expect(() => outcomeOf(records, answer([['r0', 'Ok'], ['r0', 'Ok'], ['r1', 'Ok'], ['r2', 'Ok']]))).toThrow(expect.objectContaining({ errorCode: 'Lambda.DuplicatedRecordId' }));
  });
});
