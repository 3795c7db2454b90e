import { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { ShardlineApiError } from '@shardline/client';
import type { GlobalOptions } from './main';

interface PublishOptions {
  handler?: string;
  memory?: number;
  timeout?: number;
  env: string[];
  description?: string;
}

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** One call of the plugin routes (JSON, or a file's bytes); a problem answer throws ShardlineApiError (printed by main). */
async function call(endpoint: string, method: string, path: string, upload?: { bytes: Buffer; contentType: string }): Promise<unknown> {
  const response = await fetch(endpoint + path, {
    method,
    ...(upload ? { headers: { 'content-type': upload.contentType }, body: upload.bytes } : {}),
  });
  const text = await response.text();
  const json = text ? (JSON.parse(text) as { type?: string; title?: string; detail?: string; errors?: Array<{ path: string; message: string }> }) : undefined;
  if (!response.ok) {
    throw new ShardlineApiError({
      type: json?.type ?? 'about:blank',
      title: json?.title ?? `HTTP ${response.status}`,
      status: response.status,
      detail: json?.detail ?? text.slice(0, 200),
      ...(json?.errors ? { errors: json.errors } : {}),
    });
  }
  return json;
}

/** The upload's content type from the file name: a tarball, an ES module, or CommonJS. */
function contentTypeOf(file: string): string {
  if (/\.(tgz|tar\.gz)$/.test(file)) return 'application/gzip';
  return 'application/javascript';
}

/** `shardline plugins publish|list|describe|delete`: transform plugins over the REST API. */
export function pluginsCommand(globals: () => GlobalOptions): Command {
  const int = (v: string) => Number.parseInt(v, 10);
  const plugins = new Command('plugins').description('publish, list, describe and delete Firehose transform plugins');
  plugins
    .command('publish <name> <file>')
    .description('publish a new version from a .js, .mjs or .tgz (npm pack) file')
    .option('--handler <name>', 'exported function, or file.export in a tarball (default handler)')
    .option('--memory <MiB>', 'memory limit (default 128)', int)
    .option('--timeout <seconds>', 'batch timeout (default 60, at most 300)', int)
    .option('--env <KEY=value...>', 'environment variables of the plugin', [])
    .option('--description <text>')
    .action(async (name: string, file: string, o: PublishOptions) => {
      const query = new URLSearchParams();
      if (file.endsWith('.mjs')) query.set('kind', 'mjs');
      if (o.handler) query.set('handler', o.handler);
      if (o.memory !== undefined) query.set('memoryMiB', String(o.memory));
      if (o.timeout !== undefined) query.set('timeoutSeconds', String(o.timeout));
      if (o.description) query.set('description', o.description);
      for (const pair of o.env) query.append('env', pair);
      const path = `/v1/plugins/${encodeURIComponent(name)}/versions${query.size ? `?${query}` : ''}`;
      print(await call(globals().endpoint, 'POST', path, { bytes: await readFile(file), contentType: contentTypeOf(file) }));
    });
  plugins.command('list').description('list plugins').action(async () => print(await call(globals().endpoint, 'GET', '/v1/plugins')));
  plugins
    .command('describe <name>')
    .description('a plugin and its versions')
    .action(async (name: string) => print(await call(globals().endpoint, 'GET', `/v1/plugins/${encodeURIComponent(name)}`)));
  plugins
    .command('delete <name>')
    .description('delete a plugin and all its versions')
    .action(async (name: string) => print(await call(globals().endpoint, 'DELETE', `/v1/plugins/${encodeURIComponent(name)}`)));
  return plugins;
}
