/**
 * Encryption of stored records: AES-256-GCM with a data key, the data key itself sealed
 * (wrapped) by a master key, as KMS envelope encryption does. Each encrypted batch carries
 * its key header (master key id + wrapped data key), so a reader needs only the master
 * keys, and records written under a key stay readable after encryption is stopped, after a
 * restart, and in any process.
 *
 *   sealed:     iv (12) | ciphertext | tag (16)   (a record's IV: data key prefix + counter)
 *   key header: key id length u8 | key id utf8 | sealed data key (12 + 32 + 16)
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export const IV_LENGTH = 12;
export const TAG_LENGTH = 16;
/** Bytes a seal adds to its plaintext. */
export const SEAL_OVERHEAD = IV_LENGTH + TAG_LENGTH;
const KEY_LENGTH = 32;
const ALGORITHM = 'aes-256-gcm';

/**
 * A data key ready to encrypt with, and the header that lets readers recover it. Its IVs
 * are a random 4-byte prefix and a 64-bit counter (NIST SP 800-38D's deterministic
 * construction): unique under the key without a random draw per record, which cost more
 * than the encryption of a small record.
 */
export interface DataKey {
  keyId: string;
  key: Buffer;
  header: Buffer;
  /** The last IV used; `nextIv` advances its counter part. */
  iv: Buffer;
}

/** A key header read back from a batch. */
export interface KeyHeader {
  keyId: string;
  wrapped: Buffer;
}

/** Recovers the data key of a key header (unwrapping it with the named master key). */
export type DataKeyResolver = (header: KeyHeader) => Buffer;

/**
 * Seals the concatenation of `parts` into `out` at `offset` (iv | ciphertext | tag);
 * answers the offset after it. Writing in place spares a copy per record.
 */
export function sealInto(
  key: Buffer,
  parts: readonly Uint8Array[],
  out: Buffer,
  offset: number,
  aad?: Uint8Array,
  iv: Buffer = randomBytes(IV_LENGTH),
): number {
  iv.copy(out, offset);
  const cipher = createCipheriv(ALGORITHM, key, iv);
  if (aad) cipher.setAAD(aad);
  let at = offset + IV_LENGTH;
  for (const part of parts) at += cipher.update(part).copy(out, at);
  at += cipher.final().copy(out, at);
  return at + cipher.getAuthTag().copy(out, at);
}

/** Seals `plaintext` into a new buffer. */
export function seal(key: Buffer, plaintext: Uint8Array, aad?: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(plaintext.length + SEAL_OVERHEAD);
  sealInto(key, [plaintext], out, 0, aad);
  return out;
}

/** Opens a seal; throws if it was altered or the key is wrong (GCM's tag). */
export function open(key: Buffer, sealed: Uint8Array, aad?: Uint8Array): Buffer {
  if (sealed.length < SEAL_OVERHEAD) throw new Error('sealed data is too short');
  const bytes = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  const decipher = createDecipheriv(ALGORITHM, key, bytes.subarray(0, IV_LENGTH));
  if (aad) decipher.setAAD(aad);
  decipher.setAuthTag(bytes.subarray(bytes.length - TAG_LENGTH));
  const body = decipher.update(bytes.subarray(IV_LENGTH, bytes.length - TAG_LENGTH));
  const rest = decipher.final();
  return rest.length === 0 ? body : Buffer.concat([body, rest]);
}

/** A fresh data key for `keyId`, wrapped by its master key (the key id is bound as AAD). */
export function newDataKey(keyId: string, masterKey: Buffer): DataKey {
  if (masterKey.length !== KEY_LENGTH) throw new Error('a master key has 32 bytes');
  const key = randomBytes(KEY_LENGTH);
  const id = Buffer.from(keyId, 'utf8');
  if (id.length > 255) throw new Error('key id too long');
  const wrapped = seal(masterKey, key, id);
  const header = Buffer.allocUnsafe(1 + id.length + wrapped.length);
  header[0] = id.length;
  id.copy(header, 1);
  wrapped.copy(header, 1 + id.length);
  const iv = Buffer.alloc(IV_LENGTH);
  randomBytes(4).copy(iv, 0);
  return { keyId, key, header, iv };
}

/** The next IV of a data key (its 64-bit counter plus one); the key must be replaced long before it wraps. */
export function nextIv(dataKey: DataKey): Buffer {
  const iv = dataKey.iv;
  const low = iv.readUInt32BE(8) + 1;
  if (low > 0xffffffff) {
    iv.writeUInt32BE(0, 8);
    iv.writeUInt32BE((iv.readUInt32BE(4) + 1) >>> 0, 4);
  } else iv.writeUInt32BE(low, 8);
  return iv;
}

/** The data key of a header, unwrapped with `masterKey`; throws if either was altered. */
export function unwrapDataKey(header: KeyHeader, masterKey: Buffer): Buffer {
  return open(masterKey, header.wrapped, Buffer.from(header.keyId, 'utf8'));
}

/** Length of a key header starting at `offset`. */
export function keyHeaderLength(buf: Buffer, offset: number): number {
  return 1 + buf[offset] + KEY_LENGTH + SEAL_OVERHEAD;
}

/** Reads the key header at `offset` (the wrapped key is a view). */
export function readKeyHeader(buf: Buffer, offset: number): KeyHeader {
  const idLength = buf[offset];
  const keyId = buf.toString('utf8', offset + 1, offset + 1 + idLength);
  const start = offset + 1 + idLength;
  return { keyId, wrapped: buf.subarray(start, start + KEY_LENGTH + SEAL_OVERHEAD) };
}
