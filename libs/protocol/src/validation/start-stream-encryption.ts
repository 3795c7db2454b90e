/** StartStreamEncryption request members (shape shared with Stop). */
import { streamEncryptionTable, type StreamEncryptionInput } from './stream-encryption';
import type { ValidationTable } from './table';

/** Validated StartStreamEncryption input (wire shape). */
export type StartStreamEncryptionInput = StreamEncryptionInput;

export const startStreamEncryptionTable: ValidationTable<StartStreamEncryptionInput> = streamEncryptionTable;
