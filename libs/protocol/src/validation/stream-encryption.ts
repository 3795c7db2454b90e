/** Request members shared by StartStreamEncryption and StopStreamEncryption. */
import type { EncryptionType } from '../domain';
import { requireStreamRef, streamRefFields, type StreamRefInput } from './common';
import { defineTable } from './table';

export const ENCRYPTION_TYPES: readonly EncryptionType[] = ['NONE', 'KMS'];

/** Validated Start/StopStreamEncryption input (wire shape). */
export interface StreamEncryptionInput extends StreamRefInput {
  EncryptionType: EncryptionType;
  KeyId: string;
}

export const streamEncryptionTable = defineTable<StreamEncryptionInput>(
  {
    ...streamRefFields,
    EncryptionType: { type: 'String', notNull: true, enum: ENCRYPTION_TYPES },
    KeyId: { type: 'String', notNull: true, minLength: 1, maxLength: 2048 },
  },
  requireStreamRef,
);
