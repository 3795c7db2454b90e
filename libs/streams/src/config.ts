import { parseAccessKeys, type AccessKey } from '@shardline/protocol';

/** Platform settings, read once from the environment, with defaults that work on one machine. */
export interface PlatformConfig {
  natsUrl: string;
  databaseUrl: string;
  port: number;
  region: string;
  accountId: string;
  iteratorSecret: string;
  /**
   * First token of the NATS API's subjects (`<prefix>.put.<stream>`, `<prefix>.api.<op>`):
   * `shardline` unless several Shardlines share one NATS server (tests give each its own).
   */
  natsApiPrefix: string;
  /** Account-wide limit of open shards (LimitExceededException above it). */
  maxShards: number;
  createDelayMs: number;
  deleteDelayMs: number;
  /** JetStream replicas of each shard's stream (3 in a NATS cluster). */
  replicas: number;
  /** Lease time-to-live; a dead process's shards move after at most this plus one tick. */
  leaseTtlMs: number;
  leaseTickMs: number;
  /** How long a stream reads UPDATING after a reshard or mode change has been applied (SDK waiters poll for ACTIVE). */
  updateDelayMs: number;
  /** How long a reshard may hold its stream; an actor sealed longer than this by a reshard that died is reopened. */
  reshardHoldMs: number;
  /** UpdateShardCount calls allowed per stream per rolling 24 hours (AWS: 10). */
  maxScalingOperationsPerDay: number;
  /** Per-shard write limits (AWS: 1 MiB/s and 1000 records/s); ON_DEMAND splits a shard sustained above half of either. */
  shardWriteBytesPerSecond: number;
  shardWriteRecordsPerSecond: number;
  /** How long an ON_DEMAND shard must stay hot before it is split. */
  onDemandSplitWindowMs: number;
  /** Access keys whose SigV4 signatures the gateway accepts; none (the default) = no verification. */
  credentials: AccessKey[];
  /** Per-shard throughput limits of PROVISIONED streams (writes: the two figures above); `enabled` false turns them off everywhere. */
  shardLimits: ShardLimits;
  /** DescribeLimits' OnDemandStreamCountLimit. */
  maxOnDemandStreams: number;
  /** SHARDLINE_KMS_KEYS: master keys by key id or alias (JSON), for stream encryption. */
  kmsKeys?: string;
  /** How long a new enhanced fan-out consumer stays CREATING, and a deregistered one DELETING. */
  consumerCreateDelayMs: number;
  consumerDeleteDelayMs: number;
  /** SubscribeToShard: how long one subscription lasts (AWS: 5 minutes). */
  subscriptionMaxMs: number;
  /** SubscribeToShard: an (empty) event at least this often while the shard is idle (AWS: ~5 s). */
  subscriptionKeepAliveMs: number;
  /** SubscribeToShard: a new call this long after the previous one takes its subscription over (AWS: 5 s). */
  subscriptionTakeoverMs: number;
  /** Consumer groups: a member silent this long is dropped and its shards handed to the others. */
  groupMemberTtlMs: number;
  /** Consumer groups: how often members heartbeat; a dead member's shards are read again within TTL + 2 of these (default 5 + 3 s). */
  groupHeartbeatMs: number;
}

/** Whether AWS's per-shard limits apply to provisioned streams, and the read figures (AWS: 5 calls/s, 2 MiB/s). */
export interface ShardLimits {
  enabled: boolean;
  readCallsPerSecond: number;
  readBytesPerSecond: number;
}

const MIB = 1024 * 1024;

export function readConfig(env: NodeJS.ProcessEnv = process.env): PlatformConfig {
  const int = (name: string, fallback: number) => {
    const value = env[name];
    return value === undefined || value === '' ? fallback : Number.parseInt(value, 10);
  };
  return {
    natsUrl: env.NATS_URL ?? 'nats://127.0.0.1:4222',
    databaseUrl: env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/shardline',
    port: int('PORT', 4567),
    region: env.SHARDLINE_REGION ?? 'us-east-1',
    accountId: env.SHARDLINE_ACCOUNT_ID ?? '000000000000',
    iteratorSecret: env.SHARDLINE_ITERATOR_SECRET ?? 'shardline-dev-iterator-secret',
    natsApiPrefix: env.SHARDLINE_NATS_API_PREFIX ?? 'shardline',
    maxShards: int('SHARDLINE_MAX_SHARDS', 500),
    createDelayMs: int('SHARDLINE_STREAM_CREATE_DELAY_MS', 500),
    deleteDelayMs: int('SHARDLINE_STREAM_DELETE_DELAY_MS', 500),
    replicas: int('SHARDLINE_REPLICAS', 1),
    leaseTtlMs: int('SHARDLINE_LEASE_TTL_MS', 5000),
    leaseTickMs: int('SHARDLINE_LEASE_TICK_MS', 1000),
    updateDelayMs: int('SHARDLINE_STREAM_UPDATE_DELAY_MS', 500),
    reshardHoldMs: int('SHARDLINE_RESHARD_HOLD_MS', 30_000),
    maxScalingOperationsPerDay: int('SHARDLINE_MAX_SCALING_OPERATIONS_PER_DAY', 10),
    shardWriteBytesPerSecond: int('SHARDLINE_SHARD_WRITE_BYTES_PER_SECOND', 1_048_576),
    shardWriteRecordsPerSecond: int('SHARDLINE_SHARD_WRITE_RECORDS_PER_SECOND', 1000),
    onDemandSplitWindowMs: int('SHARDLINE_ON_DEMAND_SPLIT_WINDOW_MS', 60_000),
    credentials: parseAccessKeys(env.SHARDLINE_CREDENTIALS),
    shardLimits: {
      enabled: (env.SHARDLINE_SHARD_LIMITS ?? 'on').toLowerCase() !== 'off',
      readCallsPerSecond: int('SHARDLINE_SHARD_READ_CALLS_PER_SECOND', 5),
      readBytesPerSecond: int('SHARDLINE_SHARD_READ_BYTES_PER_SECOND', 2 * MIB),
    },
    maxOnDemandStreams: int('SHARDLINE_MAX_ON_DEMAND_STREAMS', 50),
    kmsKeys: env.SHARDLINE_KMS_KEYS,
    consumerCreateDelayMs: int('SHARDLINE_CONSUMER_CREATE_DELAY_MS', 500),
    consumerDeleteDelayMs: int('SHARDLINE_CONSUMER_DELETE_DELAY_MS', 500),
    subscriptionMaxMs: int('SHARDLINE_SUBSCRIPTION_MAX_MS', 300_000),
    subscriptionKeepAliveMs: int('SHARDLINE_SUBSCRIPTION_KEEPALIVE_MS', 5000),
    subscriptionTakeoverMs: int('SHARDLINE_SUBSCRIPTION_TAKEOVER_MS', 5000),
    groupMemberTtlMs: int('SHARDLINE_GROUP_MEMBER_TTL_MS', 5000),
    groupHeartbeatMs: int('SHARDLINE_GROUP_HEARTBEAT_MS', 1500),
  };
}
