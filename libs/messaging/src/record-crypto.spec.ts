import { randomBytes } from 'node:crypto';
import { SEAL_OVERHEAD, newDataKey, nextIv, open, readKeyHeader, seal, unwrapDataKey } from './record-crypto';

const master = randomBytes(32);

describe('record crypto (AES-256-GCM envelope)', () => {
  it('round-trips data, and never gives the same ciphertext twice (random IVs)', () => {
    const key = randomBytes(32);
    const plaintext = Buffer.from('the quick brown fox');
    const a = seal(key, plaintext);
    const b = seal(key, plaintext);
    expect(a).toHaveLength(plaintext.length + SEAL_OVERHEAD);
    expect(a.equals(b)).toBe(false);
    expect(a.includes(plaintext)).toBe(false);
    expect(open(key, a).equals(plaintext)).toBe(true);
    expect(open(key, seal(key, Buffer.alloc(0)))).toHaveLength(0);
  });

  it('detects tampering anywhere in the seal, and a wrong key', () => {
    const key = randomBytes(32);
    const sealed = seal(key, Buffer.from('payload of some length'));
    for (const at of [0, 11, 12, 20, sealed.length - 1]) {
      const altered = Buffer.from(sealed);
      altered[at] ^= 1;
      expect(() => open(key, altered)).toThrow();
    }
    expect(() => open(randomBytes(32), sealed)).toThrow();
    expect(() => open(key, sealed.subarray(0, 10))).toThrow('too short');
  });

  it('wraps a data key under a master key; the header gives it back only with that master key and key id', () => {
    const dataKey = newDataKey('11111111-2222-3333-4444-555555555555', master);
    const header = readKeyHeader(dataKey.header, 0);
    expect(header.keyId).toBe('11111111-2222-3333-4444-555555555555');
    expect(unwrapDataKey(header, master).equals(dataKey.key)).toBe(true);
    expect(dataKey.header.includes(dataKey.key)).toBe(false);
    expect(() => unwrapDataKey(header, randomBytes(32))).toThrow();
    // The key id is bound to the wrapped key: a header relabelled to another key id fails.
    expect(() => unwrapDataKey({ ...header, keyId: 'alias/other' }, master)).toThrow();
  });

  it('numbers IVs under a data key: a random prefix and a counter, never the same twice', () => {
    const dataKey = newDataKey('k', master);
    const prefix = dataKey.iv.subarray(0, 4).toString('hex');
    const seen = new Set<string>();
    dataKey.iv.writeUInt32BE(0xfffffffe, 8);
    for (let i = 0; i < 4; i++) seen.add(nextIv(dataKey).toString('hex'));
    expect(seen.size).toBe(4);
    expect([...seen].every((iv) => iv.startsWith(prefix))).toBe(true);
    // The low word wraps into the high one.
    expect(dataKey.iv.readUInt32BE(4)).toBe(1);
    expect(dataKey.iv.readUInt32BE(8)).toBe(2);
    expect(newDataKey('k', master).iv.subarray(0, 4).toString('hex')).not.toBe(prefix);
  });

  it('refuses master keys that are not 256-bit', () => {
    expect(() => newDataKey('k', randomBytes(16))).toThrow('32 bytes');
  });
});
