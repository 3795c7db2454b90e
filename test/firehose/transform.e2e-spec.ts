/**
 * Transform plugins in the delivery pipeline: an unmodified Lambda-style handler published
 * through REST drops, fails and rewrites records; a plugin that loops forever or exhausts its
 * memory fails its batch, which lands in processing-failed while the service keeps delivering.
 */
import { CreateDeliveryStreamCommand, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { eventually } from '../support/firehose';
import { randomName } from '../support/random-name';
import { ROLE_ARN, useFirehoseTestbed, waitStatus } from './support';

const REWRITER = `
exports.handler = async (event, context) => ({
  records: event.records.map((record) => {
    const text = Buffer.from(record.data, 'base64').toString();
    if (text.startsWith('drop')) return { recordId: record.recordId, result: 'Dropped', data: record.data };
    if (text.startsWith('fail')) return { recordId: record.recordId, result: 'ProcessingFailed', data: record.data };
    const out = text.toUpperCase() + ' by ' + context.functionName + '\\n';
    return { recordId: record.recordId, result: 'Ok', data: Buffer.from(out).toString('base64') };
  }),
});
`;
const LOOPER = 'exports.handler = async () => { for (;;) {} };';
const HOG = 'exports.handler = async () => { const keep = []; for (;;) keep.push(new Array(1e6).fill(Math.random())); };';

describe('Firehose with transform plugins', () => {
  const bed = useFirehoseTestbed();

  async function publish(name: string, code: string, query = ''): Promise<string> {
    const response = await fetch(`${bed.sl.endpoint}/v1/plugins/${name}/versions${query}`, {
      method: 'POST',
      headers: { 'content-type': 'application/javascript' },
      body: code,
    });
    expect(response.status).toBe(201);
    return ((await response.json()) as { functionArn: string }).functionArn;
  }

  async function deliveryStream(functionArn: string, retries = '0'): Promise<{ name: string; bucket: string }> {
    const name = randomName('fh-lambda');
    const bucket = randomName('lambda').toLowerCase();
    await bed.firehose.send(
      new CreateDeliveryStreamCommand({
        DeliveryStreamName: name,
        ExtendedS3DestinationConfiguration: {
          RoleARN: ROLE_ARN,
          BucketARN: `arn:aws:s3:::${bucket}`,
          BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 0 },
          ProcessingConfiguration: {
            Enabled: true,
            Processors: [
              {
                Type: 'Lambda',
                Parameters: [
                  { ParameterName: 'LambdaArn', ParameterValue: functionArn },
                  { ParameterName: 'NumberOfRetries', ParameterValue: retries },
                ],
              },
            ],
          },
        },
      }),
    );
    await waitStatus(bed.firehose, name);
    return { name, bucket };
  }

  const put = (name: string, texts: string[]) =>
    bed.firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: name, Records: texts.map((t) => ({ Data: Buffer.from(t) })) }));

  async function contents(bucket: string, prefix = ''): Promise<string[]> {
    const keys = (await bed.fh.runtime.objects.list(bucket).catch(() => [])).filter((k) => k.startsWith(prefix));
    return Promise.all(keys.map(async (k) => (await bed.fh.runtime.objects.get(bucket, k)).toString()));
  }

  it('drops, fails and rewrites records with an unmodified Lambda handler', async () => {
    const arn = await publish(randomName('rewriter'), REWRITER);
    const { name, bucket } = await deliveryStream(arn);
    await put(name, ['hello', 'drop me', 'fail me', 'world']);
    const failed = await eventually(async () => (await contents(bucket, 'processing-failed/'))[0]);
    const delivered = await eventually(async () => (await contents(bucket)).find((c) => c.includes('HELLO')));
    expect(delivered).toMatch(/^HELLO by [\w-]+\nWORLD by [\w-]+\n$/);
    const doc = JSON.parse(failed.trim());
    expect(doc).toMatchObject({ errorCode: expect.any(String), rawData: Buffer.from('fail me').toString('base64'), lambdaArn: arn });
    expect((await contents(bucket)).join('')).not.toContain('drop me');
  });

  it.each([
    ['loops forever', LOOPER, '?timeoutSeconds=1'],
    ['exhausts its memory', HOG, '?memoryMiB=64&timeoutSeconds=30'],
  ])('sends the batch of a plugin that %s to processing-failed, and keeps delivering', async (_what, code, query) => {
    const arn = await publish(randomName('bad'), code, query);
    const bad = await deliveryStream(arn);
    const good = await deliveryStream(await publish(randomName('ok'), REWRITER));
    await put(bad.name, ['a', 'b']);
    await put(good.name, ['still']);
    expect(await eventually(async () => (await contents(good.bucket)).find((c) => c.includes('STILL')))).toBeDefined();
    const failed = await eventually(async () => (await contents(bad.bucket, 'processing-failed/'))[0], 40_000);
    const docs = failed.trim().split('\n').map((line) => JSON.parse(line));
    expect(docs.map((d) => Buffer.from(d.rawData, 'base64').toString())).toEqual(['a', 'b']);
    expect(docs[0].errorMessage).toEqual(expect.any(String));
  });
});
