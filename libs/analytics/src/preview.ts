/**
 * Runs SQL over a live stream for a few seconds without creating an application: reads the
 * open shards from their end on, and at the end completes the input, so windows still open are
 * emitted with what they hold. Nothing is stored; nothing is written anywhere.
 */
import type { NatsConnection } from 'nats';
import { Subject } from 'rxjs';
import { StreamShardSource, type SourceFollower } from '@shardline/firehose';
import { shardStreamName } from '@shardline/messaging';
import { notFound, validationError } from '@shardline/protocol';
import type { Stream } from '@shardline/protocol';
import type { Row } from '@shardline/sql';
import { compileStored } from './application-runner';
import { SOURCE_STREAM, type AnalyticsInput } from './model';
import { referenceTables } from './reference-tables';
import { rowMapper } from './row-mapping';

export interface PreviewRequest {
  input: AnalyticsInput;
  sql: string;
  inAppStream?: string;
  durationMs: number;
  limit: number;
}

export interface PreviewResult {
  stream: string;
  rows: Row[];
  errors: Array<Record<string, unknown>>;
}

export async function preview(nc: NatsConnection, stream: Stream | undefined, request: PreviewRequest, databaseUrl?: string): Promise<PreviewResult> {
  if (!stream) throw notFound(`Stream ${request.input.streamName} not found`);
  const application = compileStored(request.sql, request.input);
  const streams = [...application.plan.streams.values()].filter((s) => s.kind === 'in-application').map((s) => s.name);
  const target = request.inAppStream ? streams.find((s) => s.toUpperCase() === request.inAppStream!.toUpperCase()) : streams[0];
  if (!target) throw validationError(request.inAppStream ? `The SQL declares no stream ${request.inAppStream}` : 'The SQL declares no in-application stream');
  const rows: Row[] = [];
  const errors: Array<Record<string, unknown>> = [];
  const input = new Subject<Row>();
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  application.output(target).subscribe((row) => {
    if (rows.length < request.limit) rows.push(row);
    if (rows.length >= request.limit) finish();
  });
  application.errors.subscribe((e) => errors.length < request.limit && errors.push({ ...e }));
  const tables = referenceTables(request.input, databaseUrl ?? '', () => undefined);
  application.start({ [SOURCE_STREAM]: input }, tables.tables);
  const map = rowMapper(request.input);
  const jsm = await nc.jetstreamManager();
  const js = nc.jetstream();
  const followers: SourceFollower[] = [];
  for (const shard of stream.shards.filter((s) => s.status === 'OPEN')) {
    const info = await jsm.streams.info(shardStreamName(stream.id, shard.index));
    const source = new StreamShardSource(js, shard.shardId, stream.id, shard.index, async () => true);
    followers.push(
      source.follow(info.state.last_seq + 1, async (message) => {
        for (const record of message.records) {
          try {
            input.next(map(record.data, record.approximateArrivalTimestamp));
          } catch (err) {
            if (errors.length < request.limit) errors.push({ source: SOURCE_STREAM, row: record.data.toString('utf8'), error: err instanceof Error ? err.message : String(err) });
          }
        }
      }),
    );
  }
  const timer = setTimeout(finish, request.durationMs);
  await finished;
  clearTimeout(timer);
  await Promise.all(followers.map((f) => f.stop()));
  input.complete();
  application.stop();
  await tables.close();
  return { stream: target, rows: rows.slice(0, request.limit), errors };
}
