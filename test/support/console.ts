import { execFile } from 'node:child_process';
import { readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const ROOT = join(__dirname, '../..');
const SOURCE = join(ROOT, 'apps/console');
export const CONSOLE_OUT = join(ROOT, 'dist/console');

async function newestUnder(dir: string): Promise<number> {
  const entries = await readdir(dir, { withFileTypes: true });
  const times = await Promise.all(
    entries.map((e) => (e.isDirectory() ? newestUnder(join(dir, e.name)) : stat(join(dir, e.name)).then((s) => s.mtimeMs))),
  );
  return Math.max(0, ...times);
}

/**
 * Builds the console (vite build, as `npm run build:console` does) when dist/console is missing
 * or older than its sources. It builds into a directory of its own and renames it into place,
 * so a gateway serving the old build (or another test building) never sees a half-written one.
 */
export async function ensureConsoleBuilt(): Promise<void> {
  const built = await stat(join(CONSOLE_OUT, 'index.html')).then((s) => s.mtimeMs, () => 0);
  if (built > (await newestUnder(SOURCE))) return;
  const out = `${CONSOLE_OUT}.build-${process.pid}`;
  const vite = join(ROOT, 'node_modules/vite/bin/vite.js');
  await promisify(execFile)(process.execPath, [vite, 'build', '--config', join(SOURCE, 'vite.config.mjs'), '--outDir', out, '--emptyOutDir'], { cwd: ROOT });
  const old = `${CONSOLE_OUT}.old-${process.pid}`;
  await rename(CONSOLE_OUT, old).catch(() => undefined);
  await rename(out, CONSOLE_OUT);
  await rm(old, { recursive: true, force: true });
}
