/**
 * StartStreamEncryption
 *   request:  { StreamName? | StreamARN?, EncryptionType: KMS, KeyId (1-2048) }
 *   response: {}
 * KeyId is a key id, a key ARN, an alias name (alias/...) or an alias ARN; records written
 * from now on are stored encrypted under it. An unknown key is KMSNotFoundException.
 */
import { invalidArgument } from '../errors';
import { startStreamEncryptionTable, type StartStreamEncryptionInput } from '../validation/start-stream-encryption';
import { defineOperation } from './operation';
import { streamRef } from './wire';

export const startStreamEncryption = defineOperation({
  name: 'StartStreamEncryption',
  validation: startStreamEncryptionTable,
  async execute(backend, input: StartStreamEncryptionInput): Promise<Record<string, never>> {
    // KMS is the only encryption a stream can be started with; AWS's text for NONE is not documented.
    if (input.EncryptionType !== 'KMS') throw invalidArgument(`Encryption type ${input.EncryptionType} is not supported. Use KMS.`);
    await backend.startEncryption(streamRef(input), input.KeyId);
    return {};
  },
});
