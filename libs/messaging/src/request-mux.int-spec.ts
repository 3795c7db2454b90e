import { connect, type NatsConnection } from 'nats';
import { startNatsCluster, type NatsCluster } from '../../../test/support/nats-cluster';
import { RequestMux } from './request-mux';

/** A request in flight when the connection's server dies fails at once, not at its timeout. */
describe('RequestMux when the connection drops', () => {
  let server: NatsCluster;
  let nc: NatsConnection;

  beforeAll(async () => {
    server = await startNatsCluster(1);
    nc = await connect({ servers: server.url, maxReconnectAttempts: -1, reconnectTimeWait: 250 });
  });
  afterAll(async () => {
    await nc.close();
    await server.stop();
  });

  it('rejects the requests in flight with a retriable InternalFailure', async () => {
    // A responder that never answers: the request waits until the server goes away.
    nc.subscribe('mux.silent', { callback: () => undefined });
    await nc.flush();
    const mux = new RequestMux(nc, 30_000);
    const started = Date.now();
    const pending = mux.request('mux.silent', 'hello');
    const outcome = pending.then(
      () => 'answered',
      (err: Error & { type?: string; retriable?: boolean }) => ({ type: err.type, retriable: err.retriable, message: err.message }),
    );
    await server.nodes[0]!.kill();
    expect(await outcome).toEqual({ type: 'InternalFailure', retriable: true, message: expect.stringContaining('connection to NATS lost') });
    expect(Date.now() - started).toBeLessThan(5_000);
    mux.close();
  });
});

describe('RequestMux timeouts', () => {
  it('rejects a request nobody answers at its deadline, naming the subject it went to', async () => {
    const nc = await connect({ servers: process.env.NATS_URL ?? 'nats://127.0.0.1:4222' });
    const subject = `mux.silent.${Date.now()}`;
    nc.subscribe(subject, { callback: () => undefined });
    await nc.flush();
    const mux = new RequestMux(nc, 200);
    try {
      const started = Date.now();
      const err = (await mux.request(subject, 'hello').catch((e: unknown) => e)) as Error & { type?: string; retriable?: boolean };
      expect({ type: err.type, retriable: err.retriable }).toEqual({ type: 'InternalFailure', retriable: true });
      expect(err.message).toBe(`request on ${subject} timed out; it may or may not have taken effect`);
      // Swept once a second: late by at most a sweep.
      expect(Date.now() - started).toBeGreaterThanOrEqual(200);
      expect(Date.now() - started).toBeLessThan(2_500);
    } finally {
      mux.close();
      await nc.close();
    }
  });
});
