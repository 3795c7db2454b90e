import { compileJq, MAX_CHUNK_BYTES, runJq } from './jq-runner';

describe('jq runner', () => {
  it('survives far more argument bytes than the wasm stack holds (jq-wasm alone dies after ~1 MB)', async () => {
    const input = { customer: 'c', pad: 'p'.repeat(20_000) };
    for (let call = 0; call < 300; call++) {
      const [outcome] = await runJq('{k: .customer}', [input]);
      expect(outcome).toEqual({ ok: true, outputs: [{ k: 'c' }] });
    }
  });

  it('refuses an input larger than a chunk and keeps working', async () => {
    const outcomes = await runJq('{k: .k}', [{ k: 'x'.repeat(MAX_CHUNK_BYTES + 1) }, { k: 'small' }]);
    expect(outcomes[0]).toEqual({ ok: false, error: expect.stringMatching(/exceeds the 262144-byte limit/) as unknown });
    expect(outcomes[1]).toEqual({ ok: true, outputs: [{ k: 'small' }] });
  });

  it('reports per-input errors, multiple outputs and over-long outputs', async () => {
    const outcomes = await runJq('.a[], (if .b then error("bad b") else empty end)', [{ a: [1, 2] }, { a: [], b: true }]);
    expect(outcomes).toEqual([
      { ok: true, outputs: [1, 2] },
      { ok: false, error: 'bad b' },
    ]);
    const [long] = await runJq('.', [{ s: 'y'.repeat(9000) }]);
    expect(long).toEqual({ ok: false, error: expect.stringMatching(/longer than 8192 characters/) as unknown });
  });

  it('compiles filters without running them', async () => {
    await expect(compileJq('error("never runs")')).resolves.toBeUndefined();
    await expect(compileJq('{a: .a')).rejects.toThrow(/syntax error/);
  });
});
