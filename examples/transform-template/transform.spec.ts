import { join } from 'node:path';
import { runTransform } from '@shardline/plugin-sdk';

/** The template's own test: the transform runs in a child process exactly as the Shardline host runs it. */
describe('transform template', () => {
  const record = (recordId: string, text: string) => ({ recordId, data: Buffer.from(text), approximateArrivalTimestamp: 0 });

  it('re-serialises JSON with a newline and partition keys, drops heartbeats, fails what is not JSON', async () => {
    const outcome = await runTransform(
      join(__dirname, 'index.js'),
      [record('1', '{"customerId":"c-1","amount":12}'), record('2', '{"type":"heartbeat"}'), record('3', 'not json')],
      { environment: { SOURCE_NAME: 'test' }, timeoutMs: 5000 },
    );
    expect(outcome.ok.map((o) => [o.data.toString(), o.partitionKeys])).toEqual([
      ['{"customerId":"c-1","amount":12,"source":"test"}\n', { customerId: 'c-1' }],
    ]);
    expect(outcome.dropped.map((r) => r.recordId)).toEqual(['2']);
    expect(outcome.failed.map((r) => r.recordId)).toEqual(['3']);
  });
});
