/** The messages between the host and a plugin's process (see child.js). Structured clone, not JSON. */
import type { FirehoseRecordMetadata } from '../types';

/** What the child needs to load the plugin. */
export interface ChildConfig {
  /** Absolute path of the module to import. */
  entry: string;
  /** Name of the exported handler function. */
  handler: string;
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryMiB: number;
}

/** The event's envelope (everything but the records). */
export interface EventEnvelope {
  invocationId: string;
  deliveryStreamArn: string;
  sourceKinesisStreamArn?: string;
  region: string;
}

/** One batch, columnar: the data of all records in one Buffer, record i ending at ends[i]. */
export interface InvokePayload {
  event: EventEnvelope;
  ids: string[];
  arrivals: number[];
  data: Buffer;
  ends: number[];
  metadata?: Array<FirehoseRecordMetadata | undefined>;
}

export interface InvokeMessage extends InvokePayload {
  type: 'invoke';
  id: number;
  /** Epoch ms when the invocation times out (context.getRemainingTimeInMillis). */
  deadline: number;
  awsRequestId: string;
}

/** The transform's answer, columnar, data decoded from base64 by the child. */
export interface ResultPayload {
  ids: string[];
  results: string[];
  data: Buffer;
  ends: number[];
  keys: Array<Record<string, string> | undefined>;
}

export type ChildMessage =
  | { type: 'ready' }
  | { type: 'init-error'; errorType: string; errorMessage: string }
  | ({ type: 'result'; id: number } & ResultPayload)
  | { type: 'error'; id: number; errorType: string; errorMessage: string };
