/** Tag mapping shared by CreateDeliveryStream and the tag operations. */
import type { FirehoseTag } from '../domain';
import type { WireFirehoseTag } from '../validation/shapes';

/** A delivery stream holds at most this many tags (AWS's limit). */
export const MAX_TAGS = 50;

export function tagsFromWire(tags: readonly (WireFirehoseTag | undefined)[]): FirehoseTag[] {
  const byKey = new Map<string, FirehoseTag>();
  for (const tag of tags) if (tag) byKey.set(tag.Key, tag.Value === undefined ? { key: tag.Key } : { key: tag.Key, value: tag.Value });
  return [...byKey.values()];
}

export function tagToWire(tag: FirehoseTag): WireFirehoseTag {
  return tag.value === undefined ? { Key: tag.key } : { Key: tag.key, Value: tag.value };
}
