import { analyticsOperations } from './analytics-operations';
import { deliveryStreamStatus, listDeliveryStreams } from './delivery-operations';
import { deleteGroup, describeGroup, listGroups } from './group-operations';
import type { NativeOperation } from './operation';
import { deletePlugin, describePlugin, listPlugins, publishPluginVersion } from './plugin-operations';
import { streamMetrics } from './metrics-operations';
import { putRecords, readRecords } from './record-operations';
import { createStream, deleteStream, describeStream, listStreams, updateStream } from './stream-operations';

/** Every JSON operation of the native APIs: drives REST routing, NATS control subjects and the OpenAPI document. */
export const nativeOperations: readonly NativeOperation[] = [
  createStream,
  listStreams,
  describeStream,
  updateStream,
  deleteStream,
  streamMetrics,
  putRecords,
  readRecords,
  listGroups,
  describeGroup,
  deleteGroup,
  publishPluginVersion,
  listPlugins,
  describePlugin,
  deletePlugin,
  ...analyticsOperations,
  listDeliveryStreams,
  deliveryStreamStatus,
];
