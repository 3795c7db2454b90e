import type { Stream } from '@shardline/protocol';
import { StreamDirectory, type StreamLookup } from './stream-directory';

function stream(name: string, version = 1): Stream {
  return {
    id: `id-${name}`,
    name,
    arn: `arn:aws:kinesis:us-east-1:000000000000:stream/${name}`,
    status: 'ACTIVE',
    mode: 'PROVISIONED',
    retentionHours: 24 + version,
    createdAt: new Date(0),
    encryptionType: 'NONE',
    shards: [],
    consumerCount: 0,
    enhancedMonitoring: [],
  };
}

/** A metadata store in memory that counts its queries and answers when told to. */
class SlowLookup implements StreamLookup {
  readonly streams = new Map<string, Stream>();
  queries = 0;
  private waiting: Array<() => void> = [];

  /** Reads what is stored when the query begins, as a database snapshot does, and answers it later. */
  async findByName(name: string): Promise<Stream | undefined> {
    this.queries++;
    const found = this.streams.get(name);
    await new Promise<void>((resolve) => this.waiting.push(resolve));
    return found;
  }
  async findById(): Promise<Stream | undefined> {
    return undefined;
  }
  async findByArn(): Promise<Stream | undefined> {
    return undefined;
  }
  answer(): void {
    this.waiting.splice(0).forEach((resolve) => resolve());
  }
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('StreamDirectory', () => {
  let lookup: SlowLookup;
  let now: number;
  let directory: StreamDirectory;

  beforeEach(() => {
    lookup = new SlowLookup();
    lookup.streams.set('s', stream('s'));
    now = 0;
    directory = new StreamDirectory(lookup, '000000000000', () => now, 2000);
  });

  it('asks once for concurrent misses', async () => {
    const all = Promise.all([directory.active({ name: 's' }), directory.active({ name: 's' }), directory.active({ name: 's' })]);
    await settle();
    lookup.answer();
    expect((await all).map((e) => e.stream.name)).toEqual(['s', 's', 's']);
    expect(lookup.queries).toBe(1);
  });

  it('answers a stale entry at once and refreshes it behind', async () => {
    const first = directory.active({ name: 's' });
    await settle();
    lookup.answer();
    await first;
    now = 2500;
    lookup.streams.set('s', stream('s', 2));
    expect((await directory.active({ name: 's' })).stream.retentionHours).toBe(25);
    expect(lookup.queries).toBe(2);
    await settle();
    lookup.answer();
    await settle();
    expect((await directory.active({ name: 's' })).stream.retentionHours).toBe(26);
    expect(lookup.queries).toBe(2);
  });

  it('drops a stream its refresh finds gone', async () => {
    const first = directory.active({ name: 's' });
    await settle();
    lookup.answer();
    await first;
    now = 2500;
    lookup.streams.delete('s');
    await directory.active({ name: 's' });
    await settle();
    lookup.answer();
    await settle();
    const again = directory.active({ name: 's' });
    await settle();
    lookup.answer();
    await expect(again).rejects.toMatchObject({ type: 'ResourceNotFoundException' });
  });

  it('does not cache what a load read before an invalidation', async () => {
    const first = directory.active({ name: 's' });
    await settle();
    directory.invalidate('id-s');
    lookup.answer();
    await first;
    const second = directory.active({ name: 's' });
    await settle();
    expect(lookup.queries).toBe(2);
    lookup.answer();
    await second;
  });

  it('does not hand a caller after an invalidation what a load begun before it reads', async () => {
    const before = directory.active({ name: 's' });
    await settle();
    lookup.streams.set('s', { ...stream('s'), mode: 'ON_DEMAND' });
    directory.invalidate('id-s');
    const after = directory.active({ name: 's' });
    await settle();
    lookup.answer();

    expect((await before).stream.mode).toBe('PROVISIONED');
    expect((await after).stream.mode).toBe('ON_DEMAND');
    expect(lookup.queries).toBe(2);
  });
});
