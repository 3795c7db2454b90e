import type { DataSource } from 'typeorm';
import { testDatabaseUrl } from '../../../../test/support/database';
import { randomName } from '../../../../test/support/random-name';
import { createDataSource } from '../data-source';
import { AnalyticsApplicationRepository } from './analytics-application.repository';

describe('AnalyticsApplicationRepository', () => {
  let dataSource: DataSource;
  let apps: AnalyticsApplicationRepository;

  beforeAll(async () => {
    dataSource = await createDataSource(testDatabaseUrl()).initialize();
    apps = new AnalyticsApplicationRepository(dataSource);
  });
  afterAll(() => dataSource.destroy());

  const input = { streamName: 's', format: 'JSON', columns: [{ name: 'A', type: 'INTEGER', path: '$.a' }] };

  it('creates, versions the SQL, moves through its statuses, keeps a checkpoint and deletes', async () => {
    const name = randomName('app');
    const created = await apps.create({ name, input, sql: 'SELECT 1', outputs: [] });
    expect(created).toMatchObject({ name, version: 1, status: 'READY', checkpoint: null, startingPosition: null });
    expect(await apps.create({ name, input, sql: 'x', outputs: [] })).toBeUndefined();

    const updated = await apps.update(name, { sql: 'SELECT 2', description: 'd' });
    expect(updated).toMatchObject({ version: 2, sql: 'SELECT 2', description: 'd' });
    expect((await apps.versions(created!.id)).map((v) => [v.version, v.sql])).toEqual([[1, 'SELECT 1'], [2, 'SELECT 2']]);

    expect(await apps.setStatus(name, 'STARTING', 'TRIM_HORIZON')).toMatchObject({ status: 'STARTING', startingPosition: 'TRIM_HORIZON' });
    expect((await apps.runnable()).map((a) => a.name)).toContain(name);
    await apps.markRunning(created!.id);
    expect((await apps.byId(created!.id))?.status).toBe('RUNNING');
    await apps.saveCheckpoint(created!.id, { positions: { 'shardId-000000000000': 12 }, state: { pumps: {} } });
    expect((await apps.byName(name))?.checkpoint).toEqual({ positions: { 'shardId-000000000000': 12 }, state: { pumps: {} } });
    await apps.setStatus(name, 'STOPPED');
    expect((await apps.runnable()).map((a) => a.name)).not.toContain(name);

    expect(await apps.delete(name)).toBe(true);
    expect(await apps.byName(name)).toBeUndefined();
    expect(await apps.update(name, { sql: 'x' })).toBeUndefined();
  });
});
