/**
 * The output of an operation that answers with an event stream (SubscribeToShard) instead
 * of one JSON body. The gateway writes `frames()` as they come and calls `close()` when the
 * client goes away; an error after the stream started becomes an exception message, the
 * last of the stream, since the HTTP status (200) is already sent.
 */
import { asShardlineError } from '../errors';
import { encodeException, encodeInitialResponse } from '../event-stream';

export class EventStreamOutput {
  /**
   * @param events the encoded event messages, after the initial response
   * @param close ends the events early (their iterator then finishes)
   */
  constructor(
    private readonly events: AsyncIterable<Uint8Array>,
    readonly close: () => void,
  ) {}

  /** Every message of the answer: initial response, events, and an exception if one ended it. */
  async *frames(log: (err: unknown) => void = () => undefined): AsyncGenerator<Uint8Array> {
    yield encodeInitialResponse();
    try {
      yield* this.events;
    } catch (err) {
      const error = asShardlineError(err);
      if (error.type === 'InternalFailure') log(error.cause ?? error);
      yield encodeException(error.type, error.message);
    }
  }
}
