import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Script } from 'node:vm';
import { gunzipSync } from 'node:zlib';
import { Parser, Unpack, type ReadEntry } from 'tar';

/** How a plugin's code is packaged (the registry's `kind`). */
export type ArtifactKind = 'js' | 'mjs' | 'tgz';

/** An upload the registry refuses, with the reason (a 400 at the REST edge). */
export class InvalidArtifactError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidArtifactError';
  }
}

const GZIP_MAGIC = 0x1f8b;
/** Lambda's limit for unpacked code. */
const MAX_UNPACKED_BYTES = 250 * 1024 * 1024;
const ESM_HINT = /\b(import|export)\b|await is only valid/;

/**
 * Checks an uploaded plugin and tells its kind: a gzipped tarball (it must hold package.json
 * with `main`, or index.js/.mjs/.cjs, at its root or under npm pack's `package/`), an ES module,
 * or a CommonJS script (compiled, not run, to catch syntax errors now rather than per batch).
 */
export async function inspectArtifact(code: Buffer, declared?: ArtifactKind, handler = 'handler'): Promise<ArtifactKind> {
  if (code.length === 0) throw new InvalidArtifactError('The plugin code is empty');
  if (code.length >= 2 && code.readUInt16BE(0) === GZIP_MAGIC) {
    await tarballEntries(code, handlerModule(handler));
    return 'tgz';
  }
  if (declared === 'tgz') throw new InvalidArtifactError('The plugin was declared a tarball but is not gzip');
  const text = code.toString('utf8');
  if (text.includes('\uFFFD')) throw new InvalidArtifactError('The plugin code is neither UTF-8 JavaScript nor a gzipped tarball');
  if (declared === 'mjs') return 'mjs';
  try {
    // Parsed as Node wraps a CommonJS module (so a top-level `return` is fine); never executed.
    new Script(`(function (exports, require, module, __filename, __dirname) {${text}\n})`, { filename: 'plugin.js' });
    return 'js';
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (ESM_HINT.test(message) || /^\s*(import|export)\s/m.test(text)) return 'mjs';
    throw new InvalidArtifactError(`The plugin does not compile: ${message}`);
  }
}

/** The file part of a `path/file.export` handler, undefined for a bare export name. */
function handlerModule(handler: string): string | undefined {
  const dot = handler.lastIndexOf('.');
  return dot < 0 ? undefined : handler.slice(0, dot);
}

/** Entry paths of a tarball (refusing one that is not a readable tar or has no module to load). */
async function tarballEntries(code: Buffer, module?: string): Promise<string[]> {
  const paths: string[] = [];
  let manifest = '';
  try {
    const parser = new Parser({
      onReadEntry: (entry: ReadEntry) => {
        paths.push(entry.path);
        if (stripPackage(entry.path) === 'package.json') entry.on('data', (chunk: Buffer) => (manifest += chunk.toString('utf8')));
        else entry.resume();
      },
    });
    await pipeline(Readable.from([code]), parser);
  } catch (err) {
    throw new InvalidArtifactError(`The tarball cannot be read: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (paths.length === 0) throw new InvalidArtifactError('The tarball is empty or not a tar archive');
  const files = new Set(paths.map(stripPackage));
  if (module) {
    if ([module, `${module}.js`, `${module}.mjs`, `${module}.cjs`].some((c) => files.has(c))) return paths;
    throw new InvalidArtifactError(`The handler's module ${module} is not in the tarball`);
  }
  const main = manifest ? mainOf(manifest) : undefined;
  const candidates = main ? [main, `${main}.js`, `${main}/index.js`] : ['index.js', 'index.mjs', 'index.cjs'];
  if (!candidates.some((c) => files.has(c.replace(/^\.\//, '')))) {
    throw new InvalidArtifactError(
      main ? `The tarball's package.json main (${main}) is not in the tarball` : 'The tarball has neither package.json with main nor index.js',
    );
  }
  return paths;
}

function mainOf(manifest: string): string | undefined {
  try {
    const main = (JSON.parse(manifest) as { main?: unknown }).main;
    return typeof main === 'string' ? main.replace(/^\.\//, '') : undefined;
  } catch {
    throw new InvalidArtifactError('The tarball’s package.json is not JSON');
  }
}

const stripPackage = (path: string) => path.replace(/^\.\//, '').replace(/^package\//, '');

/**
 * Writes a version's code to `dir` (created atomically: unpacked beside it, then renamed),
 * the file as index.js / index.mjs, a tarball unpacked (npm pack's `package/` folder flattened).
 */
export async function materialize(code: Buffer, kind: ArtifactKind, dir: string): Promise<void> {
  const staging = `${dir}.${process.pid}.${Date.now()}.tmp`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  try {
    if (kind === 'tgz') {
      const packed = (await tarballEntries(code)).every((p) => p.replace(/^\.\//, '').startsWith('package/'));
      try {
        gunzipSync(code, { maxOutputLength: MAX_UNPACKED_BYTES }); // a zip bomb stops here, not on the disk
      } catch {
        throw new InvalidArtifactError('The tarball is not valid gzip or unpacks to more than 250 MiB');
      }
      // tar refuses absolute paths and `..` by default (preservePaths: false).
      await pipeline(Readable.from([code]), new Unpack({ cwd: staging, strip: packed ? 1 : 0 }));
    } else {
      await writeFile(`${staging}/index.${kind}`, code);
    }
    await rename(staging, dir).catch(async (err: NodeJS.ErrnoException) => {
      // Another process materialized the same version first: theirs is identical.
      if (err.code !== 'ENOTEMPTY' && err.code !== 'EEXIST') throw err;
      await rm(staging, { recursive: true, force: true });
    });
  } catch (err) {
    await rm(staging, { recursive: true, force: true });
    throw err;
  }
}
