import 'reflect-metadata';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { ShardLeaseEntity } from './entities/shard-lease.entity';
import { ShardOwnerEntity } from './entities/shard-owner.entity';
import { ShardEntity } from './entities/shard.entity';
import { ConsumerSubscriptionEntity } from './entities/consumer-subscription.entity';
import { ConsumerTagEntity } from './entities/consumer-tag.entity';
import { StreamConsumerEntity } from './entities/stream-consumer.entity';
import { StreamTagEntity } from './entities/stream-tag.entity';
import { StreamEntity } from './entities/stream.entity';
import { ResourcePolicyEntity } from './entities/resource-policy.entity';
import { ConsumerGroupEntity } from './entities/consumer-group.entity';
import { GroupCheckpointEntity } from './entities/group-checkpoint.entity';
import { GroupLeaseEntity } from './entities/group-lease.entity';
import { GroupMemberEntity } from './entities/group-member.entity';
import { DeliveryProgressEntity } from './entities/delivery-progress.entity';
import { TransformPluginEntity } from './entities/transform-plugin.entity';
import { TransformPluginVersionEntity } from './entities/transform-plugin-version.entity';
import { InitialSchema1795646320041 } from './migrations/1795646320041-InitialSchema';
import { Resharding1795700000000 } from './migrations/1795700000000-Resharding';
import { StreamConsumers1795900000000 } from './migrations/1795900000000-StreamConsumers';
import { ResourcePoliciesAndMaxRecordSize1796000000000 } from './migrations/1796000000000-ResourcePoliciesAndMaxRecordSize';
import { ConsumerTags1796050000000 } from './migrations/1796050000000-ConsumerTags';
import { ConsumerGroups1796200000000 } from './migrations/1796200000000-ConsumerGroups';
import { DeliveryProgress1796500000000 } from './migrations/1796500000000-DeliveryProgress';
import { DeliveryStreamEntity } from './entities/delivery-stream.entity';
import { DeliveryStreamTagEntity } from './entities/delivery-stream-tag.entity';
import { DeliveryStreams1796300000000 } from './migrations/1796300000000-DeliveryStreams';
import { TransformPlugins1796400000000 } from './migrations/1796400000000-TransformPlugins';
import { AnalyticsApplicationEntity } from './entities/analytics-application.entity';
import { AnalyticsApplicationVersionEntity } from './entities/analytics-application-version.entity';
import { AnalyticsApplications1796600000000 } from './migrations/1796600000000-AnalyticsApplications';
import { DeliveryStreamReaderEntity } from './entities/delivery-stream-reader.entity';
import { DeliveryStreamReaders1796730000000 } from './migrations/1796730000000-DeliveryStreamReaders';

/** Where the metadata lives when DATABASE_URL is not set. */
export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/shardline';

/** Every entity, listed by hand: the code runs from TypeScript sources, where globs would not match. */
export const METADATA_ENTITIES = [
  StreamEntity,
  ShardEntity,
  StreamTagEntity,
  ShardOwnerEntity,
  ShardLeaseEntity,
  ResourcePolicyEntity,
  StreamConsumerEntity,
  ConsumerSubscriptionEntity,
  ConsumerTagEntity,
  ConsumerGroupEntity,
  GroupMemberEntity,
  GroupLeaseEntity,
  GroupCheckpointEntity,
  DeliveryProgressEntity,
  DeliveryStreamEntity,
  DeliveryStreamTagEntity,
  TransformPluginEntity,
  TransformPluginVersionEntity,
  AnalyticsApplicationEntity,
  AnalyticsApplicationVersionEntity,
  DeliveryStreamReaderEntity,
];

/** Every migration, in order. */
export const METADATA_MIGRATIONS = [
  InitialSchema1795646320041,
  Resharding1795700000000,
  StreamConsumers1795900000000,
  ResourcePoliciesAndMaxRecordSize1796000000000,
  ConsumerTags1796050000000,
  ConsumerGroups1796200000000,
  DeliveryStreams1796300000000,
  TransformPlugins1796400000000,
  DeliveryProgress1796500000000,
  AnalyticsApplications1796600000000,
  DeliveryStreamReaders1796730000000,
];

// Any fixed 64-bit key works; it only has to be the same in every process that migrates.
const MIGRATION_LOCK_KEY = 7_363_846_512_013;

// Postgres codes for a database that a concurrent CREATE DATABASE created first.
const DUPLICATE_DATABASE = '42P04';
const UNIQUE_VIOLATION = '23505';

/** A DataSource for the metadata schema; the schema changes only through migrations. */
export function createDataSource(url: string): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities: METADATA_ENTITIES,
    migrations: METADATA_MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'all',
    synchronize: false,
    migrationsRun: false,
    logging: false,
  });
}

/** Creates the database named in `url` when it does not exist yet (safe to race). */
export async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!name) throw new Error(`No database name in ${target.origin}`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount) return;
    await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code !== DUPLICATE_DATABASE && code !== UNIQUE_VIOLATION) throw err;
  } finally {
    await client.end();
  }
}

/** Opens the metadata database: creates it if missing, connects, runs pending migrations. */
export async function openMetadata(url: string): Promise<DataSource> {
  await ensureDatabase(url);
  const dataSource = await createDataSource(url).initialize();
  try {
    await migrate(dataSource);
  } catch (err) {
    await dataSource.destroy();
    throw err;
  }
  return dataSource;
}

/** Runs pending migrations in one transaction, serialised across processes by an advisory lock. */
export async function migrate(dataSource: DataSource): Promise<void> {
  // The lock is held by its own session, so TypeORM's migration connection is free to run.
  const lock = dataSource.createQueryRunner();
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await dataSource.runMigrations({ transaction: 'all' });
    } finally {
      await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await lock.release();
  }
}
