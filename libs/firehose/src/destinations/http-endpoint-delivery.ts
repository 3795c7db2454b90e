import { gzipSync } from 'node:zlib';
import { DeliveryError } from '../model';
import { DeliveryClock, retryWithBackoff, systemClock } from './backoff';
import {
  HTTP_ENDPOINT_MAX_RESPONSE_BYTES,
  HTTP_ENDPOINT_REQUEST_TIMEOUT_MS,
  HTTP_ENDPOINT_RETRY_DURATION,
  HttpEndpointDestinationSettings,
} from './config';

/*
 * Firehose's HTTP endpoint delivery, protocol version 1.0
 * (https://docs.aws.amazon.com/firehose/latest/dev/httpdeliveryrequestresponse.html):
 *
 *   POST <Url>
 *   X-Amz-Firehose-Protocol-Version: 1.0
 *   X-Amz-Firehose-Request-Id: <id, the same on every attempt of a batch>
 *   X-Amz-Firehose-Source-Arn: <delivery stream ARN>
 *   X-Amz-Firehose-Access-Key: <AccessKey, verbatim>            (when configured)
 *   X-Amz-Firehose-Common-Attributes: {"commonAttributes":{..}} (when configured)
 *   Content-Type: application/json
 *   Content-Encoding: gzip                                       (ContentEncoding GZIP only)
 *   {"requestId": "<id>", "timestamp": <ms>, "records": [{"data": "<base64>"}, ...]}
 *
 *   200, Content-Type application/json, no Content-Encoding, body <= 1 MiB:
 *   {"requestId": "<id>", "timestamp": <ms>[, "errorMessage": "..."]}
 *
 * Only 200 with a well-formed body is success. 413 fails the batch at once. Every other
 * status, a malformed answer, a timeout (3 minutes) or a broken connection is retried
 * with Firehose's backoff until RetryOptions.DurationInSeconds has passed since the first
 * failure. Error codes are those of Firehose's HTTP endpoint error logs
 * (https://docs.aws.amazon.com/firehose/latest/dev/http_troubleshooting.html).
 */

/** A batch for the endpoint: its request id (stable across redelivery) and the record bodies. */
export interface HttpEndpointBatch {
  requestId: string;
  records: Buffer[];
}

/** HTTP endpoint error codes, as Firehose logs them. */
export type HttpEndpointErrorCode =
  | 'HttpEndpoint.DestinationException'
  | 'HttpEndpoint.InvalidResponseFromDestination'
  | 'HttpEndpoint.RequestTimeout'
  | 'HttpEndpoint.ResponseTooLarge'
  | 'HttpEndpoint.ConnectionFailed'
  | 'HttpEndpoint.ConnectionReset';

/** Why a batch did not reach the endpoint, after `attemptsMade` attempts. */
export class HttpEndpointDeliveryError extends DeliveryError {
  constructor(
    message: string,
    errorCode: HttpEndpointErrorCode,
    readonly attemptsMade: number,
    /** The endpoint's last HTTP status, when it answered. */
    readonly statusCode?: number,
  ) {
    // Final: the delivery already retried for as long as its configuration allows.
    super(message, errorCode, false);
    this.name = 'HttpEndpointDeliveryError';
  }

  /** 413: Firehose does not back such a batch up to the error output (delivery spec). */
  get payloadTooLarge(): boolean {
    return this.statusCode === 413;
  }
}

/** How to reach the endpoint and how long to keep trying. */
export interface HttpEndpointDeliveryOptions {
  url: string;
  accessKey?: string;
  commonAttributes?: Record<string, string>;
  gzip?: boolean;
  /** RetryOptions.DurationInSeconds × 1000. */
  retryDurationMs: number;
  /** The delivery stream's ARN, sent as X-Amz-Firehose-Source-Arn. */
  sourceArn?: string;
  /** Per attempt; Firehose allows 3 minutes. */
  requestTimeoutMs?: number;
  clock?: DeliveryClock;
}

/** One failed attempt, before the retry loop decides. */
class AttemptError extends Error {
  constructor(
    message: string,
    readonly errorCode: HttpEndpointErrorCode,
    readonly retryable: boolean,
    readonly statusCode?: number,
  ) {
    super(message);
  }
}

/** Delivers batches to an HTTP endpoint the way Firehose does. */
export class HttpEndpointDelivery {
  private readonly clock: DeliveryClock;
  private readonly headers: Record<string, string>;

  constructor(private readonly options: HttpEndpointDeliveryOptions) {
    this.clock = options.clock ?? systemClock;
    this.headers = {
      'X-Amz-Firehose-Protocol-Version': '1.0',
      'Content-Type': 'application/json',
      ...(options.sourceArn ? { 'X-Amz-Firehose-Source-Arn': options.sourceArn } : {}),
      ...(options.accessKey !== undefined ? { 'X-Amz-Firehose-Access-Key': options.accessKey } : {}),
      ...(options.commonAttributes
        ? { 'X-Amz-Firehose-Common-Attributes': JSON.stringify({ commonAttributes: options.commonAttributes }) }
        : {}),
      ...(options.gzip ? { 'Content-Encoding': 'gzip' } : {}),
    };
  }

  /** Resolves once the endpoint accepted the batch; rejects with HttpEndpointDeliveryError. */
  deliver(batch: HttpEndpointBatch): Promise<void> {
    return retryWithBackoff(
      () => this.attempt(batch),
      (error) => ({
        error: error as Error,
        retryable: error instanceof AttemptError ? error.retryable : true,
      }),
      {
        durationMs: this.options.retryDurationMs,
        clock: this.clock,
        onGiveUp: ({ lastError, attemptsMade }) => {
          const attempt = lastError instanceof AttemptError ? lastError : undefined;
          return new HttpEndpointDeliveryError(
            lastError.message,
            attempt?.errorCode ?? 'HttpEndpoint.DestinationException',
            attemptsMade,
            attempt?.statusCode,
          );
        },
      },
    );
  }

  private async attempt(batch: HttpEndpointBatch): Promise<void> {
    const json = JSON.stringify({
      requestId: batch.requestId,
      timestamp: this.clock.now(),
      records: batch.records.map((data) => ({ data: data.toString('base64') })),
    });
    // Level 1, as the object compression (format/compression.ts): most of the saving for a fraction of the CPU.
    const body = this.options.gzip ? gzipSync(json, { level: 1 }) : Buffer.from(json);
    let response: Response;
    try {
      response = await fetch(this.options.url, {
        method: 'POST',
        headers: { ...this.headers, 'X-Amz-Firehose-Request-Id': batch.requestId },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.options.requestTimeoutMs ?? HTTP_ENDPOINT_REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      throw transportError(error);
    }
    const text = await readLimited(response);
    if (response.status !== 200) {
      // "The following response was received from the endpoint destination. 413: {...}"
      const message = `The following response was received from the endpoint destination. ${response.status}: ${text ?? '(over 1 MiB)'}`;
      throw new AttemptError(message, 'HttpEndpoint.DestinationException', response.status !== 413, response.status);
    }
    if (text === undefined) {
      throw new AttemptError('The response is larger than 1 MiB.', 'HttpEndpoint.ResponseTooLarge', true, 200);
    }
    const problem = responseProblem(response, text, batch.requestId);
    if (problem) {
      throw new AttemptError(
        `The response received from the specified endpoint is invalid. Response for request ${batch.requestId} ${problem}. Raw response received: 200 ${text}`,
        'HttpEndpoint.InvalidResponseFromDestination',
        true,
        200,
      );
    }
  }
}

/** What is wrong with a 200 answer, or undefined when it follows the spec. */
function responseProblem(response: Response, text: string, requestId: string): string | undefined {
  const contentType = response.headers.get('content-type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(contentType)) return 'does not have content-type application/json';
  if (response.headers.get('content-encoding')) return 'is content-encoded';
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return 'is not recognized as valid JSON';
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return 'is not a JSON object';
  const answer = parsed as { requestId?: unknown; timestamp?: unknown };
  if (typeof answer.requestId !== 'string') return 'is missing the requestId';
  if (answer.requestId !== requestId) return 'has a requestId that does not match';
  if (typeof answer.timestamp !== 'number' || !Number.isInteger(answer.timestamp)) {
    return 'is missing the timestamp (a number)';
  }
  return undefined;
}

/** The body as text, or undefined past 1 MiB (the read stops there). */
async function readLimited(response: Response): Promise<string | undefined> {
  if (!response.body) return '';
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      size += chunk.length;
      if (size > HTTP_ENDPOINT_MAX_RESPONSE_BYTES) {
        await response.body.cancel().catch(() => undefined);
        return undefined;
      }
      chunks.push(Buffer.from(chunk));
    }
  } catch (error) {
    throw transportError(error);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** fetch's failures (undici wraps the socket error in `cause`) as Firehose error codes. */
function transportError(error: unknown): AttemptError {
  const err = error as Error & { cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError' || err.name === 'AbortError') {
    return new AttemptError('The endpoint did not answer in time.', 'HttpEndpoint.RequestTimeout', true);
  }
  const code = err.cause?.code ?? '';
  const detail = `${err.message}${err.cause?.message ? `: ${err.cause.message}` : ''}`;
  if (['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT'].includes(code)) {
    return new AttemptError(`Could not connect to the endpoint (${detail}).`, 'HttpEndpoint.ConnectionFailed', true);
  }
  return new AttemptError(`The connection was reset or closed (${detail}).`, 'HttpEndpoint.ConnectionReset', true);
}

/** The delivery for a CreateDeliveryStream HttpEndpointDestinationConfiguration. */
export function httpEndpointDeliveryFrom(
  destination: HttpEndpointDestinationSettings,
  options: { sourceArn?: string; clock?: DeliveryClock; requestTimeoutMs?: number } = {},
): HttpEndpointDelivery {
  const endpoint = destination.EndpointConfiguration;
  if (!endpoint?.Url) throw new DeliveryError('The HTTP endpoint has no Url.', 'HttpEndpoint.InvalidConfiguration', false);
  const attributes = destination.RequestConfiguration?.CommonAttributes;
  const seconds = destination.RetryOptions?.DurationInSeconds ?? HTTP_ENDPOINT_RETRY_DURATION.default;
  return new HttpEndpointDelivery({
    url: endpoint.Url,
    accessKey: endpoint.AccessKey,
    commonAttributes: attributes
      ? Object.fromEntries(attributes.map((a) => [a.AttributeName ?? '', a.AttributeValue ?? '']))
      : undefined,
    gzip: destination.RequestConfiguration?.ContentEncoding === 'GZIP',
    retryDurationMs: seconds * 1000,
    ...options,
  });
}
