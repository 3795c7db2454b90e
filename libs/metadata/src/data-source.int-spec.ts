import type { DataSource } from 'typeorm';
import { dropDatabase, scratchDatabaseUrl, testDatabaseUrl } from '../../../test/support/database';
import { randomName } from '../../../test/support/random-name';
import { createDataSource, ensureDatabase, METADATA_MIGRATIONS, openMetadata } from './data-source';

const TABLES = [
  'analytics_application_versions',
  'analytics_applications',
  'consumer_groups',
  'consumer_subscriptions',
  'consumer_tags',
  'delivery_progress',
  'delivery_stream_readers',
  'delivery_stream_tags',
  'delivery_streams',
  'group_checkpoints',
  'group_leases',
  'group_members',
  'resource_policies',
  'shard_leases',
  'shard_owners',
  'shards',
  'stream_consumers',
  'stream_tags',
  'streams',
  'transform_plugin_versions',
  'transform_plugins',
];

async function tables(dataSource: DataSource): Promise<string[]> {
  const rows: Array<{ table_name: string }> = await dataSource.query(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'migrations' ORDER BY table_name`,
  );
  return rows.map((row) => row.table_name);
}

describe('metadata migrations', () => {
  const url = scratchDatabaseUrl(randomName('shardline_migrations'));
  afterAll(() => dropDatabase(url));

  it('survives concurrent starts on a database that does not exist yet', async () => {
    const opened = await Promise.all([openMetadata(url), openMetadata(url), openMetadata(url)]);
    expect(await tables(opened[0]!)).toEqual(TABLES);
    const [{ count }] = await opened[0]!.query('SELECT count(*)::int AS count FROM migrations');
    expect(count).toBe(METADATA_MIGRATIONS.length);
    await Promise.all(opened.map((dataSource) => dataSource.destroy()));
  });

  it('leaves nothing for the entities to change (migrations and entities agree)', async () => {
    const dataSource = await openMetadata(url);
    try {
      const pending = await dataSource.driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((q) => q.query)).toEqual([]);
    } finally {
      await dataSource.destroy();
    }
  });

  it('migrates down to nothing and up again', async () => {
    const dataSource = await openMetadata(url);
    try {
      for (let i = 0; i < METADATA_MIGRATIONS.length; i++) await dataSource.undoLastMigration({ transaction: 'all' });
      expect(await tables(dataSource)).toEqual([]);
      expect(await dataSource.showMigrations()).toBe(true);
      await dataSource.runMigrations({ transaction: 'all' });
      expect(await tables(dataSource)).toEqual(TABLES);
    } finally {
      await dataSource.destroy();
    }
  });

  it('finds the shared test database already migrated by the global setup', async () => {
    const dataSource = await createDataSource(testDatabaseUrl()).initialize();
    try {
      expect(await dataSource.showMigrations()).toBe(false);
    } finally {
      await dataSource.destroy();
    }
  });

  it('ensureDatabase tolerates concurrent creates of the same database', async () => {
    const raced = scratchDatabaseUrl(randomName('shardline_race'));
    try {
      await Promise.all([ensureDatabase(raced), ensureDatabase(raced), ensureDatabase(raced)]);
      await ensureDatabase(raced);
    } finally {
      await dropDatabase(raced);
    }
  });
});
