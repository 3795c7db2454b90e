/**
 * DataFormatConversionConfiguration: JSON in, Parquet out. There is no Glue catalog, so the
 * table's columns come from a Shardline extension member, `SchemaConfiguration.Columns:
 * [{Name, Type}]` (Hive types), or, for clients that drop unknown members (the AWS SDKs),
 * from the delivery stream's `shardline:schema` tag (see docs/firehose-api.md).
 */
import { invalidArgument } from '../../errors';
import type { FieldSpec } from '../../validation/table';
import type { DataFormatConversionConfiguration, SchemaColumn } from '../destinations';
import type { DestinationChecks } from './destination-checks';
import { roleARN } from './shapes';

const anyStructure: FieldSpec = { type: 'Structure' };

export const dataFormatConversionConfiguration: FieldSpec = {
  type: 'Structure',
  fields: {
    Enabled: { type: 'Boolean' },
    SchemaConfiguration: {
      type: 'Structure',
      fields: {
        RoleARN: roleARN,
        CatalogId: { type: 'String', minLength: 1, maxLength: 1024 },
        DatabaseName: { type: 'String', minLength: 1, maxLength: 1024 },
        TableName: { type: 'String', minLength: 1, maxLength: 1024 },
        Region: { type: 'String', minLength: 1, maxLength: 1024 },
        VersionId: { type: 'String', minLength: 1, maxLength: 1024 },
        Columns: {
          type: 'List',
          minLength: 1,
          member: {
            type: 'Structure',
            display: 'shardline.SchemaColumn',
            fields: {
              Name: { type: 'String', notNull: true, minLength: 1, maxLength: 255 },
              Type: { type: 'String', notNull: true, minLength: 1, maxLength: 4096 },
            },
          },
        },
      },
    },
    InputFormatConfiguration: {
      type: 'Structure',
      fields: { Deserializer: { type: 'Structure', fields: { OpenXJsonSerDe: anyStructure, HiveJsonSerDe: anyStructure } } },
    },
    OutputFormatConfiguration: {
      type: 'Structure',
      fields: {
        Serializer: {
          type: 'Structure',
          fields: {
            ParquetSerDe: {
              type: 'Structure',
              fields: {
                BlockSizeBytes: { type: 'Integer', min: 67108864 },
                PageSizeBytes: { type: 'Integer', min: 65536 },
                Compression: { type: 'String', enum: ['UNCOMPRESSED', 'GZIP', 'SNAPPY'] },
                EnableDictionaryCompression: { type: 'Boolean' },
                MaxPaddingBytes: { type: 'Integer', min: 0 },
                WriterVersion: { type: 'String', enum: ['V1', 'V2'] },
              },
            },
            OrcSerDe: anyStructure,
          },
        },
      },
    },
  },
};

/** The Hive type names a column may start with (primitive or complex). */
const HIVE_TYPE = /^(boolean|tinyint|smallint|int|integer|bigint|float|double|string|binary|date|timestamp|decimal|char|varchar|array|map|struct)\b/i;

/** Parses the `shardline:schema` tag value: `name=type` pairs separated by spaces (tag values allow no commas). */
export function parseSchemaTag(value: string): SchemaColumn[] {
  return value
    .split(/\s+/)
    .filter((pair) => pair !== '')
    .map((pair) => {
      const at = pair.indexOf('=');
      if (at <= 0 || at === pair.length - 1) throw invalidArgument(`shardline:schema: '${pair}' is not name=type.`);
      return { Name: pair.slice(0, at), Type: pair.slice(at + 1) };
    });
}

export function normalizeFormatConversion(
  config: DataFormatConversionConfiguration,
  checks: DestinationChecks,
): DataFormatConversionConfiguration {
  if (config.Enabled === false) return config;
  const serializer = config.OutputFormatConfiguration?.Serializer;
  if (serializer?.OrcSerDe) throw invalidArgument('Shardline converts records to Parquet only: OrcSerDe is not supported.');
  const deserializer = config.InputFormatConfiguration?.Deserializer;
  if (deserializer?.OpenXJsonSerDe && deserializer.HiveJsonSerDe) {
    throw invalidArgument('Deserializer takes exactly one of OpenXJsonSerDe and HiveJsonSerDe.');
  }
  const columns = config.SchemaConfiguration?.Columns ?? checks.schemaColumns?.();
  if (!columns || columns.length === 0) {
    throw invalidArgument(
      'DataFormatConversionConfiguration needs a schema: give SchemaConfiguration.Columns or tag the delivery stream with shardline:schema.',
    );
  }
  for (const column of columns) {
    if (!HIVE_TYPE.test(column.Type)) throw invalidArgument(`Column ${column.Name} has an unknown Hive type: ${column.Type}.`);
  }
  return {
    ...config,
    Enabled: true,
    SchemaConfiguration: { ...config.SchemaConfiguration, Columns: columns },
    OutputFormatConfiguration: { Serializer: { ParquetSerDe: { Compression: 'SNAPPY', ...serializer?.ParquetSerDe } } },
  };
}
