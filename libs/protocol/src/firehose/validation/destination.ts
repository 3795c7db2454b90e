/**
 * The one destination of a delivery stream, from whichever *DestinationConfiguration member
 * the request used, with its rules applied (`normalizeDestination`).
 */
import { invalidArgument } from '../../errors';
import type { DeliveryDestination } from '../domain';
import type {
  ExtendedS3DestinationConfiguration,
  HttpEndpointDestinationConfiguration,
  RedshiftDestinationConfiguration,
  S3Configuration,
} from '../destinations';
import type { DestinationChecks } from './destination-checks';
import { normalizeExtendedS3 } from './extended-s3-destination';
import { normalizeHttpEndpoint } from './http-endpoint-destination';
import { normalizeRedshift } from './redshift-destination';

/** The destination members of CreateDeliveryStream (and, as *Update, of UpdateDestination). */
export interface DestinationMembers {
  S3: S3Configuration | undefined;
  ExtendedS3: ExtendedS3DestinationConfiguration | undefined;
  HttpEndpoint: HttpEndpointDestinationConfiguration | undefined;
  Redshift: RedshiftDestinationConfiguration | undefined;
}

/** Picks the one destination given; the legacy S3 shape becomes ExtendedS3. */
export function pickDestination(members: DestinationMembers, verb: 'create' | 'update'): DeliveryDestination {
  const given = (Object.keys(members) as Array<keyof DestinationMembers>).filter((key) => members[key] !== undefined);
  const suffix = verb === 'create' ? 'DestinationConfiguration' : 'DestinationUpdate';
  if (given.length === 0) throw invalidArgument(`Exactly one destination must be specified (one *${suffix}).`);
  if (given.length > 1) {
    throw invalidArgument(`Only one destination is supported per delivery stream; got ${given.map((g) => g + suffix).join(', ')}.`);
  }
  const kind = given[0];
  switch (kind) {
    case 'S3':
      return { kind: 'ExtendedS3', config: { ...members.S3!, ...(verb === 'create' ? { S3BackupMode: 'Disabled' as const } : {}) } as never };
    case 'ExtendedS3':
      return { kind, config: members.ExtendedS3! };
    case 'HttpEndpoint':
      return { kind, config: members.HttpEndpoint! };
    case 'Redshift':
      return { kind, config: members.Redshift! };
  }
}

/** Applies the destination kind's rules and defaults; throws InvalidArgumentException. */
export function normalizeDestination(destination: DeliveryDestination, checks: DestinationChecks): DeliveryDestination {
  switch (destination.kind) {
    case 'ExtendedS3':
      return { kind: destination.kind, config: normalizeExtendedS3(destination.config, checks) };
    case 'HttpEndpoint':
      return { kind: destination.kind, config: normalizeHttpEndpoint(destination.config, checks) };
    case 'Redshift':
      return { kind: destination.kind, config: normalizeRedshift(destination.config, checks) };
  }
}
