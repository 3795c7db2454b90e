import type { z } from 'zod';
import type { DeliveryStream, FirehoseBackend, KinesisBackend, RecordPosition, Shard, Stream, IteratorRequest } from '@shardline/protocol';
import type { ShardAddress } from '@shardline/messaging';
import type { GroupCoordinator, HostedMembers, ShardRead } from '@shardline/streams';
import type { ObjectStore, PluginCatalog } from '@shardline/firehose';
import type { AnalyticsControl } from '@shardline/analytics';
import type { ReadCursorCodec } from './cursors';
import { ValidationProblem } from './problems';

/** One series of a Prometheus registry: metric name, labels and value. */
export interface MetricSample {
  name: string;
  labels: Record<string, string | number | undefined>;
  value: number;
}

/** The platform services the native operations call: the same ones the Kinesis backend uses. */
export interface NativeServices {
  backend: KinesisBackend;
  /** A stream that takes reads and writes (cached; not found unless ACTIVE or UPDATING). */
  activeStream(name: string): Promise<Stream>;
  streamById(streamId: string): Promise<Stream>;
  read(shard: ShardAddress, from: RecordPosition, limit: number): Promise<ShardRead>;
  startPosition(stream: Stream, shard: Shard, request: IteratorRequest): Promise<RecordPosition>;
  /** Calls back after appends to the shard (and on metadata changes) until the returned function is called. */
  watch(shard: ShardAddress, listener: () => void): () => void;
  cursors: ReadCursorCodec;
  /** Server-side consumer groups (list, describe, delete; checkpoints of members over REST). */
  groups: Pick<GroupCoordinator, 'list' | 'describe' | 'delete' | 'checkpoint'>;
  /** Sessions of members that joined through this gateway (REST and NATS share them). */
  members: HostedMembers;
  now(): number;
  /** Transform plugins (Firehose); absent where the server does not offer them. */
  plugins?: NativePlugins;
  /** Analytics applications; absent where the server does not offer them. */
  analytics?: AnalyticsControl;
  /** This process's Prometheus samples (the console's stream and delivery metrics); absent where not offered. */
  metrics?: () => Promise<MetricSample[]>;
  /** Delivery streams' configuration, progress and objects (the console); absent where Firehose is not offered. */
  delivery?: NativeDelivery;
  /** Subscribes to an application's live rows (NATS); absent where analytics is not offered. */
  subscribeLive?: (application: string, stream: string, onRow: (row: unknown) => void) => () => void;
}

/** What the delivery views read: the control plane, progress rows, and the object store (absent where unknown). */
export interface NativeDelivery {
  streams: Pick<FirehoseBackend, 'list' | 'describe'>;
  progress(deliveryStreamId: string): Promise<Array<{ source: string; committedSeq: number; pending?: { fromSeq: number; toSeq: number } }>>;
  /** The last message stored in a source ('' for direct put, else a source shard id); undefined when unknown. */
  lastStored?(stream: DeliveryStream, source: string): Promise<number | undefined>;
  objects?: ObjectStore;
}

/** The plugin catalog and what the plugins' function ARNs are made of. */
export interface NativePlugins {
  catalog: PluginCatalog;
  region: string;
  accountId: string;
}

/** Validated input of an operation: path parameters, query and body, each by its own schema. */
export interface NativeInput<P = unknown, Q = unknown, B = unknown> {
  params: P;
  query: Q;
  body: B;
}

/** One route of the native APIs: REST method and path, NATS operation name, schemas, and what it does. */
export interface NativeOperation {
  /** NATS control subject suffix: shardline.api.<name>. */
  name: string;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** OpenAPI-style path, e.g. /v1/streams/{name}. */
  path: string;
  summary: string;
  /** HTTP status of a success. */
  status: number;
  params: z.ZodObject;
  query: z.ZodObject;
  body?: z.ZodType;
  /** Content types also taken as raw bytes (the body is then a Buffer), e.g. a plugin upload. */
  rawContentTypes?: readonly string[];
  response: z.ZodType;
  /** Validates the raw parts (ValidationProblem on failure) and runs the operation. */
  execute(services: NativeServices, raw: NativeInput): Promise<unknown>;
}

interface OperationSpec<P extends z.ZodObject, Q extends z.ZodObject, B extends z.ZodType> {
  name: string;
  method: NativeOperation['method'];
  path: string;
  summary: string;
  status?: number;
  params: P;
  query: Q;
  body?: B;
  /** For a union body: the branch that validates this raw body, so errors speak of that branch. */
  bodyBranch?: (raw: unknown) => z.ZodType;
  rawContentTypes?: readonly string[];
  response: z.ZodType;
  run(services: NativeServices, input: NativeInput<z.output<P>, z.output<Q>, z.output<B>>): Promise<unknown>;
}

export function defineOperation<P extends z.ZodObject, Q extends z.ZodObject, B extends z.ZodType = z.ZodUndefined>(
  spec: OperationSpec<P, Q, B>,
): NativeOperation {
  const { run, bodyBranch, ...rest } = spec;
  return {
    ...rest,
    status: spec.status ?? 200,
    execute: (services, raw) =>
      run(services, {
        params: parse(spec.params, raw.params, 'path'),
        query: parse(spec.query, raw.query, 'query'),
        body: (spec.body ? parse(bodyBranch?.(raw.body) ?? spec.body, raw.body, 'body') : undefined) as z.output<B>,
      }),
  };
}

/** Parses one part; the issues of the best-matching union branch are reported, with JSON paths. */
export function parse<S extends z.ZodType>(schema: S, value: unknown, where: string): z.output<S> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  throw new ValidationProblem(flatten(result.error.issues, where));
}

function flatten(issues: z.core.$ZodIssue[], where: string): Array<{ path: string; message: string }> {
  return issues.flatMap((issue) => {
    const path = [where, ...issue.path.map(String)].join('.');
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      const closest = issue.errors.reduce((best, branch) => (branch.length < best.length ? branch : best));
      return flatten(closest.map((i) => ({ ...i, path: [...issue.path, ...i.path] })), where);
    }
    return [{ path, message: issue.message }];
  });
}
