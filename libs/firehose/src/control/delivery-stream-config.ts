/**
 * What the delivery pipeline runtime reads of a delivery stream: the protocol's
 * `DeliveryStream` (id, name, type, status, versionId, source, destination kind + config,
 * encryption). List them with `DeliveryStreamRepository.all()` / `findById()` and reload
 * one on a DELIVERY_STREAM_CHANGED_SUBJECT notice carrying its id.
 */
import type { DeliveryStream } from '@shardline/protocol';

/** A delivery stream's configuration, as stored (the pipeline's input). */
export type DeliveryStreamConfig = DeliveryStream;

/** Alias kept for readers that think of it as DescribeDeliveryStream's answer, in camelCase. */
export type DeliveryStreamDescription = DeliveryStream;
