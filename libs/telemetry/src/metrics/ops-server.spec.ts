import { opsPort, serveOps, type OpsServer } from './ops-server';
import { Counter, Registry } from 'prom-client';

describe('serveOps', () => {
  let server: OpsServer;
  let problems: string[] = [];

  beforeAll(async () => {
    const registry = new Registry();
    new Counter({ name: 'up_total', help: 'Up.', registers: [registry] }).inc();
    server = await serveOps({ registry, readiness: async () => problems, port: 0, host: '127.0.0.1' });
  });
  afterAll(() => server.close());

  const get = (path: string) => fetch(`http://127.0.0.1:${server.port}${path}`);

  it('serves /metrics in the Prometheus text format', async () => {
    const res = await get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(await res.text()).toContain('up_total 1\n');
  });

  it('answers live always, ready only without problems', async () => {
    expect((await get('/health/live')).status).toBe(200);
    problems = [];
    expect(await (await get('/health/ready')).json()).toEqual({ status: 'ok' });
    problems = ['NATS connection closed'];
    const res = await get('/health/ready');
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: 'unavailable', problems: ['NATS connection closed'] });
    expect((await get('/nope')).status).toBe(404);
  });
});

describe('opsPort', () => {
  it('takes SHARDLINE_METRICS_PORT, else PORT, else none', () => {
    expect(opsPort({ SHARDLINE_METRICS_PORT: '9464', PORT: '4567' })).toBe(9464);
    expect(opsPort({ PORT: '4567' })).toBe(4567);
    expect(opsPort({})).toBeUndefined();
    expect(() => opsPort({ SHARDLINE_METRICS_PORT: 'x' })).toThrow(/not a port/);
  });
});
