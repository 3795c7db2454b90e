import { randomBytes } from 'node:crypto';
import { readKeyHeader } from '@shardline/messaging';
import { expectShardlineError } from '../../../../test/support/errors';
import { DataKeys, KeyStore } from './key-store';

const KEY_ID = '6a1b2c3d-0000-4000-8000-123456789abc';
const material = randomBytes(32);
const store = () =>
  KeyStore.fromJson(JSON.stringify({ [KEY_ID]: material.toString('base64'), 'alias/orders': KEY_ID }), 'eu-west-1', '123456789012');

describe('KeyStore', () => {
  it.each([
    KEY_ID,
    `arn:aws:kms:eu-west-1:123456789012:key/${KEY_ID}`,
    'alias/orders',
    'arn:aws:kms:eu-west-1:123456789012:alias/orders',
  ])('resolves %s to the key it names', (keyId) => {
    expect(store().resolve(keyId)).toEqual({ id: KEY_ID, key: material });
  });

  it('has the AWS-managed alias/aws/kinesis without configuration', () => {
    const resolved = KeyStore.fromJson(undefined, 'us-east-1', '000000000000').resolve('alias/aws/kinesis');
    expect(resolved.id).toBe('alias/aws/kinesis');
    expect(resolved.key).toHaveLength(32);
  });

  it("answers KMS's not-found texts for unknown keys", () => {
    const s = store();
    expect(expectShardlineError(() => s.resolve('alias/nope'), 'KMSNotFoundException').message).toBe(
      'Alias arn:aws:kms:eu-west-1:123456789012:alias/nope is not found.',
    );
    expect(expectShardlineError(() => s.resolve('arn:aws:kms:eu-west-1:123456789012:alias/nope'), 'KMSNotFoundException').message).toBe(
      'Alias arn:aws:kms:eu-west-1:123456789012:alias/nope is not found.',
    );
    const otherId = '00000000-0000-4000-8000-000000000000';
    expect(expectShardlineError(() => s.resolve(otherId), 'KMSNotFoundException').message).toBe(
      `Key 'arn:aws:kms:eu-west-1:123456789012:key/${otherId}' does not exist`,
    );
    expect(expectShardlineError(() => s.resolve('garbage'), 'KMSNotFoundException').message).toBe("Invalid keyId 'garbage'");
  });

  it('refuses a configured key that is not 32 bytes', () => {
    expect(() => KeyStore.fromJson(JSON.stringify({ 'alias/short': 'AAAA' }), 'us-east-1', '0')).toThrow('32-byte');
    expect(() => KeyStore.fromJson('[]', 'us-east-1', '0')).toThrow('JSON object');
  });
});

describe('DataKeys', () => {
  it('makes one data key per master key for writing, and gives it back from its header for reading', () => {
    const keys = new DataKeys(store());
    const a = keys.forWriting('alias/orders');
    expect(keys.forWriting('alias/orders')).toBe(a);
    expect(a.keyId).toBe(KEY_ID);
    // Another process (another DataKeys) reads it with the same master keys.
    expect(new DataKeys(store()).forReading(readKeyHeader(a.header, 0)).equals(a.key)).toBe(true);
  });

  it('replaces a data key after its uses, and still reads batches of the old one', () => {
    const keys = new DataKeys(store(), 2);
    const first = keys.forWriting(KEY_ID);
    expect(keys.forWriting(KEY_ID)).toBe(first);
    const second = keys.forWriting(KEY_ID);
    expect(second.key.equals(first.key)).toBe(false);
    expect(keys.forReading(readKeyHeader(first.header, 0)).equals(first.key)).toBe(true);
  });
});
