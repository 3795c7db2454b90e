import { Command, Option } from 'commander';
import { readFile } from 'node:fs/promises';
import { ShardlineClient, type AnalyticsInput, type AnalyticsOutput, type ApplicationStartingPosition, type CreateApplicationInput } from '@shardline/client';
import type { GlobalOptions } from './main';
import { table } from './table';

interface CreateOptions {
  config?: string;
  sqlFile?: string;
  inputStream?: string;
  inputDeliveryStream?: string;
  format?: string;
  columns?: string;
  timeColumn?: string;
  output: string[];
  description?: string;
}

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Writes to stdout, waiting when a pipe is full. */
function write(text: string): Promise<void> | void {
  if (process.stdout.write(text)) return;
  return new Promise((resolve) => process.stdout.once('drain', () => resolve()));
}

/**
 * `name:TYPE:path,...` → input columns. Commas inside parentheses (DECIMAL(10,2)) do not split;
 * a numeric path is a CSV field index.
 */
export function parseColumns(spec: string): AnalyticsInput['columns'] {
  const items = spec.split(/,(?![^(]*\))/).map((s) => s.trim()).filter(Boolean);
  return items.map((item) => {
    const [name, type, ...rest] = item.split(':');
    if (!name || !type) throw new Error(`--columns: "${item}" is not name:TYPE[:path]`);
    const path = rest.join(':');
    return { name, type, ...(path ? { path: /^\d+$/.test(path) ? Number(path) : path } : {}) };
  });
}

/** `IN_APP_STREAM=stream:<name>` (a Shardline stream) or `IN_APP_STREAM=webhook:<url>` → an output. */
export function parseOutput(spec: string): AnalyticsOutput {
  const match = /^([^=]+)=(stream|deliveryStream|webhook):(.+)$/.exec(spec);
  if (!match) throw new Error(`--output: "${spec}" is not IN_APP_STREAM=stream:<name>, deliveryStream:<name> or webhook:<url>`);
  const [, inAppStream, kind, target] = match as unknown as [string, string, string, string];
  if (kind === 'stream') return { kind, inAppStream, streamName: target };
  if (kind === 'deliveryStream') return { kind, inAppStream, deliveryStreamName: target };
  return { kind, inAppStream, url: target };
}

/** The create body: a --config file (the REST body), else built from the flags (columns discovered when not given). */
async function createBody(client: ShardlineClient, name: string, o: CreateOptions): Promise<CreateApplicationInput> {
  if (o.config) {
    const body = JSON.parse(await readFile(o.config, 'utf8')) as CreateApplicationInput;
    if (o.sqlFile) body.sql = await readFile(o.sqlFile, 'utf8');
    return { ...body, name };
  }
  if (!o.sqlFile || !(o.inputStream ?? o.inputDeliveryStream)) throw new Error('give --config app.json, or --sql-file and --input-stream (or --input-delivery-stream)');
  if (o.inputStream && o.inputDeliveryStream) throw new Error('give one of --input-stream and --input-delivery-stream');
  const format = o.format ? (o.format.toUpperCase() as 'JSON' | 'CSV') : undefined;
  const source = o.inputDeliveryStream ? { deliveryStreamName: o.inputDeliveryStream } : { streamName: o.inputStream! };
  let input: AnalyticsInput;
  if (o.columns) {
    input = { ...source, format: format ?? 'JSON', columns: parseColumns(o.columns) };
  } else {
    const found = await client.analytics.discoverSchema({ ...source, ...(format ? { format } : {}) });
    input = { ...source, format: found.format, columns: found.columns };
  }
  if (o.timeColumn) input.time = { kind: 'eventColumn', column: o.timeColumn };
  return {
    name,
    ...(o.description ? { description: o.description } : {}),
    input,
    sql: await readFile(o.sqlFile, 'utf8'),
    outputs: o.output.map(parseOutput),
  };
}

/** `shardline analytics ...`: analytics applications over the REST API (docs/analytics.md). */
export function analyticsCommand(globals: () => GlobalOptions): Command {
  const client = () => new ShardlineClient({ endpoint: globals().endpoint });
  const collect = (value: string, previous: string[]) => [...previous, value];
  const analytics = new Command('analytics').description('analytics applications: continuous SQL over a stream');
  analytics
    .command('create <name>')
    .description('create an application (READY) from a REST body (--config) or from flags')
    .option('--config <file>', 'a JSON file with the REST create body (its name is replaced by <name>)')
    .option('--sql-file <file>', 'the SQL (CREATE STREAM / CREATE PUMP statements)')
    .option('--input-stream <stream>', 'the input stream (SOURCE_SQL_STREAM_001)')
    .option('--input-delivery-stream <name>', 'or a Firehose delivery stream as the input (DirectPut, or KinesisStreamAsSource)')
    .addOption(new Option('--format <format>', 'record format').choices(['json', 'csv', 'JSON', 'CSV']))
    .option('--columns <list>', 'name:TYPE[:path],... (path $.a.b for JSON, a field index for CSV); discovered from the stream when left out')
    .option('--time-column <column>', 'window on this TIMESTAMP column (event time) instead of processing time')
    .option('--output <IN_APP=kind:target>', 'an output: IN_APP=stream:<name>, deliveryStream:<name> or webhook:<url> (repeatable)', collect, [])
    .option('--description <text>')
    .action(async (name: string, o: CreateOptions) => {
      const c = client();
      print(await c.analytics.create(await createBody(c, name, o)));
    });
  analytics
    .command('list')
    .description('list applications')
    .option('--json', 'print the JSON answer')
    .action(async (o: { json?: boolean }) => {
      const { applications } = await client().analytics.list();
      if (o.json) return print({ applications });
      process.stdout.write(
        table(['NAME', 'STATUS', 'VERSION', 'INPUT', 'UPDATED'], applications.map((a) => [a.name, a.status, String(a.version), a.input.streamName ?? `delivery:${a.input.deliveryStreamName ?? ''}`, a.updatedAt])),
      );
    });
  analytics
    .command('describe <name>')
    .description('an application: configuration, status, in-application streams, last checkpoint (JSON)')
    .action(async (name: string) => print(await client().analytics.describe(name)));
  analytics
    .command('update <name>')
    .description('a new version: new SQL and/or a new REST update body (a running application restarts on it)')
    .option('--sql-file <file>', 'the new SQL')
    .option('--config <file>', 'a JSON file with the REST update body (description, input, sql, outputs)')
    .action(async (name: string, o: { sqlFile?: string; config?: string }) => {
      const body = o.config ? (JSON.parse(await readFile(o.config, 'utf8')) as Record<string, unknown>) : {};
      if (o.sqlFile) body.sql = await readFile(o.sqlFile, 'utf8');
      if (Object.keys(body).length === 0) throw new Error('give --sql-file or --config');
      print(await client().analytics.update(name, body));
    });
  analytics
    .command('start <name>')
    .description('start an application')
    .addOption(new Option('--from <position>', 'where to start reading').choices(['NOW', 'TRIM_HORIZON', 'LAST_STOPPED_POINT']).default('NOW'))
    .action(async (name: string, o: { from: ApplicationStartingPosition }) => {
      const view = await client().analytics.start(name, o.from);
      process.stdout.write(`${view.name} ${view.status} from ${o.from}\n`);
    });
  analytics
    .command('stop <name>')
    .description('stop an application (its final checkpoint is kept for LAST_STOPPED_POINT)')
    .action(async (name: string) => {
      const view = await client().analytics.stop(name);
      process.stdout.write(`${view.name} ${view.status}\n`);
    });
  analytics
    .command('delete <name>')
    .description('delete an application (a running one stops)')
    .action(async (name: string) => {
      await client().analytics.delete(name);
      process.stdout.write(`${name} deleted\n`);
    });
  analytics
    .command('live <name> <stream>')
    .description('follow the rows of an in-application stream (or error_stream, late_stream) as JSON lines')
    .option('--count <n>', 'exit after this many rows', (v) => Number.parseInt(v, 10))
    .action(async (name: string, stream: string, o: { count?: number }) => {
      const controller = new AbortController();
      process.once('SIGINT', () => controller.abort());
      let seen = 0;
      if (o.count === 0) return;
      for await (const row of client().analytics.live(name, stream, { signal: controller.signal })) {
        await write(`${JSON.stringify(row)}\n`);
        if (++seen === o.count) break;
      }
    });
  analytics
    .command('discover <stream>')
    .description("infer an input mapping (format, columns) from a sample of the stream's records")
    .addOption(new Option('--format <format>', 'record format (detected when left out)').choices(['json', 'csv', 'JSON', 'CSV']))
    .option('--sample-size <n>', 'records to read (default 100)', (v) => Number.parseInt(v, 10))
    .option('--delivery-stream', '<stream> names a Firehose delivery stream')
    .action(async (stream: string, o: { format?: string; sampleSize?: number; deliveryStream?: boolean }) => {
      const format = o.format ? (o.format.toUpperCase() as 'JSON' | 'CSV') : undefined;
      const source = o.deliveryStream ? { deliveryStreamName: stream } : { streamName: stream };
      print(await client().analytics.discoverSchema({ ...source, ...(format ? { format } : {}), ...(o.sampleSize ? { sampleSize: o.sampleSize } : {}) }));
    });
  return analytics;
}
