/** UpdateStreamMode request members (AWS API reference: both required, the stream named by ARN only). */
import type { StreamMode } from '../domain';
import { streamARN } from './common';
import { STREAM_MODES } from './create-stream';
import { defineTable } from './table';

/** Validated UpdateStreamMode input (wire shape). */
export interface UpdateStreamModeInput {
  StreamARN: string;
  StreamModeDetails: { StreamMode: StreamMode };
}

export const updateStreamModeTable = defineTable<UpdateStreamModeInput>({
  StreamARN: { ...streamARN, notNull: true },
  StreamModeDetails: {
    type: 'Structure',
    notNull: true,
    fields: { StreamMode: { type: 'String', notNull: true, enum: STREAM_MODES } },
  },
});
