import { createHash } from 'node:crypto';
import { ShardlineError } from '@shardline/protocol';
import { newDataKey, unwrapDataKey } from '@shardline/messaging';
import type { DataKey, KeyHeader } from '@shardline/messaging';

/** The AWS-managed Kinesis key's alias: present by default, so `alias/aws/kinesis` works out of the box. */
export const AWS_MANAGED_KINESIS_KEY = 'alias/aws/kinesis';

/**
 * A development master key for alias/aws/kinesis, the same in every process. It keeps data
 * readable across restarts without configuration and is public: set SHARDLINE_KMS_KEYS with
 * your own key for alias/aws/kinesis in production.
 */
const DEV_MANAGED_KEY = createHash('sha256').update('shardline development key for alias/aws/kinesis').digest();

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const KEY_ARN = /^arn:aws[a-z-]*:kms:([^:]*):(\d{12}):key\/(.+)$/;
const ALIAS_ARN = /^arn:aws[a-z-]*:kms:([^:]*):(\d{12}):(alias\/.+)$/;

/** A master key as the store knows it: its canonical id (what batches name) and its bytes. */
export interface MasterKey {
  id: string;
  key: Buffer;
}

/**
 * The master keys, from SHARDLINE_KMS_KEYS: a JSON object whose names are key ids (uuids)
 * or aliases (`alias/...`) and whose values are 32-byte keys in base64, or, for an alias,
 * the name of another entry it points to (`{"alias/orders": "<uuid>"}`), as KMS aliases
 * point to keys. Lookups accept what KMS accepts: a key id, a key ARN, an alias name or an
 * alias ARN.
 */
export class KeyStore {
  private readonly entries = new Map<string, string | Buffer>();

  constructor(
    entries: Record<string, string>,
    private readonly region: string,
    private readonly accountId: string,
  ) {
    this.entries.set(AWS_MANAGED_KINESIS_KEY, DEV_MANAGED_KEY);
    for (const [name, value] of Object.entries(entries)) {
      const short = shortName(name);
      if (this.entries.has(value) || UUID.test(value) || value.startsWith('alias/')) this.entries.set(short, shortName(value));
      else {
        const key = Buffer.from(value, 'base64');
        if (key.length !== 32) throw new Error(`SHARDLINE_KMS_KEYS: ${name} is not a 32-byte base64 key`);
        this.entries.set(short, key);
      }
    }
  }

  /** Parses SHARDLINE_KMS_KEYS (unset: only the development alias/aws/kinesis). */
  static fromJson(json: string | undefined, region: string, accountId: string): KeyStore {
    const parsed: unknown = json ? JSON.parse(json) : {};
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('SHARDLINE_KMS_KEYS must be a JSON object');
    return new KeyStore(parsed as Record<string, string>, region, accountId);
  }

  /** The master key a KeyId names; KMSNotFoundException with KMS's own text when there is none. */
  resolve(keyId: string): MasterKey {
    let name = shortName(keyId);
    for (let hops = 0; hops < 8; hops++) {
      const entry = this.entries.get(name);
      if (entry === undefined) break;
      if (Buffer.isBuffer(entry)) return { id: name, key: entry };
      name = entry;
    }
    throw this.notFound(keyId);
  }

  private notFound(keyId: string): ShardlineError {
    const name = shortName(keyId);
    const arnPrefix = `arn:aws:kms:${this.region}:${this.accountId}`;
    if (name.startsWith('alias/')) {
      return new ShardlineError('KMSNotFoundException', `Alias ${keyId.startsWith('arn:') ? keyId : `${arnPrefix}:${name}`} is not found.`);
    }
    if (UUID.test(name)) {
      return new ShardlineError('KMSNotFoundException', `Key '${keyId.startsWith('arn:') ? keyId : `${arnPrefix}:key/${name}`}' does not exist`);
    }
    return new ShardlineError('KMSNotFoundException', `Invalid keyId '${keyId}'`);
  }
}

/** A key id, key ARN, alias name or alias ARN as the short name the store is keyed by. */
function shortName(keyId: string): string {
  return KEY_ARN.exec(keyId)?.[3] ?? ALIAS_ARN.exec(keyId)?.[3] ?? keyId;
}

/**
 * Data keys of this process: one per master key for writing (wrapped once, replaced after
 * `usesPerKey` puts), and
 * the unwrapped keys of the batches it reads, cached by their wrapped bytes (a reader meets
 * few distinct data keys: one per writing process and master key).
 */
export class DataKeys {
  private readonly writing = new Map<string, { dataKey: DataKey; uses: number }>();
  private readonly reading = new Map<string, Buffer>();

  /**
   * @param usesPerKey puts (of up to 500 records) per data key before a fresh one is made,
   * so no key seals without bound (its IV counter could never wrap anyway).
   */
  constructor(
    private readonly store: KeyStore,
    private readonly usesPerKey = 1_000_000,
  ) {}

  /** The data key to encrypt one put's records with under the master key `keyId` names. */
  forWriting(keyId: string): DataKey {
    let entry = this.writing.get(keyId);
    if (!entry || entry.uses >= this.usesPerKey) {
      const master = this.store.resolve(keyId);
      entry = { dataKey: newDataKey(master.id, master.key), uses: 0 };
      this.writing.set(keyId, entry);
    }
    entry.uses++;
    return entry.dataKey;
  }

  /** The data key of a stored batch's key header. */
  readonly forReading = (header: KeyHeader): Buffer => {
    const cacheKey = header.wrapped.toString('base64');
    let key = this.reading.get(cacheKey);
    if (!key) {
      key = unwrapDataKey(header, this.store.resolve(header.keyId).key);
      if (this.reading.size > 10_000) this.reading.clear();
      this.reading.set(cacheKey, key);
    }
    return key;
  };
}
