/**
 * StopStreamEncryption
 *   request:  { StreamName? | StreamARN?, EncryptionType: KMS, KeyId (1-2048) }
 *   response: {}
 * Records written from now on are stored unencrypted; those written encrypted stay
 * encrypted and readable (each batch names its key).
 */
import { invalidArgument } from '../errors';
import { stopStreamEncryptionTable, type StopStreamEncryptionInput } from '../validation/stop-stream-encryption';
import { defineOperation } from './operation';
import { streamRef } from './wire';

export const stopStreamEncryption = defineOperation({
  name: 'StopStreamEncryption',
  validation: stopStreamEncryptionTable,
  async execute(backend, input: StopStreamEncryptionInput): Promise<Record<string, never>> {
    if (input.EncryptionType !== 'KMS') throw invalidArgument(`Encryption type ${input.EncryptionType} is not supported. Use KMS.`);
    await backend.stopEncryption(streamRef(input), input.KeyId);
    return {};
  },
});
