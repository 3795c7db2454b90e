/**
 * Firehose end to end (issue 5): DirectPut of 1 KiB JSON records through the unmodified
 * `@aws-sdk/client-firehose` (PutRecordBatch of 500, 4 in flight) to the directory
 * destination with GZIP, timed from the first put until every record is in a delivered
 * object (objects read back and counted). Buffering hints 5 MiB / 0 s: under load the size
 * hint cuts the objects (~5 MiB each); the 0 s interval only keeps the last partial buffer
 * from adding a whole interval to a 2-second run. Then the same through a pass-through transform
 * plugin (a Lambda-style handler, run by the plugin host in its own processes).
 */
import { CreateDeliveryStreamCommand, DeleteDeliveryStreamCommand, DescribeDeliveryStreamCommand, FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

export interface FirehoseRate {
  rate: number;
  records: number;
}

const PASS_THROUGH = `exports.handler = async (event) => ({
  records: event.records.map((r) => ({ recordId: r.recordId, result: 'Ok', data: r.data })),
});
`;

export async function measureFirehose(endpoint: string, dataDir: string, name: string, records: number, size: number, plugin?: string): Promise<FirehoseRate> {
  const firehose = new FirehoseClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } });
  const bucket = `bench-${name.toLowerCase().replace(/[^a-z0-9-]/g, '-')}`;
  try {
    if (plugin) await uploadPlugin(endpoint, plugin);
    await firehose.send(
      new CreateDeliveryStreamCommand({
        DeliveryStreamName: name,
        DeliveryStreamType: 'DirectPut',
        ExtendedS3DestinationConfiguration: {
          RoleARN: 'arn:aws:iam::000000000000:role/firehose',
          BucketARN: `arn:aws:s3:::${bucket}`,
          CompressionFormat: 'GZIP',
          BufferingHints: { SizeInMBs: 5, IntervalInSeconds: 0 },
          ...(plugin
            ? {
                ProcessingConfiguration: {
                  Enabled: true,
                  Processors: [{ Type: 'Lambda', Parameters: [{ ParameterName: 'LambdaArn', ParameterValue: `arn:aws:lambda:us-east-1:000000000000:function:${plugin}` }] }],
                },
              }
            : {}),
        },
      }),
    );
    while ((await firehose.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: name }))).DeliveryStreamDescription?.DeliveryStreamStatus !== 'ACTIVE') {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const line = JSON.stringify({ id: 0, pad: 'x'.repeat(size - 40) });
    const data = Buffer.from(`${line.slice(0, size - 1)}\n`);
    const batches = Math.ceil(records / 500);
    let next = 0;
    const start = performance.now();
    const worker = async () => {
      while (next < batches) {
        next++;
        const Records = Array.from({ length: 500 }, () => ({ Data: data }));
        const out = await firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: name, Records }));
        if (out.FailedPutCount) throw new Error(`${out.FailedPutCount} records failed`);
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    const sent = batches * 500;
    const dir = join(dataDir, 'buckets', bucket);
    while ((await countDelivered(dir)) < sent) await new Promise((resolve) => setTimeout(resolve, 50));
    return { rate: sent / ((performance.now() - start) / 1000), records: sent };
  } finally {
    await firehose.send(new DeleteDeliveryStreamCommand({ DeliveryStreamName: name })).catch(() => undefined);
    firehose.destroy();
  }
}

const counted = new Map<string, number>();

/** Lines in the delivered objects (each object is read once). */
async function countDelivered(dir: string): Promise<number> {
  const files = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  let total = 0;
  for (const file of files) {
    if (!file.isFile() || !file.name.endsWith('.gz')) continue;
    const path = join(file.parentPath, file.name);
    let lines = counted.get(path);
    if (lines === undefined) {
      const text = gunzipSync(await readFile(path));
      lines = 0;
      for (let i = text.indexOf(10); i !== -1; i = text.indexOf(10, i + 1)) lines++;
      counted.set(path, lines);
    }
    total += lines;
  }
  return total;
}

async function uploadPlugin(endpoint: string, name: string): Promise<void> {
  const response = await fetch(`${endpoint}/v1/plugins/${name}/versions`, {
    method: 'POST',
    headers: { 'content-type': 'application/javascript' },
    body: PASS_THROUGH,
  });
  if (!response.ok) throw new Error(`plugin upload: ${response.status} ${await response.text()}`);
}
