import type { FastifyInstance } from 'fastify';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** The files of swagger-ui-dist the page loads, and their types (nothing else is served). */
const FILES: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'application/javascript; charset=utf-8',
  'favicon-16x16.png': 'image/png',
  'favicon-32x32.png': 'image/png',
};

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <title>Shardline API</title>
  <link rel="stylesheet" href="/docs/swagger-ui.css" />
  <link rel="icon" type="image/png" href="/docs/favicon-32x32.png" />
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/swagger-ui-bundle.js"></script>
  <script>window.ui = SwaggerUIBundle({ url: '/v1/openapi.json', dom_id: '#swagger-ui' });</script>
</body>
</html>
`;

/** Swagger UI at /docs, reading the generated document at /v1/openapi.json. */
export function registerDocsRoutes(fastify: FastifyInstance): void {
  // swagger-ui-dist ships no types; its files sit beside its package.json.
  const root = dirname(require.resolve('swagger-ui-dist/package.json'));
  fastify.get('/docs', (_req, reply) => reply.type('text/html; charset=utf-8').send(PAGE));
  fastify.get('/docs/:file', async (req, reply) => {
    const file = (req.params as { file: string }).file;
    const type = FILES[file];
    if (!type) return reply.code(404).send({ message: 'Not Found' });
    return reply.type(type).header('cache-control', 'public, max-age=3600').send(await readFile(join(root, file)));
  });
}
