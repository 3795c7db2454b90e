/**
 * Compiles a ProcessingConfiguration into record stages in the order Firehose applies them:
 * Decompression -> CloudWatchLogProcessing -> RecordDeAggregation -> [Lambda] ->
 * MetadataExtraction -> AppendDelimiterToRecord. ("Data entering Firehose is processed in the
 * following order: de-aggregation -> data transformation via Lambda -> partitioning keys",
 * developer guide, "Dynamic partitioning of aggregated data"; CloudWatch Logs are decompressed
 * before message extraction and any transformation; the delimiter is added to what is
 * delivered.) The Lambda is not run here: the transform plugin host runs it between
 * `before` and `after`.
 */
import type { CompiledProcessing, ProcessingConfiguration, ProcessorType, RecordStage } from './processing-configuration';
import { processorSpecs, type ProcessingValidationOptions, type ProcessorSpec } from './validate-processing';
import { appendDelimiter } from './append-delimiter';
import { cloudWatchLogProcessing } from './cloudwatch-log-processing';
import { decompression } from './decompression';
import { metadataExtraction } from './metadata-extraction';
import { recordDeAggregation } from './record-deaggregation';

const BEFORE: readonly ProcessorType[] = ['Decompression', 'CloudWatchLogProcessing', 'RecordDeAggregation'];
const AFTER: readonly ProcessorType[] = ['MetadataExtraction', 'AppendDelimiterToRecord'];

/** Validates (throws InvalidArgumentException) and compiles a configuration. */
export async function compileProcessing(config: ProcessingConfiguration | undefined, options: ProcessingValidationOptions = {}): Promise<CompiledProcessing> {
  const specs = await processorSpecs(config, options);
  const byType = new Map(specs.map((s) => [s.type, s]));
  const stages = (types: readonly ProcessorType[]) => types.flatMap((t) => (byType.has(t) ? [stage(byType.get(t)!)] : []));
  const lambda = byType.get('Lambda');
  return {
    before: stages(BEFORE),
    ...(lambda?.type === 'Lambda' ? { lambda: lambda.lambda } : {}),
    after: stages(AFTER),
  };
}

/** Runs stages in order; failures accumulate, survivors flow on. */
export async function runStages(stages: readonly RecordStage[], records: Parameters<RecordStage>[0]): ReturnType<RecordStage> {
  let current = records;
  const failed: Awaited<ReturnType<RecordStage>>['failed'] = [];
  for (const run of stages) {
    const result = await run(current);
    current = result.records;
    failed.push(...result.failed);
  }
  return { records: current, failed };
}

function stage(spec: ProcessorSpec): RecordStage {
  switch (spec.type) {
    case 'Decompression':
      return decompression();
    case 'CloudWatchLogProcessing':
      return cloudWatchLogProcessing(spec.dataMessageExtraction);
    case 'RecordDeAggregation':
      return recordDeAggregation(spec.subRecordType, spec.delimiter);
    case 'MetadataExtraction':
      return metadataExtraction(spec.query);
    case 'AppendDelimiterToRecord':
      return appendDelimiter(spec.delimiter);
    case 'Lambda':
      throw new Error('the Lambda processor runs in the transform plugin host, not as a record stage');
  }
}
