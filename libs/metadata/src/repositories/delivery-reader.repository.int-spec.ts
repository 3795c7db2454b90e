import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { testDatabaseUrl } from '../../../../test/support/database';
import { createDataSource } from '../data-source';
import { DeliveryReaderRepository } from './delivery-reader.repository';

describe('DeliveryReaderRepository', () => {
  let dataSource: DataSource;
  let readers: DeliveryReaderRepository;

  beforeAll(async () => {
    dataSource = await createDataSource(testDatabaseUrl()).initialize();
    readers = new DeliveryReaderRepository(dataSource);
  });
  afterAll(() => dataSource.destroy());

  it('answers the lowest fresh hold, renews holds, and drops a reader’s holds but the one it keeps', async () => {
    const [ds, other] = [randomUUID(), randomUUID()];
    const [a, b] = [`analytics:${randomUUID()}`, `analytics:${randomUUID()}`];
    expect(await readers.floor(ds, 60_000)).toBeUndefined();
    await readers.hold(ds, a, 40);
    await readers.hold(ds, b, 12);
    await readers.hold(other, a, 7);
    expect(await readers.floor(ds, 60_000)).toBe(12);
    await readers.hold(ds, b, 50);
    expect(await readers.floor(ds, 60_000)).toBe(40);
    // A hold not renewed within the hold time no longer counts.
    await dataSource.query(`UPDATE delivery_stream_readers SET updated_at = now() - interval '2 minutes' WHERE reader = $1`, [a]);
    expect(await readers.floor(ds, 60_000)).toBe(50);
    expect(await readers.floor(ds, 600_000)).toBe(40);
    await readers.release(a, ds);
    expect(await readers.floor(other, 600_000)).toBeUndefined();
    expect(await readers.floor(ds, 600_000)).toBe(40);
    await readers.release(a);
    await readers.release(b);
    expect(await readers.floor(ds, 600_000)).toBeUndefined();
  });
});
