import { gunzipSync } from 'node:zlib';
import { HttpReceiver } from '../../../../test/support/http-receiver';
import { DeliveryClock } from './backoff';
import { httpEndpointDeliveryFrom, HttpEndpointDeliveryError } from './http-endpoint-delivery';

/** A clock whose sleeps return at once and move time on; random 0.5 makes the jitter factor 1. */
function fakeClock(): DeliveryClock & { sleeps: number[] } {
  let now = 1_764_000_000_000;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    random: () => 0.5,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}

const records = [Buffer.from('hello'), Buffer.from('hello world'), Buffer.alloc(0)];

describe('HttpEndpointDelivery against a real HTTP receiver', () => {
  let receiver: HttpReceiver;

  beforeEach(async () => {
    receiver = await new HttpReceiver().start();
  });
  afterEach(() => receiver.stop());

  function delivery(overrides: { gzip?: boolean; retrySeconds?: number; requestTimeoutMs?: number } = {}) {
    const clock = fakeClock();
    const target = httpEndpointDeliveryFrom(
      {
        EndpointConfiguration: { Url: receiver.url, Name: 'test', AccessKey: 'secret-key' },
        RequestConfiguration: {
          ContentEncoding: overrides.gzip ? 'GZIP' : 'NONE',
          CommonAttributes: [
            { AttributeName: 'env', AttributeValue: 'test' },
            { AttributeName: 'team', AttributeValue: '' },
          ],
        },
        RetryOptions: { DurationInSeconds: overrides.retrySeconds ?? 300 },
      },
      {
        clock,
        sourceArn: 'arn:aws:firehose:us-east-1:000000000000:deliverystream/orders',
        requestTimeoutMs: overrides.requestTimeoutMs,
      },
    );
    return { target, clock };
  }

  it('retries a 500 with the same request id and sends headers and body as the spec says', async () => {
    receiver.answer({ status: 500, body: '{"errorMessage":"try later"}' });
    const { target, clock } = delivery();

    await target.deliver({ requestId: 'req-1', records });

    expect(receiver.requests).toHaveLength(2);
    expect(clock.sleeps).toEqual([1000]);
    for (const request of receiver.requests) {
      expect(request.method).toBe('POST');
      expect(request.path).toBe('/ingest?token=abc');
      expect(request.headers).toMatchObject({
        'x-amz-firehose-protocol-version': '1.0',
        'x-amz-firehose-request-id': 'req-1',
        'x-amz-firehose-access-key': 'secret-key',
        'x-amz-firehose-source-arn': 'arn:aws:firehose:us-east-1:000000000000:deliverystream/orders',
        'content-type': 'application/json',
        'content-length': String(request.rawBody.length),
      });
      expect(request.headers['content-encoding']).toBeUndefined();
      expect(JSON.parse(String(request.headers['x-amz-firehose-common-attributes']))).toEqual({
        commonAttributes: { env: 'test', team: '' },
      });
      expect(request.json).toEqual({
        requestId: 'req-1',
        timestamp: expect.any(Number),
        records: [{ data: 'aGVsbG8=' }, { data: 'aGVsbG8gd29ybGQ=' }, { data: '' }],
      });
    }
    // Each attempt is a newly generated request: its timestamp is the time it was made.
    const [first, second] = receiver.requests.map((r) => (r.json as { timestamp: number }).timestamp);
    expect(second - first).toBe(1000);
  });

  it('gzips the body when ContentEncoding is GZIP', async () => {
    const { target } = delivery({ gzip: true });

    await target.deliver({ requestId: 'req-gz', records });

    const [request] = receiver.requests;
    expect(request.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(request.rawBody).toString())).toMatchObject({
      requestId: 'req-gz',
      records: [{ data: 'aGVsbG8=' }, { data: 'aGVsbG8gd29ybGQ=' }, { data: '' }],
    });
  });

  it('fails at once on 413, without retrying', async () => {
    receiver.answer({ status: 413, body: '{"errorMessage":"Payload too large"}' });
    const { target, clock } = delivery();

    const error = await target.deliver({ requestId: 'req-big', records }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(HttpEndpointDeliveryError);
    expect(error).toMatchObject({
      errorCode: 'HttpEndpoint.DestinationException',
      retryable: false,
      attemptsMade: 1,
      statusCode: 413,
      payloadTooLarge: true,
    });
    expect((error as Error).message).toContain('413: {"errorMessage":"Payload too large"}');
    expect(receiver.requests).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
  });

  it('gives up when the retry duration is spent, with backoff 1 s × 2^n', async () => {
    const failing = { status: 503, body: '{"errorMessage":"down"}' };
    receiver.answer(failing, failing, failing, failing, failing, failing);
    const { target, clock } = delivery({ retrySeconds: 10 });

    const error = await target.deliver({ requestId: 'req-down', records }).catch((e: unknown) => e);

    // Waits 1 + 2 + 4 = 7 s fit in 10 s; the next (8 s) would not.
    expect(clock.sleeps).toEqual([1000, 2000, 4000]);
    expect(receiver.requests).toHaveLength(4);
    expect(new Set(receiver.requests.map((r) => r.headers['x-amz-firehose-request-id']))).toEqual(new Set(['req-down']));
    expect(error).toMatchObject({
      name: 'HttpEndpointDeliveryError',
      errorCode: 'HttpEndpoint.DestinationException',
      retryable: false,
      attemptsMade: 4,
      statusCode: 503,
    });
  });

  it('treats a 200 whose body does not follow the spec as a failure and retries it', async () => {
    receiver.answer(
      { status: 200, body: '{"requestId":"someone-else","timestamp":1}' },
      { status: 200, body: '{"requestId":"req-3","timestamp":"1"}' },
      { status: 200, body: 'ok', headers: { 'Content-Type': 'text/plain' } },
    );
    const { target } = delivery({ retrySeconds: 2 });

    const error = await target.deliver({ requestId: 'req-3', records }).catch((e: unknown) => e);

    // 1 s + 2 s > 2 s: two attempts only.
    expect(receiver.requests).toHaveLength(2);
    expect(error).toMatchObject({ errorCode: 'HttpEndpoint.InvalidResponseFromDestination', attemptsMade: 2 });
    expect((error as Error).message).toContain('timestamp');
  });

  it('with a retry duration of 0 tries once; reports timeouts and refused connections', async () => {
    receiver.answer({ status: 200, body: 'echo', delayMs: 2_000 });
    const slow = delivery({ retrySeconds: 0, requestTimeoutMs: 200 }).target;
    await expect(slow.deliver({ requestId: 'req-slow', records })).rejects.toMatchObject({
      errorCode: 'HttpEndpoint.RequestTimeout',
      attemptsMade: 1,
    });

    const closedUrl = receiver.url;
    await receiver.stop();
    const refused = httpEndpointDeliveryFrom(
      { EndpointConfiguration: { Url: closedUrl }, RetryOptions: { DurationInSeconds: 0 } },
      { clock: fakeClock() },
    );
    await expect(refused.deliver({ requestId: 'req-refused', records })).rejects.toMatchObject({
      errorCode: 'HttpEndpoint.ConnectionFailed',
      attemptsMade: 1,
    });
  });
});
