/**
 * StartDeliveryStreamEncryption / StopDeliveryStreamEncryption
 *   request:  { DeliveryStreamName, DeliveryStreamEncryptionConfigurationInput? { KeyARN?, KeyType } } / { DeliveryStreamName }
 *   response: {}
 * The status goes ENABLING -> ENABLED (DISABLING -> DISABLED). AWS_OWNED_CMK takes no KeyARN;
 * CUSTOMER_MANAGED_CMK needs one.
 */
import { invalidArgument } from '../../errors';
import type { EncryptionConfigurationInput } from '../validation/create-delivery-stream';
import {
  startDeliveryStreamEncryptionTable,
  stopDeliveryStreamEncryptionTable,
  type StartDeliveryStreamEncryptionInput,
  type StopDeliveryStreamEncryptionInput,
} from '../validation/simple-tables';
import { defineFirehoseOperation } from './operation';

export function checkEncryptionInput(input: EncryptionConfigurationInput): void {
  if (input.KeyType === 'CUSTOMER_MANAGED_CMK' && !input.KeyARN) {
    throw invalidArgument('KeyARN is required when KeyType is CUSTOMER_MANAGED_CMK.');
  }
  if (input.KeyType === 'AWS_OWNED_CMK' && input.KeyARN) {
    throw invalidArgument('KeyARN must not be specified when KeyType is AWS_OWNED_CMK.');
  }
}

export const startDeliveryStreamEncryption = defineFirehoseOperation({
  name: 'StartDeliveryStreamEncryption',
  validation: startDeliveryStreamEncryptionTable,
  async execute(backend, input: StartDeliveryStreamEncryptionInput): Promise<Record<string, never>> {
    const config = input.DeliveryStreamEncryptionConfigurationInput ?? { KeyType: 'AWS_OWNED_CMK' as const };
    checkEncryptionInput(config);
    await backend.startEncryption(input.DeliveryStreamName, {
      keyType: config.KeyType,
      ...(config.KeyARN ? { keyArn: config.KeyARN } : {}),
    });
    return {};
  },
});

export const stopDeliveryStreamEncryption = defineFirehoseOperation({
  name: 'StopDeliveryStreamEncryption',
  validation: stopDeliveryStreamEncryptionTable,
  async execute(backend, input: StopDeliveryStreamEncryptionInput): Promise<Record<string, never>> {
    await backend.stopEncryption(input.DeliveryStreamName);
    return {};
  },
});
