/** Platform settings, read once from the environment, with defaults that work on one machine. */
export interface PlatformConfig {
  natsUrl: string;
  databaseUrl: string;
  port: number;
  region: string;
  accountId: string;
  iteratorSecret: string;
  /** Account-wide limit of open shards (LimitExceededException above it). */
  maxShards: number;
  createDelayMs: number;
  deleteDelayMs: number;
  /** JetStream replicas of each shard's stream (3 in a NATS cluster). */
  replicas: number;
  /** Lease time-to-live; a dead process's shards move after at most this plus one tick. */
  leaseTtlMs: number;
  leaseTickMs: number;
  /** How long a new enhanced fan-out consumer stays CREATING, and a deregistered one DELETING. */
  consumerCreateDelayMs: number;
  consumerDeleteDelayMs: number;
  /** SubscribeToShard: how long one subscription lasts (AWS: 5 minutes). */
  subscriptionMaxMs: number;
  /** SubscribeToShard: an (empty) event at least this often while the shard is idle (AWS: ~5 s). */
  subscriptionKeepAliveMs: number;
  /** SubscribeToShard: a new call this long after the previous one takes its subscription over (AWS: 5 s). */
  subscriptionTakeoverMs: number;
}

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
    maxShards: int('SHARDLINE_MAX_SHARDS', 500),
    createDelayMs: int('SHARDLINE_STREAM_CREATE_DELAY_MS', 500),
    deleteDelayMs: int('SHARDLINE_STREAM_DELETE_DELAY_MS', 500),
    replicas: int('SHARDLINE_REPLICAS', 1),
    leaseTtlMs: int('SHARDLINE_LEASE_TTL_MS', 5000),
    leaseTickMs: int('SHARDLINE_LEASE_TICK_MS', 1000),
    consumerCreateDelayMs: int('SHARDLINE_CONSUMER_CREATE_DELAY_MS', 500),
    consumerDeleteDelayMs: int('SHARDLINE_CONSUMER_DELETE_DELAY_MS', 500),
    subscriptionMaxMs: int('SHARDLINE_SUBSCRIPTION_MAX_MS', 300_000),
    subscriptionKeepAliveMs: int('SHARDLINE_SUBSCRIPTION_KEEPALIVE_MS', 5000),
    subscriptionTakeoverMs: int('SHARDLINE_SUBSCRIPTION_TAKEOVER_MS', 5000),
  };
}
