import type { FastifyInstance, FastifyReply } from 'fastify';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';

/** Where `npm run build:console` (vite build) writes the console; SHARDLINE_CONSOLE_DIR overrides it. */
export const CONSOLE_DIR = resolve(process.env.SHARDLINE_CONSOLE_DIR ?? join(__dirname, '../../../../dist/console'));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'application/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
};

/**
 * The web console at /console: the built static files, and index.html for every other path
 * under it (the console routes deep links such as /console/streams/orders in the browser).
 * Hashed assets are cached; index.html is not, so a rebuilt console is picked up at once.
 */
export function registerConsoleRoutes(fastify: FastifyInstance, root = CONSOLE_DIR): void {
  const index = async (reply: FastifyReply) => {
    const html = await readFile(join(root, 'index.html')).catch(() => undefined);
    if (!html) return reply.code(503).type('text/plain; charset=utf-8').send('The console is not built: run npm run build:console\n');
    return reply.type(TYPES['.html']!).header('cache-control', 'no-cache').send(html);
  };
  fastify.get('/console', (_req, reply) => reply.redirect('/console/'));
  fastify.get('/console/*', async (req, reply) => {
    const path = normalize((req.params as { '*': string })['*']).replace(/^(\.\.(\/|\\|$))+/, '');
    const type = TYPES[extname(path)];
    if (path.startsWith('assets/') && type) {
      const body = await readFile(join(root, path)).catch(() => undefined);
      if (!body) return reply.code(404).type('text/plain; charset=utf-8').send('Not Found\n');
      return reply.type(type).header('cache-control', 'public, max-age=31536000, immutable').send(body);
    }
    return index(reply);
  });
}
