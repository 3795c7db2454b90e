import { cbor, tag } from '@smithy/core/cbor';
import type { Transport } from './platform';
import { rawKinesisRequest } from './raw-http';

export const CBOR_11 = 'application/x-amz-cbor-1.1';

/** One answer of a CBOR request: status, content type, and the decoded body. */
export interface CborAnswer {
  status: number;
  contentType: string | undefined;
  body: Record<string, unknown>;
}

/**
 * A minimal Kinesis client speaking `application/x-amz-cbor-1.1` as the Java SDKs do
 * (the SDK's own CBOR codec; blobs as bytes, timestamps as tag 1 around epoch ms), over
 * HTTP/1.1 or h2c. Unsigned: the test platforms it talks to verify no signatures.
 */
export async function cborRequest(endpoint: string, transport: Transport, operation: string, input: object): Promise<CborAnswer> {
  const answer = await rawKinesisRequest(endpoint, transport, {
    target: `Kinesis_20131202.${operation}`,
    contentType: CBOR_11,
    body: Buffer.from(cbor.serialize(input)),
  });
  return {
    status: answer.status,
    contentType: answer.headers['content-type'] as string | undefined,
    body: cbor.deserialize(answer.bytes) as Record<string, unknown>,
  };
}

/** A timestamp as the Java SDK writes it: tag 1 around epoch milliseconds. */
export function cborTimestamp(date: Date): unknown {
  return tag({ tag: 1, value: date.getTime() });
}

/**
 * A decoded CBOR answer in the JSON protocol's shape (bytes as base64, tagged epoch-ms
 * timestamps as epoch seconds), so a CBOR answer can be compared with a JSON one.
 */
export function asJsonShape(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(asJsonShape);
  if (typeof value !== 'object' || value === null) return value;
  const tagged = value as { tag?: unknown; value?: unknown };
  if (tagged.tag === 1 && typeof tagged.value === 'number') return tagged.value / 1000;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, asJsonShape(item)]));
}
