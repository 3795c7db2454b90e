import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ShardlineError } from '@shardline/protocol';
import { compileProcessing } from './compile-processing';
import { validateProcessing } from './validate-processing';
import type { ProcessingConfiguration } from './processing-configuration';

const p = (Type: string, params: Record<string, string> = {}) => ({
  Type,
  Parameters: Object.entries(params).map(([ParameterName, ParameterValue]) => ({ ParameterName, ParameterValue })),
});

async function refusal(config: ProcessingConfiguration, options = {}): Promise<ShardlineError> {
  try {
    await validateProcessing(config, options);
  } catch (err) {
    return err as ShardlineError;
  }
  throw new Error('expected an InvalidArgumentException');
}

describe('validateProcessing', () => {
  it('accepts a disabled or absent configuration whatever it holds', async () => {
    await expect(validateProcessing(undefined)).resolves.toBeUndefined();
    await expect(validateProcessing({ Enabled: false, Processors: [p('Nope')] })).resolves.toBeUndefined();
  });

  it('refuses an unknown processor type with InvalidArgumentException', async () => {
    const err = await refusal({ Enabled: true, Processors: [p('Nope')] });
    expect(err.type).toBe('InvalidArgumentException');
    expect(err.message).toMatch(/Processor type Nope is not valid/);
  });

  it.each([
    ['a parameter another type takes', [p('AppendDelimiterToRecord', { LambdaArn: 'x' })], /Parameter LambdaArn is not valid for processor type AppendDelimiterToRecord/],
    ['Lambda without LambdaArn', [p('Lambda')], /requires the LambdaArn parameter/],
    ['NumberOfRetries out of range', [p('Lambda', { LambdaArn: 'arn:x', NumberOfRetries: '301' })], /NumberOfRetries must be an integer between 0 and 300/],
    ['BufferSizeInMBs out of range', [p('Lambda', { LambdaArn: 'arn:x', BufferSizeInMBs: '0.1' })], /BufferSizeInMBs must be a number between 0.2 and 3/],
    ['BufferIntervalInSeconds out of range', [p('Lambda', { LambdaArn: 'arn:x', BufferIntervalInSeconds: '30' })], /between 60 and 900/],
    ['a MetadataExtraction without engine', [p('MetadataExtraction', { MetadataExtractionQuery: '{a:.a}' })], /JsonParsingEngine JQ-1.6/],
    ['an invalid jq query', [p('MetadataExtraction', { MetadataExtractionQuery: '{a: .a', JsonParsingEngine: 'JQ-1.6' })], /not a valid jq expression/],
    ['an unknown SubRecordType', [p('RecordDeAggregation', { SubRecordType: 'XML' })], /SubRecordType JSON, DELIMITED or KPL/],
    ['DELIMITED without Delimiter', [p('RecordDeAggregation', { SubRecordType: 'DELIMITED' })], /base64-encoded Delimiter/],
    ['a Delimiter that is not base64', [p('AppendDelimiterToRecord', { Delimiter: '\n' })], /must be base64-encoded/],
    ['a Decompression format other than GZIP', [p('Decompression', { CompressionFormat: 'ZIP' })], /only valid value is GZIP/],
    ['CloudWatchLogProcessing without Decompression', [p('CloudWatchLogProcessing', { DataMessageExtraction: 'true' })], /requires the Decompression processor/],
    ['a DataMessageExtraction that is not a boolean', [p('Decompression'), p('CloudWatchLogProcessing', { DataMessageExtraction: 'yes' })], /must be true or false/],
    ['the same type twice', [p('AppendDelimiterToRecord'), p('AppendDelimiterToRecord')], /appears more than once/],
    ['an empty value', [p('Lambda', { LambdaArn: '' })], /between 1 and 5120 characters/],
  ])('refuses %s', async (_name, Processors, message) => {
    const err = await refusal({ Enabled: true, Processors });
    expect(err.type).toBe('InvalidArgumentException');
    expect(err.message).toMatch(message);
  });

  it('refuses MetadataExtraction when dynamic partitioning is off', async () => {
    const err = await refusal(
      { Enabled: true, Processors: [p('MetadataExtraction', { MetadataExtractionQuery: '{a:.a}', JsonParsingEngine: 'JQ-1.6' })] },
      { dynamicPartitioningEnabled: false },
    );
    expect(err.message).toMatch(/only when dynamic partitioning is enabled/);
  });

  it('requires a partitioning key source when dynamic partitioning is on', async () => {
    const err = await refusal({ Enabled: true, Processors: [p('AppendDelimiterToRecord')] }, { dynamicPartitioningEnabled: true });
    expect(err.message).toMatch(/requires a MetadataExtraction or a Lambda processor/);
    await expect(validateProcessing(undefined, { dynamicPartitioningEnabled: true })).rejects.toThrow(/requires a MetadataExtraction/);
    await expect(validateProcessing({ Enabled: true, Processors: [p('Lambda', { LambdaArn: 'arn:f' })] }, { dynamicPartitioningEnabled: true })).resolves.toBeUndefined();
  });

  it('compiles Lambda settings with AWS defaults', async () => {
    const compiled = await compileProcessing({ Enabled: true, Processors: [p('Lambda', { LambdaArn: 'arn:aws:lambda:us-east-1:1:function:f' })] });
    expect(compiled.lambda).toEqual({ functionArn: 'arn:aws:lambda:us-east-1:1:function:f', numberOfRetries: 3, bufferSizeInMBs: 1, bufferIntervalInSeconds: 60 });
    const custom = await compileProcessing({
      Enabled: true,
      Processors: [p('Lambda', { LambdaArn: 'arn:f', NumberOfRetries: '0', BufferSizeInMBs: '0.5', BufferIntervalInSeconds: '900', RoleArn: 'arn:role' })],
    });
    expect(custom.lambda).toEqual({ functionArn: 'arn:f', numberOfRetries: 0, bufferSizeInMBs: 0.5, bufferIntervalInSeconds: 900, roleArn: 'arn:role' });
  });
});

describe('jq in the host process', () => {
  // In its own Node process: jest sandboxes `process`, so the exit code must be seen from outside.
  it("leaves the process's exit code alone when a query does not compile (jq exits 3 inside its wasm)", () => {
    const script = `
      const { validateProcessing } = require(${JSON.stringify(require.resolve('./validate-processing'))});
      const config = { Enabled: true, Processors: [{ Type: 'MetadataExtraction', Parameters: [
        { ParameterName: 'MetadataExtractionQuery', ParameterValue: '{a: .b' }, { ParameterName: 'JsonParsingEngine', ParameterValue: 'JQ-1.6' }] }] };
      validateProcessing(config, { dynamicPartitioningEnabled: true }).then(() => process.exit(9), () => undefined);`;
    const run = spawnSync(process.execPath, ['-r', '@swc-node/register', '-e', script], { cwd: join(__dirname, '../../../..'), encoding: 'utf8' });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: expect.not.stringContaining('Error') });
  });
});
