import { EventEmitter } from 'node:events';
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { PoolClient } from 'pg';
import type { DataSource } from 'typeorm';
import { PLUGIN_VERSION_CHANNEL, PluginRepository, type StoredPluginVersion } from '@shardline/metadata';
import { resolveEntry, TransformBatchError } from '@shardline/plugin-sdk';
import { materialize } from './artifact';
import { parsePluginRef, type PluginRef } from './plugin-ref';

/** A plugin version ready to run: its code on local disk and its configuration. */
export interface ResolvedPlugin {
  name: string;
  version: number;
  /** Absolute path of the module to load. */
  entry: string;
  /** Directory the code was unpacked in. */
  dir: string;
  /** Exported function name. */
  handler: string;
  environment: Record<string, string>;
  memoryMiB: number;
  timeoutSeconds: number;
  codeSha256: string;
}

/** Options of a registry. */
export interface PluginRegistryOptions {
  /** Code is unpacked under `<dataDir>/plugins/<name>/<version>-<sha>`. */
  dataDir: string;
  /** How long "newest version" answers are trusted without a notice (a lost NOTIFY heals within it). */
  latestTtlMs?: number;
  now?: () => number;
}

/** The notice of a new version (version 0: the plugin was deleted). */
export interface NewVersionNotice {
  name: string;
  version: number;
}

const LATEST_TTL_MS = 5_000;
const RELISTEN_MS = 1_000;

/**
 * Resolves plugin references to code on local disk, from Postgres (PluginRepository), and
 * tells listeners about new versions (Postgres LISTEN/NOTIFY, so a version published through
 * any gateway reaches every firehose process). Versions are immutable: once unpacked, a
 * version is served from disk; only "the newest version of X" is ever re-read.
 */
export class PluginRegistry {
  readonly repository: PluginRepository;
  private readonly events = new EventEmitter();
  private readonly latest = new Map<string, { version: number; at: number }>();
  private readonly resolved = new Map<string, Promise<ResolvedPlugin>>();
  private release?: () => Promise<void>;
  private stopped = false;
  private relisten?: NodeJS.Timeout;
  private readonly now: () => number;

  constructor(
    private readonly dataSource: DataSource,
    private readonly options: PluginRegistryOptions,
  ) {
    this.repository = new PluginRepository(dataSource);
    this.now = options.now ?? Date.now;
  }

  /** Listens for new versions on a connection of its own (re-established if it breaks). */
  async start(): Promise<void> {
    this.stopped = false;
    await this.listen();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.relisten);
    await this.release?.();
    this.release = undefined;
  }

  private async listen(): Promise<void> {
    const runner = this.dataSource.createQueryRunner();
    const client = (await runner.connect()) as PoolClient;
    const onNotice = (msg: { channel: string; payload?: string }) => {
      if (msg.channel !== PLUGIN_VERSION_CHANNEL || !msg.payload) return;
      const notice = JSON.parse(msg.payload) as NewVersionNotice;
      this.latest.delete(notice.name);
      if (notice.version === 0) for (const key of this.resolved.keys()) if (key.startsWith(`${notice.name}:`)) this.resolved.delete(key);
      this.events.emit('version', notice);
    };
    // A broken connection would miss notices: answers of "newest" fall back to their TTL until it is back.
    const onError = () => {
      this.latest.clear();
      void this.release?.();
      this.release = undefined;
      if (!this.stopped) this.relisten = setTimeout(() => void this.listen().catch(onError), RELISTEN_MS);
    };
    client.on('notification', onNotice);
    client.once('error', onError);
    await runner.query(`LISTEN ${PLUGIN_VERSION_CHANNEL}`);
    this.release = async () => {
      client.off('notification', onNotice);
      client.off('error', onError);
      await runner.query(`UNLISTEN ${PLUGIN_VERSION_CHANNEL}`).catch(() => undefined);
      await runner.release().catch(() => undefined);
    };
  }

  /** Calls back on every new version of any plugin; returns the unsubscribe function. */
  onNewVersion(listener: (notice: NewVersionNotice) => void): () => void {
    this.events.on('version', listener);
    return () => this.events.off('version', listener);
  }

  /**
   * The version a reference names, unpacked on disk. A missing plugin or version fails the
   * batch with a TransformBatchError (Lambda.ResourceNotFound), which the pipeline retries.
   */
  async resolve(ref: string | PluginRef): Promise<ResolvedPlugin> {
    const { name, version } = typeof ref === 'string' ? parsePluginRef(ref) : ref;
    const number = version === 'latest' ? await this.latestVersion(name) : version;
    const key = `${name}:${number}`;
    let found = this.resolved.get(key);
    if (!found) {
      found = this.load(name, number);
      this.resolved.set(key, found);
      found.catch(() => this.resolved.delete(key));
    }
    return found;
  }

  private async latestVersion(name: string): Promise<number> {
    const cached = this.latest.get(name);
    if (cached && this.now() - cached.at < (this.options.latestTtlMs ?? LATEST_TTL_MS)) return cached.version;
    const plugin = await this.repository.plugin(name);
    if (!plugin || plugin.latestVersion === 0) throw notFound(`No plugin named ${name}`);
    this.latest.set(name, { version: plugin.latestVersion, at: this.now() });
    return plugin.latestVersion;
  }

  private async load(name: string, number: number): Promise<ResolvedPlugin> {
    const stored = await this.repository.version(name, number);
    if (!stored) throw notFound(`Plugin ${name} has no version ${number}`);
    const dir = join(this.options.dataDir, 'plugins', name, `${number}-${stored.codeSha256.slice(0, 16)}`);
    if (!(await stat(dir).then(() => true, () => false))) {
      const code = await this.repository.code(name, number);
      if (!code) throw notFound(`Plugin ${name} has no version ${number}`);
      await mkdir(join(this.options.dataDir, 'plugins', name), { recursive: true });
      await materialize(code, stored.kind, dir);
    }
    const { file, exportName } = await entryOf(dir, stored);
    return {
      name,
      version: number,
      entry: file,
      dir,
      handler: exportName,
      environment: stored.environment,
      memoryMiB: stored.memoryMiB,
      timeoutSeconds: stored.timeoutSeconds,
      codeSha256: stored.codeSha256,
    };
  }
}

/** Lambda's handler string: `handler` (an export of the package's main) or `path/file.handler`. */
async function entryOf(dir: string, stored: StoredPluginVersion): Promise<{ file: string; exportName: string }> {
  const dot = stored.handler.lastIndexOf('.');
  const exportName = dot < 0 ? stored.handler : stored.handler.slice(dot + 1);
  // A single-file plugin is stored as index.js/.mjs: only a tarball's handler names a file.
  const modulePath = dot < 0 || stored.kind !== 'tgz' ? undefined : stored.handler.slice(0, dot);
  let file: string | undefined;
  if (modulePath) {
    for (const candidate of [modulePath, `${modulePath}.js`, `${modulePath}.mjs`, `${modulePath}.cjs`]) {
      file = await stat(join(dir, candidate)).then((s) => (s.isFile() ? join(dir, candidate) : undefined), () => undefined);
      if (file) break;
    }
  } else file = await resolveEntry(dir);
  if (!file) throw new TransformBatchError(`Plugin ${stored.name}:${stored.version} has no module for handler ${stored.handler}`, 'Runtime.ImportModuleError');
  return { file, exportName };
}

function notFound(message: string): TransformBatchError {
  return new TransformBatchError(message, 'Lambda.ResourceNotFound');
}
