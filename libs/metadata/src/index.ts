// Postgres metadata: the DataSource, the schema's migrations, and repositories that
// return domain types. Entities are exported for tests and migrations tooling only.
export {
  createDataSource,
  DEFAULT_DATABASE_URL,
  ensureDatabase,
  METADATA_ENTITIES,
  METADATA_MIGRATIONS,
  migrate,
  openMetadata,
} from './data-source';
export { ConsumerSubscriptionEntity } from './entities/consumer-subscription.entity';
export { StreamConsumerEntity } from './entities/stream-consumer.entity';
export { ShardLeaseEntity } from './entities/shard-lease.entity';
export { ShardOwnerEntity } from './entities/shard-owner.entity';
export { ShardEntity } from './entities/shard.entity';
export { StreamTagEntity } from './entities/stream-tag.entity';
export { StreamEntity } from './entities/stream.entity';
export type { StoredStreamStatus } from './entities/stream.entity';
export { ResourcePolicyEntity } from './entities/resource-policy.entity';
export { ConsumerRepository } from './repositories/consumer.repository';
export type { NewConsumer, RegisterResult, StoredConsumer } from './repositories/consumer.repository';
export { deriveConsumerStatus } from './consumer.mapper';
export { LeaseRepository } from './repositories/lease.repository';
export { ResourcePolicyRepository } from './repositories/resource-policy.repository';
export type { AssignableShard, HeldLease, ShardLease } from './repositories/lease.repository';
export { StreamRepository } from './repositories/stream.repository';
export type { NewShard, NewStream, ReshardChange, ReshardChild, StreamPage } from './repositories/stream.repository';
export { deriveStreamStatus, isGone } from './stream-status';
export type { StreamLifecycle } from './stream-status';
export { GroupRepository } from './repositories/group.repository';
export type { GroupCheckpoint, GroupLease, StoredGroup, StoredMember } from './repositories/group.repository';
export { ConsumerGroupEntity } from './entities/consumer-group.entity';
export { GroupMemberEntity } from './entities/group-member.entity';
export { GroupLeaseEntity } from './entities/group-lease.entity';
export { GroupCheckpointEntity } from './entities/group-checkpoint.entity';
export { DeliveryProgressEntity } from './entities/delivery-progress.entity';
export { DeliveryProgressRepository } from './repositories/delivery-progress.repository';
export type { DeliveryProgress } from './repositories/delivery-progress.repository';
export { DeliveryStreamReaderEntity } from './entities/delivery-stream-reader.entity';
export { DeliveryReaderRepository } from './repositories/delivery-reader.repository';
export { DeliveryStreamEntity } from './entities/delivery-stream.entity';
export { DeliveryStreamTagEntity } from './entities/delivery-stream-tag.entity';
export { DeliveryStreamRepository } from './repositories/delivery-stream.repository';
export type { NewStoredDeliveryStream } from './repositories/delivery-stream.repository';
export { PLUGIN_VERSION_CHANNEL, PluginRepository } from './repositories/plugin.repository';
export type { NewPluginVersion, StoredPlugin, StoredPluginVersion } from './repositories/plugin.repository';
export { TransformPluginEntity } from './entities/transform-plugin.entity';
export { TransformPluginVersionEntity } from './entities/transform-plugin-version.entity';
export type { PluginCodeKind } from './entities/transform-plugin-version.entity';
export { AnalyticsApplicationEntity } from './entities/analytics-application.entity';
export type { StoredAnalyticsStatus } from './entities/analytics-application.entity';
export { AnalyticsApplicationVersionEntity } from './entities/analytics-application-version.entity';
export { AnalyticsApplicationRepository } from './repositories/analytics-application.repository';
export type { AnalyticsApplicationChange, NewAnalyticsApplication, StoredAnalyticsApplication } from './repositories/analytics-application.repository';
