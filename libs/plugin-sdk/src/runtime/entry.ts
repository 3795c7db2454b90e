import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/**
 * The module to load for a plugin on disk: a file as is; a directory (an unpacked tarball) by
 * its package.json `main`, else index.js, index.mjs or index.cjs. Undefined when there is none.
 */
export async function resolveEntry(path: string): Promise<string | undefined> {
  const absolute = resolve(path);
  const info = await stat(absolute).catch(() => undefined);
  if (!info) return undefined;
  if (info.isFile()) return absolute;
  const manifest = await readFile(join(absolute, 'package.json'), 'utf8').then(
    (text) => JSON.parse(text) as { main?: unknown },
    () => undefined,
  );
  const main = typeof manifest?.main === 'string' ? manifest.main : undefined;
  const candidates = main ? [main, `${main}.js`, join(main, 'index.js')] : ['index.js', 'index.mjs', 'index.cjs'];
  for (const candidate of candidates) {
    const file = join(absolute, candidate);
    if (await stat(file).then((s) => s.isFile(), () => false)) return file;
  }
  return undefined;
}
