import { EventStreamCodec } from '@smithy/core/event-streams';
import { fromUtf8, toUtf8 } from '@smithy/core/serde';
import fixture from './fixtures/event-stream-frames.json';
import { decodeMessage, encodeEvent, encodeException, encodeInitialResponse } from './event-stream';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('event stream messages (golden)', () => {
  it('encodes the initial response as the SDK expects it', () => {
    expect(hex(encodeInitialResponse())).toBe(fixture.initialResponse);
  });

  it('encodes one SubscribeToShardEvent byte for byte', () => {
    expect(hex(encodeEvent('SubscribeToShardEvent', fixture.event.json))).toBe(fixture.event.frame);
  });

  it('encodes an exception message', () => {
    expect(hex(encodeException('ResourceInUseException', 'taken over'))).toBe(fixture.exception);
    expect(decodeMessage(encodeException('InternalFailure', 'x')).headers[':exception-type']).toBe('InternalFailureException');
  });

  it('decodes with the SDK codec to the headers the SDK dispatches on', () => {
    const { headers, body } = new EventStreamCodec(toUtf8, fromUtf8).decode(Buffer.from(fixture.event.frame, 'hex'));
    expect(headers[':message-type']!.value).toBe('event');
    expect(headers[':event-type']!.value).toBe('SubscribeToShardEvent');
    expect(headers[':content-type']!.value).toBe('application/json');
    expect(JSON.parse(toUtf8(body))).toEqual(JSON.parse(fixture.event.json));
  });
});
