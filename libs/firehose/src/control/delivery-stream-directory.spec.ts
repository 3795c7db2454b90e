import type { DeliveryStream } from '@shardline/protocol';
import { DeliveryStreamDirectory } from './delivery-stream-directory';

function stream(id: string, status: DeliveryStream['status'] = 'ACTIVE'): DeliveryStream {
  return { id, name: 'd', status } as DeliveryStream;
}

describe('DeliveryStreamDirectory', () => {
  let now = 0;
  let loads = 0;
  let current: DeliveryStream | undefined;
  const directory = () =>
    new DeliveryStreamDirectory(
      async () => {
        loads++;
        await Promise.resolve();
        return current;
      },
      () => now,
      2000,
    );

  beforeEach(() => {
    now = 0;
    loads = 0;
    current = stream('a');
  });

  it('answers ACTIVE delivery streams from memory until the TTL, sharing one load between concurrent misses', async () => {
    const cache = directory();
    await Promise.all([cache.get('d'), cache.get('d'), cache.get('d')]);
    expect(loads).toBe(1);
    now = 1999;
    await cache.get('d');
    expect(loads).toBe(1);
    now = 2000;
    await cache.get('d');
    expect(loads).toBe(2);
  });

  it('drops an entry on a change notice for its id, and does not keep one still CREATING', async () => {
    const cache = directory();
    await cache.get('d');
    cache.invalidate('other');
    await cache.get('d');
    expect(loads).toBe(1);
    cache.invalidate('a');
    current = stream('a', 'CREATING');
    expect((await cache.get('d'))?.status).toBe('CREATING');
    expect((await cache.get('d'))?.status).toBe('CREATING');
    expect(loads).toBe(3);
    current = undefined;
    expect(await cache.get('d')).toBeUndefined();
  });
});
