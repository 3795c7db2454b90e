/**
 * Where the pipeline stages' configuration checks plug into CreateDeliveryStream and
 * UpdateDestination: the processors (libs/firehose/src/processing: parameters, jq queries
 * compiled, asynchronous, so the service runs it before the protocol's synchronous rules)
 * and the prefixes (libs/firehose/src/partitioning). Each throws ShardlineError
 * InvalidArgumentException in AWS's words.
 */
import type { DestinationChecks, ProcessingConfiguration } from '@shardline/protocol';
import { validateProcessing } from '../processing/validate-processing';
import { validatePrefixes } from '../partitioning/prefixes';

export interface DestinationValidators {
  validateProcessing?(config: ProcessingConfiguration, dynamicPartitioning: boolean): Promise<void>;
  validatePrefixes?(input: { prefix?: string; errorOutputPrefix?: string; dynamicPartitioning: boolean }): void;
}

/** The validators the platform uses. */
export const DESTINATION_VALIDATORS: DestinationValidators = {
  validateProcessing: (config, dynamicPartitioning) => validateProcessing(config, { dynamicPartitioningEnabled: dynamicPartitioning }),
  validatePrefixes: ({ prefix, errorOutputPrefix, dynamicPartitioning }) => validatePrefixes(prefix, errorOutputPrefix, dynamicPartitioning),
};

/** The protocol's checks hook, from the validators and (for Parquet schemas) the delivery stream's tags. */
export function destinationChecks(validators: DestinationValidators, schemaColumns: DestinationChecks['schemaColumns']): DestinationChecks {
  return {
    ...(validators.validatePrefixes ? { prefixes: (input) => validators.validatePrefixes!(input) } : {}),
    ...(schemaColumns ? { schemaColumns } : {}),
  };
}
