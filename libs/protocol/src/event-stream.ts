/**
 * The `application/vnd.amazon.eventstream` messages SubscribeToShard answers with, encoded by
 * the SDK's own codec (`EventStreamCodec`), so the framing (prelude, headers, CRCs) is the
 * one the SDK decodes. Every message is an event (`:message-type` event, `:event-type`,
 * `:content-type` application/json) or a modeled exception (`:message-type` exception,
 * `:exception-type`). The first message is the `initial-response` event (the operation's
 * non-stream output members: none for SubscribeToShard, so `{}`); the SDK's command
 * resolves once it has read it.
 */
import { EventStreamCodec } from '@smithy/core/event-streams';
import { fromUtf8, toUtf8 } from '@smithy/core/serde';
import type { ErrorType } from './errors';

export const EVENT_STREAM_CONTENT_TYPE = 'application/vnd.amazon.eventstream';

const codec = new EventStreamCodec(toUtf8, fromUtf8);

/** One event message with a JSON payload. */
export function encodeEvent(eventType: string, json: string): Uint8Array {
  return codec.encode({
    headers: {
      ':event-type': { type: 'string', value: eventType },
      ':message-type': { type: 'string', value: 'event' },
      ':content-type': { type: 'string', value: 'application/json' },
    },
    body: fromUtf8(json),
  });
}

/** The first message of every event stream answer. */
export function encodeInitialResponse(): Uint8Array {
  return encodeEvent('initial-response', '{}');
}

/**
 * Exception names inside SubscribeToShard's event stream union: the same as the JSON
 * errors, except the modeled internal failure (`InternalFailureException`).
 */
function streamExceptionName(type: ErrorType): string {
  return type === 'InternalFailure' || type === 'ServiceUnavailable' ? 'InternalFailureException' : type;
}

/** An error after the stream started: an exception message, which the SDK throws from its iterator. */
export function encodeException(type: ErrorType, message: string): Uint8Array {
  return codec.encode({
    headers: {
      ':exception-type': { type: 'string', value: streamExceptionName(type) },
      ':message-type': { type: 'string', value: 'exception' },
      ':content-type': { type: 'string', value: 'application/json' },
    },
    body: fromUtf8(JSON.stringify({ message })),
  });
}

/** Decodes one message (tests and tools): its headers as plain values and its body as text. */
export function decodeMessage(frame: Uint8Array): { headers: Record<string, unknown>; body: string } {
  const { headers, body } = codec.decode(frame);
  const plain: Record<string, unknown> = {};
  for (const [name, header] of Object.entries(headers)) plain[name] = header.value;
  return { headers: plain, body: toUtf8(body) };
}
