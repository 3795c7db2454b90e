/**
 * UpdateDestination
 *   request:  { DeliveryStreamName, CurrentDeliveryStreamVersionId, DestinationId,
 *               <one of> S3 | ExtendedS3 | HttpEndpoint | Redshift DestinationUpdate }
 *   response: {}
 * The version id must be the current one (ConcurrentModificationException otherwise) and
 * increments. An update of the same destination kind is merged into the stored
 * configuration (members not given are kept, as AWS does); another kind replaces it and
 * must then be complete. Either way the result is checked like CreateDeliveryStream's.
 */
import { invalidArgument } from '../../errors';
import { validate } from '../../validation/engine';
import { defineTable } from '../../validation/table';
import type { DeliveryDestination } from '../domain';
import { pickDestination } from '../validation/destination';
import { extendedS3DestinationConfiguration } from '../validation/extended-s3-destination';
import { httpEndpointDestinationConfiguration } from '../validation/http-endpoint-destination';
import { redshiftDestinationConfiguration } from '../validation/redshift-destination';
import { configurationMembers, updateDestinationTable, type UpdateDestinationInput } from '../validation/update-destination';
import { DESTINATION_ID } from './description';
import { defineFirehoseOperation } from './operation';

/** Tables that check a merged configuration is complete (required members present). */
const COMPLETE = {
  ExtendedS3: defineTable({ ExtendedS3DestinationConfiguration: { ...extendedS3DestinationConfiguration, notNull: true } }),
  HttpEndpoint: defineTable({ HttpEndpointDestinationConfiguration: { ...httpEndpointDestinationConfiguration, notNull: true } }),
  Redshift: defineTable({ RedshiftDestinationConfiguration: { ...redshiftDestinationConfiguration, notNull: true } }),
} as const;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);
}

/** Members of `update` replace those of `base`; nested structures merge, lists replace. */
export function mergeConfig(base: Record<string, unknown>, update: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(update)) {
    if (value === undefined) continue;
    const current = merged[key];
    merged[key] = isPlainObject(value) && isPlainObject(current) ? mergeConfig(current, value) : value;
  }
  return merged;
}

export const updateDestination = defineFirehoseOperation({
  name: 'UpdateDestination',
  validation: updateDestinationTable,
  async execute(backend, input: UpdateDestinationInput): Promise<Record<string, never>> {
    const update = pickDestination(
      {
        S3: input.S3DestinationUpdate as never,
        ExtendedS3: input.ExtendedS3DestinationUpdate as never,
        HttpEndpoint: input.HttpEndpointDestinationUpdate as never,
        Redshift: input.RedshiftDestinationUpdate as never,
      },
      'update',
    );
    const current = await backend.describe(input.DeliveryStreamName);
    if (input.DestinationId !== DESTINATION_ID) {
      throw invalidArgument(`Destination ${input.DestinationId} not found for delivery stream ${input.DeliveryStreamName}.`);
    }
    const base = current.destination.kind === update.kind ? (current.destination.config as unknown as Record<string, unknown>) : {};
    const merged = mergeConfig(base, configurationMembers(update.config as unknown as Record<string, unknown>));
    const member = `${update.kind}DestinationConfiguration`;
    validate(COMPLETE[update.kind], { [member]: merged });
    const destination = { kind: update.kind, config: merged } as unknown as DeliveryDestination;
    await backend.updateDestination(input.DeliveryStreamName, Number(input.CurrentDeliveryStreamVersionId), destination);
    return {};
  },
});
