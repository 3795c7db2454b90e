/** CreateDeliveryStream request members (Firehose API reference). */
import type { FieldSpec } from '../../validation/table';
import { defineTable } from '../../validation/table';
import type {
  ExtendedS3DestinationConfiguration,
  HttpEndpointDestinationConfiguration,
  RedshiftDestinationConfiguration,
  S3Configuration,
} from '../destinations';
import type { DeliveryStreamType, EncryptionKeyType } from '../domain';
import { extendedS3DestinationConfiguration } from './extended-s3-destination';
import { httpEndpointDestinationConfiguration } from './http-endpoint-destination';
import { redshiftDestinationConfiguration } from './redshift-destination';
import { s3DestinationConfiguration } from './s3-destination';
import { KINESIS_STREAM_ARN_PATTERN, kmsKeyARN, requiredDeliveryStreamName, requiredRoleARN, tagList, type WireFirehoseTag } from './shapes';

export interface EncryptionConfigurationInput {
  KeyARN?: string;
  KeyType: EncryptionKeyType;
}

export interface CreateDeliveryStreamInput {
  DeliveryStreamName: string;
  DeliveryStreamType?: DeliveryStreamType;
  KinesisStreamSourceConfiguration?: { KinesisStreamARN: string; RoleARN: string };
  DeliveryStreamEncryptionConfigurationInput?: EncryptionConfigurationInput;
  S3DestinationConfiguration?: S3Configuration;
  ExtendedS3DestinationConfiguration?: ExtendedS3DestinationConfiguration;
  HttpEndpointDestinationConfiguration?: HttpEndpointDestinationConfiguration;
  RedshiftDestinationConfiguration?: RedshiftDestinationConfiguration;
  Tags?: WireFirehoseTag[];
}

/** Types AWS knows; Shardline serves DirectPut and KinesisStreamAsSource (the others are refused by the operation). */
export const DELIVERY_STREAM_TYPES = ['DirectPut', 'KinesisStreamAsSource', 'MSKAsSource', 'DatabaseAsSource'] as const;

export const encryptionConfigurationInput: FieldSpec = {
  type: 'Structure',
  fields: { KeyARN: kmsKeyARN, KeyType: { type: 'String', notNull: true, enum: ['AWS_OWNED_CMK', 'CUSTOMER_MANAGED_CMK'] } },
};

export const createDeliveryStreamTable = defineTable<CreateDeliveryStreamInput>({
  DeliveryStreamName: requiredDeliveryStreamName,
  DeliveryStreamType: { type: 'String', enum: DELIVERY_STREAM_TYPES },
  KinesisStreamSourceConfiguration: {
    type: 'Structure',
    fields: {
      KinesisStreamARN: { type: 'String', notNull: true, minLength: 1, maxLength: 512, pattern: KINESIS_STREAM_ARN_PATTERN },
      RoleARN: requiredRoleARN,
    },
  },
  DeliveryStreamEncryptionConfigurationInput: encryptionConfigurationInput,
  S3DestinationConfiguration: s3DestinationConfiguration,
  ExtendedS3DestinationConfiguration: extendedS3DestinationConfiguration,
  HttpEndpointDestinationConfiguration: httpEndpointDestinationConfiguration,
  RedshiftDestinationConfiguration: redshiftDestinationConfiguration,
  Tags: tagList,
});
