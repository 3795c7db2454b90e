/**
 * Request members of the operations that only name a resource by ARN: ListTagsForResource,
 * GetResourcePolicy, DeleteResourcePolicy. (StreamId, "reserved for future use", is ignored.)
 */
import { resourceARN, type ResourceInput } from './common';
import { defineTable } from './table';

export const resourceTable = defineTable<ResourceInput>({ ResourceARN: resourceARN });
