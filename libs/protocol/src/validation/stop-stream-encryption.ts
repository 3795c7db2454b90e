/** StopStreamEncryption request members (shape shared with Start). */
import { streamEncryptionTable, type StreamEncryptionInput } from './stream-encryption';
import type { ValidationTable } from './table';

/** Validated StopStreamEncryption input (wire shape). */
export type StopStreamEncryptionInput = StreamEncryptionInput;

export const stopStreamEncryptionTable: ValidationTable<StopStreamEncryptionInput> = streamEncryptionTable;
