/** CreateStream request members (AWS API reference, 2013-12-02). */
import type { StreamMode } from '../domain';
import { intRange, requiredStreamName, tagMap } from './common';
import { defineTable } from './table';

/** Validated CreateStream input (wire shape). */
export interface CreateStreamInput {
  StreamName: string;
  ShardCount?: number;
  StreamModeDetails?: { StreamMode: StreamMode };
  Tags?: Record<string, string>;
}

export const STREAM_MODES: readonly StreamMode[] = ['PROVISIONED', 'ON_DEMAND'];

export const createStreamTable = defineTable<CreateStreamInput>({
  StreamName: requiredStreamName,
  ShardCount: intRange(1),
  StreamModeDetails: {
    type: 'Structure',
    fields: { StreamMode: { type: 'String', notNull: true, enum: STREAM_MODES } },
  },
  Tags: tagMap,
});
