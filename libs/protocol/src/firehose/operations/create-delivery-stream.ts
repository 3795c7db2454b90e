/**
 * CreateDeliveryStream
 *   request:  { DeliveryStreamName, DeliveryStreamType? (DirectPut), KinesisStreamSourceConfiguration?,
 *               DeliveryStreamEncryptionConfigurationInput?, <one of> S3 | ExtendedS3 | HttpEndpoint | Redshift
 *               DestinationConfiguration, Tags? }
 *   response: { DeliveryStreamARN }  (the delivery stream starts CREATING)
 * KinesisStreamAsSource needs KinesisStreamSourceConfiguration (the stream must exist, checked
 * by the backend) and takes no server-side encryption; DirectPut takes no source.
 */
import { invalidArgument } from '../../errors';
import { createDeliveryStreamTable, type CreateDeliveryStreamInput } from '../validation/create-delivery-stream';
import { pickDestination } from '../validation/destination';
import { checkEncryptionInput } from './encryption';
import { defineFirehoseOperation } from './operation';
import { tagsFromWire } from './tags';

export const createDeliveryStream = defineFirehoseOperation({
  name: 'CreateDeliveryStream',
  validation: createDeliveryStreamTable,
  async execute(backend, input: CreateDeliveryStreamInput): Promise<{ DeliveryStreamARN: string }> {
    const type = input.DeliveryStreamType ?? 'DirectPut';
    if (type !== 'DirectPut' && type !== 'KinesisStreamAsSource') {
      throw invalidArgument(`DeliveryStreamType ${type} is not supported by Shardline.`);
    }
    const source = input.KinesisStreamSourceConfiguration;
    if (type === 'KinesisStreamAsSource' && !source) {
      throw invalidArgument('KinesisStreamSourceConfiguration is required when DeliveryStreamType is KinesisStreamAsSource.');
    }
    if (type === 'DirectPut' && source) {
      throw invalidArgument('KinesisStreamSourceConfiguration is only valid when DeliveryStreamType is KinesisStreamAsSource.');
    }
    const encryption = input.DeliveryStreamEncryptionConfigurationInput;
    if (encryption && type === 'KinesisStreamAsSource') {
      throw invalidArgument('Server-side encryption is not supported for delivery streams whose source is a Kinesis data stream.');
    }
    if (encryption) checkEncryptionInput(encryption);
    const destination = pickDestination(
      {
        S3: input.S3DestinationConfiguration,
        ExtendedS3: input.ExtendedS3DestinationConfiguration,
        HttpEndpoint: input.HttpEndpointDestinationConfiguration,
        Redshift: input.RedshiftDestinationConfiguration,
      },
      'create',
    );
    const stream = await backend.create({
      name: input.DeliveryStreamName,
      type,
      destination,
      ...(source ? { source: { kinesisStreamArn: source.KinesisStreamARN, roleArn: source.RoleARN } } : {}),
      ...(encryption ? { encryption: { keyType: encryption.KeyType, ...(encryption.KeyARN ? { keyArn: encryption.KeyARN } : {}) } } : {}),
      ...(input.Tags ? { tags: tagsFromWire(input.Tags) } : {}),
    });
    return { DeliveryStreamARN: stream.arn };
  },
});
