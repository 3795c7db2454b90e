/**
 * The hook where the other stages' configuration checks plug into CreateDeliveryStream and
 * UpdateDestination: `validateProcessing` (libs/firehose/src/processing) and
 * `validatePrefixes` (libs/firehose/src/partitioning). Each throws ShardlineError
 * InvalidArgumentException in AWS's words. Until they are wired here, only the tables and
 * the destination rules of libs/protocol apply.
 */
import type { DestinationChecks, ProcessingConfiguration } from '@shardline/protocol';

export interface DestinationValidators {
  validateProcessing?(config: ProcessingConfiguration): void;
  validatePrefixes?(input: { prefix?: string; errorOutputPrefix?: string; dynamicPartitioning: boolean }): void;
}

/** The validators the platform uses: plug `validateProcessing` / `validatePrefixes` in here. */
export const DESTINATION_VALIDATORS: DestinationValidators = {};

/** The protocol's checks hook, from the validators and (for Parquet schemas) the delivery stream's tags. */
export function destinationChecks(validators: DestinationValidators, schemaColumns: DestinationChecks['schemaColumns']): DestinationChecks {
  return {
    ...(validators.validateProcessing ? { processing: (config) => validators.validateProcessing!(config) } : {}),
    ...(validators.validatePrefixes ? { prefixes: (input) => validators.validatePrefixes!(input) } : {}),
    ...(schemaColumns ? { schemaColumns } : {}),
  };
}
