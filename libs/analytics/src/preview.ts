/**
 * Runs SQL over a live input for a few seconds without creating an application: reads the
 * input (a stream's open shards, or a DirectPut delivery stream) from its end on, and at the end
 * completes the input, so windows still open are emitted with what they hold. The SQL is an
 * application's (CREATE STREAM / CREATE PUMP, one in-application stream answered) or a bare
 * `SELECT [STREAM] ... FROM SOURCE_SQL_STREAM_001`, whose rows are answered as PREVIEW_STREAM.
 * Without columns the input's mapping is discovered from a sample of its stored records first.
 * Nothing is stored; nothing is written anywhere; a DirectPut input is read without a hold.
 */
import type { NatsConnection } from 'nats';
import { Subject } from 'rxjs';
import { DirectPutSource, StreamShardSource, type SourceFollower, type SourceMessage } from '@shardline/firehose';
import { deliveryStreamStreamName, shardStreamName, type DataKeyResolver } from '@shardline/messaging';
import { notFound, validationError } from '@shardline/protocol';
import { compileApplication, parseSql, SqlError, type Application, type Column, type Row, type Select } from '@shardline/sql';
import { inputLabel, resolveInput, type InputLookups, type ResolvedInput } from './input-source';
import { sampleInput } from './input-sample';
import { analyticsInput, SOURCE_STREAM, type AnalyticsInput, type PreviewInput } from './model';
import { referenceTables, tableDefinitions } from './reference-tables';
import { rowMapper, sourceDefinition } from './row-mapping';
import { discoverSchema, type DiscoveredColumn, type DiscoveredFormat } from './schema-discovery';

/** The stream a bare SELECT's rows are answered as. */
export const PREVIEW_STREAM = 'PREVIEW_STREAM';

export interface PreviewRequest {
  input: PreviewInput;
  sql: string;
  inAppStream?: string;
  durationMs: number;
  limit: number;
  /** Records sampled to discover the input's mapping when it has no columns (default 100). */
  sampleSize?: number;
}

export interface PreviewResult {
  stream: string;
  rows: Row[];
  errors: Array<Record<string, unknown>>;
  /** The mapping discovered from a sample, when the request gave no columns. */
  discovered?: { format: DiscoveredFormat; columns: DiscoveredColumn[] };
}

export interface PreviewDeps {
  nc: NatsConnection;
  lookups: InputLookups;
  databaseUrl?: string;
  keys?: DataKeyResolver;
}

export async function preview(deps: PreviewDeps, request: PreviewRequest): Promise<PreviewResult> {
  const source = await resolveInput(request.input, deps.lookups);
  if (!source) throw notFound(`The input's ${inputLabel(request.input)} was not found`);
  const { input, discovered } = await mappingOf(deps, source, request);
  const { application, target } = compilePreview(request.sql, input, request.inAppStream);
  const rows: Row[] = [];
  const errors: Array<Record<string, unknown>> = [];
  const rowsIn = new Subject<Row>();
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  application.output(target).subscribe((row) => {
    if (rows.length < request.limit) rows.push(row);
    if (rows.length >= request.limit) finish();
  });
  application.errors.subscribe((e) => errors.length < request.limit && errors.push({ ...e }));
  const tables = referenceTables(input, deps.databaseUrl ?? '', () => undefined);
  application.start({ [SOURCE_STREAM]: rowsIn }, tables.tables);
  const map = rowMapper(input);
  const onMessage = async (message: SourceMessage) => {
    for (const record of message.records) {
      try {
        rowsIn.next(map(record.data, record.approximateArrivalTimestamp));
      } catch (err) {
        if (errors.length < request.limit) errors.push({ source: SOURCE_STREAM, row: record.data.toString('utf8'), error: err instanceof Error ? err.message : String(err) });
      }
    }
  };
  const followers = await followFromNow(deps, source, onMessage);
  const timer = setTimeout(finish, request.durationMs);
  await finished;
  clearTimeout(timer);
  await Promise.all(followers.map((f) => f.stop()));
  rowsIn.complete();
  application.stop();
  await tables.close();
  return { stream: target, rows: rows.slice(0, request.limit), errors, ...(discovered ? { discovered } : {}) };
}

/** The request's mapping, or one discovered from a sample of the input's stored records. */
async function mappingOf(deps: PreviewDeps, source: ResolvedInput, request: PreviewRequest): Promise<{ input: AnalyticsInput; discovered?: PreviewResult['discovered'] }> {
  if (request.input.columns) return { input: analyticsInput.parse({ ...request.input, format: request.input.format ?? 'JSON' }) };
  const sample = await sampleInput(deps.nc, source, request.sampleSize ?? 100, deps.keys);
  if (sample.length === 0) throw validationError(`The input's ${inputLabel(request.input)} holds no records to discover columns from: give input.columns`);
  const found = discoverSchema(sample, request.input.format);
  if (found.columns.length === 0) throw validationError(`No columns could be discovered from ${sample.length} records: give input.columns`);
  const input = analyticsInput.parse({ ...request.input, format: found.format, columns: found.columns });
  return { input, discovered: { format: found.format, columns: found.columns } };
}

/** A bare SELECT (after comments): its rows become PREVIEW_STREAM's. */
export function isBareSelect(sql: string): boolean {
  return /^(\s|--[^\n]*(\n|$)|\/\*[\s\S]*?\*\/)*SELECT\b/i.test(sql);
}

function compilePreview(sql: string, input: AnalyticsInput, inAppStream?: string): { application: Application; target: string } {
  const definition = { sources: { [SOURCE_STREAM]: sourceDefinition(input) }, tables: tableDefinitions(input) };
  if (!isBareSelect(sql)) {
    const application = compileApplication(sql, definition);
    const streams = [...application.plan.streams.values()].filter((s) => s.kind === 'in-application').map((s) => s.name);
    const target = inAppStream ? streams.find((s) => s.toUpperCase() === inAppStream.toUpperCase()) : streams[0];
    if (!target) throw validationError(inAppStream ? `The SQL declares no stream ${inAppStream}` : 'The SQL declares no in-application stream');
    return { application, target };
  }
  // The SELECT becomes a pump into a stream of its own columns, on a line before the user's: positions stay theirs.
  const wrapped = `CREATE PUMP "PREVIEW_PUMP" AS INSERT INTO "${PREVIEW_STREAM}"\n${sql}`;
  const shifted = <T>(run: () => T): T => {
    try {
      return run();
    } catch (err) {
      if (err instanceof SqlError && err.line > 1) throw new SqlError(err.reason, err.line - 1, err.column);
      throw err;
    }
  };
  const statements = shifted(() => parseSql(wrapped));
  if (statements.length !== 1 || statements[0].kind !== 'createPump') throw validationError('A preview takes one SELECT, or an application’s CREATE STREAM and CREATE PUMP statements');
  const columns = selectColumns(statements[0].select.items, Object.keys(definition.sources[SOURCE_STREAM].columns));
  const application = shifted(() => compileApplication(wrapped, { ...definition, declared: { [PREVIEW_STREAM]: columns } }));
  return { application, target: PREVIEW_STREAM };
}

/** The result columns of a SELECT's items: the alias, a column's own name, else `EXPR$<n>`; `*` is the source's columns. */
function selectColumns(items: Select['items'], sourceColumns: string[]): Column[] {
  const names: string[] = [];
  items.forEach((item, i) => {
    if (item.expr.kind === 'star') names.push(...sourceColumns);
    else names.push(item.alias ?? (item.expr.kind === 'column' ? item.expr.name : `EXPR$${i}`));
  });
  const seen = new Map<string, number>();
  return names.map((name) => {
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    return { name: n === 1 ? name : `${name}_${n}`, type: { name: 'ANY', params: [] } };
  });
}

/** Follows the input from its end on: a stream's open shards, or the delivery stream's records. */
async function followFromNow(deps: PreviewDeps, source: ResolvedInput, onMessage: (message: SourceMessage) => Promise<void>): Promise<SourceFollower[]> {
  const jsm = await deps.nc.jetstreamManager();
  const js = deps.nc.jetstream();
  if (source.kind === 'directPut') {
    const id = source.deliveryStream.id;
    const info = await jsm.streams.info(deliveryStreamStreamName(id));
    return [new DirectPutSource(js, jsm, id, deps.keys).follow(info.state.last_seq + 1, onMessage)];
  }
  const stream = source.stream;
  const followers: SourceFollower[] = [];
  for (const shard of stream.shards.filter((s) => s.status === 'OPEN')) {
    const info = await jsm.streams.info(shardStreamName(stream.id, shard.index));
    const reader = new StreamShardSource(js, shard.shardId, stream.id, shard.index, async () => true, deps.keys);
    followers.push(reader.follow(info.state.last_seq + 1, onMessage));
  }
  return followers;
}
