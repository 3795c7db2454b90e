import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { tarball } from '../../../../test/support/tarball';
import { inspectArtifact, materialize } from './artifact';

describe('inspectArtifact', () => {
  it('tells CommonJS, ES modules and tarballs apart', async () => {
    expect(await inspectArtifact(Buffer.from('exports.handler = async () => ({ records: [] });'))).toBe('js');
    expect(await inspectArtifact(Buffer.from('export const handler = async () => ({ records: [] });'))).toBe('mjs');
    expect(await inspectArtifact(Buffer.from('import x from "y"; export { x as handler };'))).toBe('mjs');
    expect(await inspectArtifact(await tarball({ 'index.js': 'exports.handler = 1' }))).toBe('tgz');
    expect(await inspectArtifact(await tarball({ 'package/package.json': '{"main":"lib/a"}', 'package/lib/a.js': '' }))).toBe('tgz');
  });

  it('refuses what cannot run', async () => {
    await expect(inspectArtifact(Buffer.alloc(0))).rejects.toThrow('empty');
    await expect(inspectArtifact(Buffer.from('exports.handler = ('))).rejects.toThrow('does not compile');
    await expect(inspectArtifact(gzipSync(Buffer.from('not a tar')))).rejects.toThrow(/tarball/);
    await expect(inspectArtifact(await tarball({ 'package/package.json': '{"main":"gone.js"}', 'package/other.js': '' }))).rejects.toThrow('main (gone.js) is not in the tarball');
    await expect(inspectArtifact(Buffer.from('x'), 'tgz')).rejects.toThrow('not gzip');
  });
});

describe('materialize', () => {
  const dir = mkdtempSync(join(tmpdir(), 'artifact-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a file as index.<kind> and unpacks npm pack’s package/ folder flat', async () => {
    await materialize(Buffer.from('export const handler = 1;'), 'mjs', join(dir, 'one'));
    expect(readFileSync(join(dir, 'one', 'index.mjs'), 'utf8')).toBe('export const handler = 1;');
    await materialize(await tarball({ 'package/package.json': '{"main":"lib/a.js"}', 'package/lib/a.js': 'A' }), 'tgz', join(dir, 'two'));
    expect(readFileSync(join(dir, 'two', 'lib', 'a.js'), 'utf8')).toBe('A');
  });
});
