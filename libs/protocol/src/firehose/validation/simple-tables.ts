/**
 * Request members of the Firehose operations with small inputs: Delete, Describe, List,
 * the tag operations and the encryption operations (Firehose API reference).
 */
import { defineTable } from '../../validation/table';
import type { DeliveryStreamType } from '../domain';
import { DELIVERY_STREAM_TYPES, encryptionConfigurationInput, type EncryptionConfigurationInput } from './create-delivery-stream';
import { deliveryStreamName, requiredDeliveryStreamName, tagKey, tagList, type WireFirehoseTag } from './shapes';

export interface DeleteDeliveryStreamInput {
  DeliveryStreamName: string;
  AllowForceDelete?: boolean;
}
export const deleteDeliveryStreamTable = defineTable<DeleteDeliveryStreamInput>({
  DeliveryStreamName: requiredDeliveryStreamName,
  AllowForceDelete: { type: 'Boolean' },
});

export interface DescribeDeliveryStreamInput {
  DeliveryStreamName: string;
  Limit?: number;
  ExclusiveStartDestinationId?: string;
}
export const describeDeliveryStreamTable = defineTable<DescribeDeliveryStreamInput>({
  DeliveryStreamName: requiredDeliveryStreamName,
  Limit: { type: 'Integer', min: 1, max: 10000 },
  ExclusiveStartDestinationId: { type: 'String', minLength: 1, maxLength: 100, pattern: '[a-zA-Z0-9-]+' },
});

export interface ListDeliveryStreamsInput {
  Limit?: number;
  DeliveryStreamType?: DeliveryStreamType;
  ExclusiveStartDeliveryStreamName?: string;
}
export const listDeliveryStreamsTable = defineTable<ListDeliveryStreamsInput>({
  Limit: { type: 'Integer', min: 1, max: 10000 },
  DeliveryStreamType: { type: 'String', enum: DELIVERY_STREAM_TYPES },
  ExclusiveStartDeliveryStreamName: deliveryStreamName,
});

export interface TagDeliveryStreamInput {
  DeliveryStreamName: string;
  Tags: WireFirehoseTag[];
}
export const tagDeliveryStreamTable = defineTable<TagDeliveryStreamInput>({
  DeliveryStreamName: requiredDeliveryStreamName,
  Tags: { ...tagList, notNull: true },
});

export interface UntagDeliveryStreamInput {
  DeliveryStreamName: string;
  TagKeys: string[];
}
export const untagDeliveryStreamTable = defineTable<UntagDeliveryStreamInput>({
  DeliveryStreamName: requiredDeliveryStreamName,
  TagKeys: { type: 'List', notNull: true, minLength: 1, maxLength: 50, member: tagKey },
});

export interface ListTagsForDeliveryStreamInput {
  DeliveryStreamName: string;
  ExclusiveStartTagKey?: string;
  Limit?: number;
}
export const listTagsForDeliveryStreamTable = defineTable<ListTagsForDeliveryStreamInput>({
  DeliveryStreamName: requiredDeliveryStreamName,
  ExclusiveStartTagKey: tagKey,
  Limit: { type: 'Integer', min: 1, max: 50 },
});

export interface StartDeliveryStreamEncryptionInput {
  DeliveryStreamName: string;
  DeliveryStreamEncryptionConfigurationInput?: EncryptionConfigurationInput;
}
export const startDeliveryStreamEncryptionTable = defineTable<StartDeliveryStreamEncryptionInput>({
  DeliveryStreamName: requiredDeliveryStreamName,
  DeliveryStreamEncryptionConfigurationInput: encryptionConfigurationInput,
});

export interface StopDeliveryStreamEncryptionInput {
  DeliveryStreamName: string;
}
export const stopDeliveryStreamEncryptionTable = defineTable<StopDeliveryStreamEncryptionInput>({
  DeliveryStreamName: requiredDeliveryStreamName,
});
