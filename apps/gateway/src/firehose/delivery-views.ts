import { DeliveryProgressRepository } from '@shardline/metadata';
import { objectStoreOf, readFirehoseConfig, type FirehoseControl } from '@shardline/firehose';
import type { NativeDelivery } from '@shardline/native';
import type { Platform } from '@shardline/streams';

/**
 * What the console's delivery stream views read: the control plane, the progress table, the
 * last message stored in each source (the direct-put JetStream stream, or a source shard), and
 * the destination buckets through the same object store the firehose role writes with
 * (configured by the same environment: SHARDLINE_S3_*, or SHARDLINE_DATA_DIR's buckets).
 */
export function deliveryViews(platform: Platform, control: FirehoseControl): NativeDelivery {
  const progress = new DeliveryProgressRepository(platform.dataSource);
  const config = readFirehoseConfig(process.env, { region: platform.config.region, accountId: platform.config.accountId });
  return {
    streams: control.service,
    progress: (id) => progress.all(id),
    lastStored: async (stream, source) => {
      if (source === '') return control.lastDirectPutSeq(stream.id);
      if (!stream.source || !/^shardId-\d{12}$/.test(source)) return undefined;
      return (await platform.store.bounds({ streamId: stream.source.streamId, shardIndex: Number(source.slice('shardId-'.length)) })).lastSeq;
    },
    objects: objectStoreOf(config),
  };
}
