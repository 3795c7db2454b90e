import Fastify, { type FastifyInstance } from 'fastify';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerConsoleRoutes } from './console-routes';

describe('console routes', () => {
  let root: string;
  let app: FastifyInstance;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'console-routes-'));
    await mkdir(join(root, 'assets'));
    await writeFile(join(root, 'index.html'), '<!doctype html><div id="app"></div>');
    await writeFile(join(root, 'assets/index-abc.js'), 'console.log(1)');
    await writeFile(join(root, 'secret.txt'), 'not served');
    app = Fastify();
    registerConsoleRoutes(app, root);
  });
  afterAll(async () => {
    await app.close();
    await rm(root, { recursive: true, force: true });
  });

  it('redirects /console to /console/ and serves index.html there and for deep links, uncached', async () => {
    expect((await app.inject('/console')).headers.location).toBe('/console/');
    for (const url of ['/console/', '/console/streams/orders', '/console/analytics/app-1']) {
      const res = await app.inject(url);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.body).toContain('<div id="app">');
    }
  });

  it('serves hashed assets with their type and a long cache; a missing one is 404', async () => {
    const res = await app.inject('/console/assets/index-abc.js');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/javascript; charset=utf-8');
    expect(res.headers['cache-control']).toContain('immutable');
    expect((await app.inject('/console/assets/nope.js')).statusCode).toBe(404);
  });

  it('never serves files outside assets/ (nor outside the root)', async () => {
    for (const url of ['/console/secret.txt', '/console/assets/../secret.txt', '/console/assets/%2e%2e/secret.txt', '/console/../../package.json']) {
      const res = await app.inject(url);
      expect(res.body).not.toContain('not served');
      expect(res.body).not.toContain('"name"');
    }
  });

  it('answers 503 with how to build it when the console is not built', async () => {
    const missing = Fastify();
    registerConsoleRoutes(missing, join(root, 'nope'));
    const res = await missing.inject('/console/');
    expect(res.statusCode).toBe(503);
    expect(res.body).toContain('npm run build:console');
    await missing.close();
  });
});
