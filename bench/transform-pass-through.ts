/**
 * One quick measurement (not a suite): records/s of 1 KiB JSON records through a pass-through
 * transform plugin via invokeTransform (the pipeline's call): the event built with base64 data,
 * IPC to the warm plugin process, the handler, the answer decoded and matched, FirehoseRecords out.
 *   DATABASE_URL=... node -r @swc-node/register bench/transform-pass-through.ts [batches] [records-per-batch] [pool-size]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PluginCatalog, PluginRegistry, TransformHost, invokeTransform, type FirehoseRecord } from '@shardline/firehose';
import { DEFAULT_DATABASE_URL, openMetadata } from '@shardline/metadata';

const PASS = "exports.handler = async (e) => ({ records: e.records.map((r) => ({ recordId: r.recordId, result: 'Ok', data: r.data })) });\n";

async function main(): Promise<void> {
  const [batches = 100, perBatch = 3000, size = 2] = process.argv.slice(2).map(Number);
  const dataSource = await openMetadata(process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL);
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-plugins-'));
  const name = `bench-pass-${Date.now()}`;
  await new PluginCatalog(dataSource).publish({ name, code: Buffer.from(PASS), memoryMiB: 512 });
  const host = new TransformHost({ registry: new PluginRegistry(dataSource, { dataDir }), poolSize: size });
  const body = Buffer.from(JSON.stringify({ id: 0, user: 'u'.repeat(40), payload: 'x'.repeat(1024) }).slice(0, 1024));
  const inputs = Array.from({ length: batches }, (_, b) =>
    Array.from({ length: perBatch }, (_, i): FirehoseRecord => ({ recordId: `${b}-${i}`, data: body, approximateArrivalTimestamp: Date.now(), position: { seq: b, index: i } })),
  );
  const ctx = { deliveryStreamArn: 'arn:aws:firehose:us-east-1:000000000000:deliverystream/bench', region: 'us-east-1', timeoutMs: 60_000 };
  await invokeTransform(host, name, inputs[0]!.slice(0, 1), ctx); // warm: resolve, unpack, start
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  let ok = 0;
  let next = 0;
  const worker = async () => {
    while (next < inputs.length) {
      const result = await invokeTransform(host, name, inputs[next++]!, ctx);
      ok += result.ok.length; // after the await: `ok += await ...` would read ok before it
    }
  };
  await Promise.all(Array.from({ length: size }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const used = process.cpuUsage(cpu);
  console.log(
    `${ok} records of ${body.length} B, ${perBatch}/batch, ${size} plugin process(es): ${seconds.toFixed(2)} s, ` +
      `${Math.round(ok / seconds)} records/s; service CPU ${((used.user + used.system) / ok).toFixed(2)} µs/record`,
  );
  await host.stop();
  await new PluginCatalog(dataSource).delete(name);
  await dataSource.destroy();
  rmSync(dataDir, { recursive: true, force: true });
}

void main();
