/**
 * TagDeliveryStream   { DeliveryStreamName, Tags: [{ Key, Value? }] (1-50) } -> {}
 * UntagDeliveryStream { DeliveryStreamName, TagKeys (1-50) } -> {}
 * ListTagsForDeliveryStream { DeliveryStreamName, ExclusiveStartTagKey?, Limit? (1-50, default 50) } -> { Tags, HasMoreTags }
 * A delivery stream holds at most 50 tags (LimitExceededException past that, checked by the backend).
 */
import {
  listTagsForDeliveryStreamTable,
  tagDeliveryStreamTable,
  untagDeliveryStreamTable,
  type ListTagsForDeliveryStreamInput,
  type TagDeliveryStreamInput,
  type UntagDeliveryStreamInput,
} from '../validation/simple-tables';
import type { WireFirehoseTag } from '../validation/shapes';
import { defineFirehoseOperation } from './operation';
import { MAX_TAGS, tagsFromWire, tagToWire } from './tags';

export const tagDeliveryStream = defineFirehoseOperation({
  name: 'TagDeliveryStream',
  validation: tagDeliveryStreamTable,
  async execute(backend, input: TagDeliveryStreamInput): Promise<Record<string, never>> {
    await backend.tag(input.DeliveryStreamName, tagsFromWire(input.Tags));
    return {};
  },
});

export const untagDeliveryStream = defineFirehoseOperation({
  name: 'UntagDeliveryStream',
  validation: untagDeliveryStreamTable,
  async execute(backend, input: UntagDeliveryStreamInput): Promise<Record<string, never>> {
    await backend.untag(input.DeliveryStreamName, input.TagKeys.filter((key) => key != null));
    return {};
  },
});

export const listTagsForDeliveryStream = defineFirehoseOperation({
  name: 'ListTagsForDeliveryStream',
  validation: listTagsForDeliveryStreamTable,
  async execute(backend, input: ListTagsForDeliveryStreamInput): Promise<{ Tags: WireFirehoseTag[]; HasMoreTags: boolean }> {
    const all = await backend.listTags(input.DeliveryStreamName);
    const start = input.ExclusiveStartTagKey;
    const remaining = start === undefined ? all : all.filter((tag) => tag.key > start);
    const limit = input.Limit ?? MAX_TAGS;
    return { Tags: remaining.slice(0, limit).map(tagToWire), HasMoreTags: remaining.length > limit };
  },
});
