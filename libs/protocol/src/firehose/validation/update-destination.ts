/**
 * UpdateDestination request members: every destination member optional (the update is
 * merged), and the S3 members named as AWS names them in updates (S3Update, S3BackupUpdate).
 */
import { defineTable, type FieldSpec } from '../../validation/table';
import type {
  ExtendedS3DestinationConfiguration,
  HttpEndpointDestinationConfiguration,
  RedshiftDestinationConfiguration,
  S3Configuration,
} from '../destinations';
import { extendedS3DestinationConfiguration } from './extended-s3-destination';
import { httpEndpointDestinationConfiguration } from './http-endpoint-destination';
import { redshiftDestinationConfiguration } from './redshift-destination';
import { s3DestinationConfiguration } from './s3-destination';
import { optional, requiredDeliveryStreamName } from './shapes';

export interface UpdateDestinationInput {
  DeliveryStreamName: string;
  CurrentDeliveryStreamVersionId: string;
  DestinationId: string;
  S3DestinationUpdate?: Partial<S3Configuration>;
  ExtendedS3DestinationUpdate?: Partial<ExtendedS3DestinationConfiguration>;
  HttpEndpointDestinationUpdate?: Partial<HttpEndpointDestinationConfiguration>;
  RedshiftDestinationUpdate?: Partial<RedshiftDestinationConfiguration>;
}

/** Configuration member -> its name in a *DestinationUpdate. */
export const UPDATE_MEMBER_NAMES: Readonly<Record<string, string>> = {
  S3Configuration: 'S3Update',
  S3BackupConfiguration: 'S3BackupUpdate',
};

/** A *DestinationConfiguration spec as its *DestinationUpdate: nothing required, S3 members renamed. */
function asUpdate(spec: FieldSpec): FieldSpec {
  const loose = optional(spec);
  const fields: Record<string, FieldSpec> = {};
  for (const [name, field] of Object.entries(loose.fields ?? {})) fields[UPDATE_MEMBER_NAMES[name] ?? name] = field;
  return { ...loose, fields };
}

/** Renames an update's S3Update / S3BackupUpdate back to the configuration's member names. */
export function configurationMembers(update: Record<string, unknown>): Record<string, unknown> {
  const renamed: Record<string, unknown> = {};
  const back = new Map(Object.entries(UPDATE_MEMBER_NAMES).map(([config, wire]) => [wire, config]));
  for (const [name, value] of Object.entries(update)) renamed[back.get(name) ?? name] = value;
  return renamed;
}

export const updateDestinationTable = defineTable<UpdateDestinationInput>({
  DeliveryStreamName: requiredDeliveryStreamName,
  CurrentDeliveryStreamVersionId: { type: 'String', notNull: true, minLength: 1, maxLength: 50, pattern: '[0-9]+' },
  DestinationId: { type: 'String', notNull: true, minLength: 1, maxLength: 100, pattern: '[a-zA-Z0-9-]+' },
  S3DestinationUpdate: asUpdate(s3DestinationConfiguration),
  ExtendedS3DestinationUpdate: asUpdate(extendedS3DestinationConfiguration),
  HttpEndpointDestinationUpdate: asUpdate(httpEndpointDestinationConfiguration),
  RedshiftDestinationUpdate: asUpdate(redshiftDestinationConfiguration),
});
