import type { NatsConnection } from 'nats';
import { ShardlineApiError } from './errors';
import type {
  CreateStreamInput,
  DeletedView,
  Problem,
  PutBatchResult,
  PutSingleResult,
  ReadOptions,
  ReadResult,
  RecordInput,
  StreamList,
  StreamView,
  UpdateStreamInput,
} from './types';

export interface NatsApiOptions {
  /** First subject token: `shardline` unless the server sets SHARDLINE_NATS_API_PREFIX. */
  prefix?: string;
  timeoutMs?: number;
}

/**
 * The control operations over NATS (`<prefix>.api.<operation>`): the REST API's
 * operations without HTTP, same JSON, same problems (thrown as ShardlineApiError).
 */
export class ShardlineNatsApi {
  private readonly prefix: string;
  private readonly timeoutMs: number;

  constructor(
    private readonly nc: NatsConnection,
    options: NatsApiOptions = {},
  ) {
    this.prefix = options.prefix ?? 'shardline';
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  createStream = (input: CreateStreamInput) => this.call<StreamView>('createStream', input);
  listStreams = (options: { limit?: number; cursor?: string } = {}) => this.call<StreamList>('listStreams', options);
  describeStream = (name: string) => this.call<StreamView>('describeStream', { name });
  updateStream = (name: string, input: UpdateStreamInput) => this.call<StreamView>('updateStream', { ...input, name });
  deleteStream = (name: string, options: { force?: boolean } = {}) => this.call<DeletedView>('deleteStream', { name, ...options });
  putRecord = (name: string, record: RecordInput) => this.call<PutSingleResult>('putRecords', { ...record, name });
  putRecords = (name: string, records: RecordInput[]) => this.call<PutBatchResult>('putRecords', { name, records });
  getRecords = (name: string, shardId: string, options: ReadOptions = {}) => this.call<ReadResult>('getRecords', { ...options, name, shardId });

  /** One request-reply on `<prefix>.api.<operation>`; `{error}` replies throw. */
  async call<T>(operation: string, payload: object): Promise<T> {
    const reply = await this.nc.request(`${this.prefix}.api.${operation}`, Buffer.from(JSON.stringify(payload)), { timeout: this.timeoutMs });
    return unwrap<T>(reply.data);
  }
}

/** A NATS API reply: the answer, or its `{error: problem}` thrown. */
export function unwrap<T>(data: Uint8Array): T {
  const body = JSON.parse(Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8')) as unknown;
  if (typeof body === 'object' && body !== null && 'error' in body) throw new ShardlineApiError((body as { error: Problem }).error);
  return body as T;
}
