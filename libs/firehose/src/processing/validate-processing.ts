/**
 * Validates a ProcessingConfiguration the way CreateDeliveryStream does and turns it into
 * typed processor settings. Every refusal is an InvalidArgumentException (Shardline's wording;
 * AWS does not publish its texts). Rules (API reference ProcessorParameter, developer guide
 * "Dynamic partitioning", "Decompression of CloudWatch Logs", "Message extraction"):
 * - each Type at most once; only the parameters that Type takes; values 1..5120 chars;
 * - Lambda: LambdaArn required; NumberOfRetries 0..300 (3); BufferSizeInMBs 0.2..3 (1);
 *   BufferIntervalInSeconds 60..900 (60); RoleArn optional;
 * - MetadataExtraction: MetadataExtractionQuery (a jq program) and JsonParsingEngine JQ-1.6;
 *   only with dynamic partitioning;
 * - RecordDeAggregation: SubRecordType JSON | DELIMITED | KPL; DELIMITED needs a base64 Delimiter;
 * - Decompression: CompressionFormat GZIP; CloudWatchLogProcessing needs it and
 *   DataMessageExtraction true | false;
 * - AppendDelimiterToRecord: optional base64 Delimiter (default a newline);
 * - dynamic partitioning needs MetadataExtraction or Lambda.
 */
import { invalidArgument } from '@shardline/protocol';
import type { LambdaProcessor, ProcessingConfiguration, Processor, ProcessorParameterName, ProcessorType } from './processing-configuration';
import { compileJq } from './jq-runner';

/** A processor's settings once validated. */
export type ProcessorSpec =
  | { type: 'Lambda'; lambda: LambdaProcessor }
  | { type: 'MetadataExtraction'; query: string }
  | { type: 'RecordDeAggregation'; subRecordType: 'JSON' | 'DELIMITED' | 'KPL'; delimiter?: Buffer }
  | { type: 'Decompression'; compressionFormat: 'GZIP' }
  | { type: 'CloudWatchLogProcessing'; dataMessageExtraction: boolean }
  | { type: 'AppendDelimiterToRecord'; delimiter: Buffer };

/** What validation needs to know beyond the configuration itself. */
export interface ProcessingValidationOptions {
  dynamicPartitioningEnabled?: boolean;
}

const ALLOWED: Record<ProcessorType, readonly ProcessorParameterName[]> = {
  Lambda: ['LambdaArn', 'NumberOfRetries', 'RoleArn', 'BufferSizeInMBs', 'BufferIntervalInSeconds'],
  MetadataExtraction: ['MetadataExtractionQuery', 'JsonParsingEngine'],
  RecordDeAggregation: ['SubRecordType', 'Delimiter'],
  Decompression: ['CompressionFormat'],
  CloudWatchLogProcessing: ['DataMessageExtraction'],
  AppendDelimiterToRecord: ['Delimiter'],
};

/** Throws InvalidArgumentException when the configuration would be refused. */
export async function validateProcessing(config: ProcessingConfiguration | undefined, options: ProcessingValidationOptions = {}): Promise<void> {
  await processorSpecs(config, options);
}

/** The validated processors of an enabled configuration (none when disabled or absent). */
export async function processorSpecs(config: ProcessingConfiguration | undefined, options: ProcessingValidationOptions = {}): Promise<ProcessorSpec[]> {
  const specs = await enabledSpecs(config, options);
  // "When you enable dynamic partitioning, you must configure at least one of these methods"
  // (inline parsing or a Lambda function; developer guide, "Partitioning keys").
  if (options.dynamicPartitioningEnabled === true && !specs.some((s) => s.type === 'MetadataExtraction' || s.type === 'Lambda')) {
    throw invalidArgument('Dynamic partitioning requires a MetadataExtraction or a Lambda processor in an enabled ProcessingConfiguration.');
  }
  return specs;
}

async function enabledSpecs(config: ProcessingConfiguration | undefined, options: ProcessingValidationOptions): Promise<ProcessorSpec[]> {
  if (!config || config.Enabled === false) return [];
  const processors = config.Processors ?? [];
  if (config.Enabled === true && processors.length === 0) {
    throw invalidArgument('ProcessingConfiguration is enabled but has no Processors.');
  }
  const seen = new Set<string>();
  const specs: ProcessorSpec[] = [];
  for (const processor of processors) {
    if (seen.has(processor.Type)) throw invalidArgument(`Processor type ${processor.Type} appears more than once.`);
    seen.add(processor.Type);
    specs.push(await spec(processor, options));
  }
  if (seen.has('CloudWatchLogProcessing') && !seen.has('Decompression')) {
    throw invalidArgument('CloudWatchLogProcessing requires the Decompression processor.');
  }
  return specs;
}

async function spec(processor: Processor, options: ProcessingValidationOptions): Promise<ProcessorSpec> {
  if (!(processor.Type in ALLOWED)) {
    throw invalidArgument(`Processor type ${processor.Type} is not valid; valid types are ${Object.keys(ALLOWED).join(', ')}.`);
  }
  const type = processor.Type as ProcessorType;
  const params = parameters(type, processor);
  switch (type) {
    case 'Lambda':
      return { type, lambda: lambda(params) };
    case 'MetadataExtraction':
      return { type, query: await metadataQuery(params, options) };
    case 'RecordDeAggregation':
      return deaggregation(params);
    case 'Decompression': {
      const format = params.get('CompressionFormat') ?? 'GZIP';
      if (format !== 'GZIP') throw invalidArgument(`CompressionFormat ${format} is not supported by Decompression; the only valid value is GZIP.`);
      return { type, compressionFormat: 'GZIP' };
    }
    case 'CloudWatchLogProcessing':
      return { type, dataMessageExtraction: bool(params, 'DataMessageExtraction') };
    case 'AppendDelimiterToRecord':
      return { type, delimiter: params.has('Delimiter') ? base64(params.get('Delimiter')!, 'Delimiter') : Buffer.from('\n') };
  }
}

function parameters(type: ProcessorType, processor: Processor): Map<ProcessorParameterName, string> {
  const params = new Map<ProcessorParameterName, string>();
  for (const { ParameterName, ParameterValue } of processor.Parameters ?? []) {
    const name = ParameterName as ProcessorParameterName;
    if (!ALLOWED[type].includes(name)) {
      throw invalidArgument(`Parameter ${ParameterName} is not valid for processor type ${type}; valid parameters are ${ALLOWED[type].join(', ')}.`);
    }
    if (typeof ParameterValue !== 'string' || ParameterValue.length < 1 || ParameterValue.length > 5120) {
      throw invalidArgument(`Value of parameter ${ParameterName} must be between 1 and 5120 characters.`);
    }
    if (params.has(name)) throw invalidArgument(`Parameter ${ParameterName} appears more than once in processor ${type}.`);
    params.set(name, ParameterValue);
  }
  return params;
}

function lambda(params: Map<ProcessorParameterName, string>): LambdaProcessor {
  const functionArn = params.get('LambdaArn');
  if (!functionArn) throw invalidArgument('Processor type Lambda requires the LambdaArn parameter.');
  return {
    functionArn,
    numberOfRetries: number(params, 'NumberOfRetries', 3, 0, 300, true),
    bufferSizeInMBs: number(params, 'BufferSizeInMBs', 1, 0.2, 3, false),
    bufferIntervalInSeconds: number(params, 'BufferIntervalInSeconds', 60, 60, 900, true),
    ...(params.has('RoleArn') ? { roleArn: params.get('RoleArn') } : {}),
  };
}

async function metadataQuery(params: Map<ProcessorParameterName, string>, options: ProcessingValidationOptions): Promise<string> {
  if (options.dynamicPartitioningEnabled === false) {
    throw invalidArgument('MetadataExtraction processor can be used only when dynamic partitioning is enabled.');
  }
  const query = params.get('MetadataExtractionQuery');
  if (!query) throw invalidArgument('Processor type MetadataExtraction requires the MetadataExtractionQuery parameter.');
  const engine = params.get('JsonParsingEngine');
  if (engine !== 'JQ-1.6') throw invalidArgument('Processor type MetadataExtraction requires JsonParsingEngine JQ-1.6.');
  try {
    await compileJq(query);
  } catch (err) {
    throw invalidArgument(`MetadataExtractionQuery is not a valid jq expression: ${(err as Error).message}`);
  }
  return query;
}

function deaggregation(params: Map<ProcessorParameterName, string>): ProcessorSpec {
  const subRecordType = params.get('SubRecordType');
  if (subRecordType !== 'JSON' && subRecordType !== 'DELIMITED' && subRecordType !== 'KPL') {
    throw invalidArgument('Processor type RecordDeAggregation requires SubRecordType JSON, DELIMITED or KPL.');
  }
  if (subRecordType !== 'DELIMITED') {
    if (params.has('Delimiter')) throw invalidArgument('Delimiter is valid only with SubRecordType DELIMITED.');
    return { type: 'RecordDeAggregation', subRecordType };
  }
  const text = params.get('Delimiter');
  if (!text) throw invalidArgument('SubRecordType DELIMITED requires a base64-encoded Delimiter parameter.');
  return { type: 'RecordDeAggregation', subRecordType, delimiter: base64(text, 'Delimiter') };
}

function number(params: Map<ProcessorParameterName, string>, name: ProcessorParameterName, fallback: number, min: number, max: number, integer: boolean): number {
  const text = params.get(name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || (integer && !Number.isInteger(value)) || value < min || value > max) {
    throw invalidArgument(`Value ${text} of parameter ${name} must be ${integer ? 'an integer' : 'a number'} between ${min} and ${max}.`);
  }
  return value;
}

function bool(params: Map<ProcessorParameterName, string>, name: ProcessorParameterName): boolean {
  const text = params.get(name) ?? 'false';
  if (text !== 'true' && text !== 'false') throw invalidArgument(`Value ${text} of parameter ${name} must be true or false.`);
  return text === 'true';
}

// Firehose takes delimiters base64-encoded (developer guide: "####" is given as "IyMjIw==").
function base64(text: string, name: string): Buffer {
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text)) {
    throw invalidArgument(`Parameter ${name} must be base64-encoded.`);
  }
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length === 0) throw invalidArgument(`Parameter ${name} must not be empty.`);
  return bytes;
}
