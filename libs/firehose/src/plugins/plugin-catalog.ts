import type { DataSource } from 'typeorm';
import { PluginRepository, type StoredPlugin, type StoredPluginVersion } from '@shardline/metadata';
import { DEFAULT_MEMORY_MIB } from '@shardline/plugin-sdk';
import { inspectArtifact, type ArtifactKind } from './artifact';

/** A version to publish, as the REST API takes it. */
export interface PublishPlugin {
  name: string;
  code: Buffer;
  /** Declared packaging; detected from the bytes when absent (gzip: a tarball; else JS, CommonJS or ESM). */
  kind?: ArtifactKind;
  /** Exported function (default `handler`), or `file.export` inside a tarball. */
  handler?: string;
  environment?: Record<string, string>;
  memoryMiB?: number;
  timeoutSeconds?: number;
  description?: string;
}

/** Lambda's default for a new function (3 s) is too short for a Firehose batch; Firehose recommends >= 1 minute. */
export const DEFAULT_TIMEOUT_SECONDS = 60;

/** Publishing and listing plugins: checks each upload (InvalidArtifactError) before it is stored. */
export class PluginCatalog {
  private readonly repository: PluginRepository;

  constructor(dataSource: DataSource) {
    this.repository = new PluginRepository(dataSource);
  }

  async publish(input: PublishPlugin): Promise<StoredPluginVersion> {
    const kind = await inspectArtifact(input.code, input.kind, input.handler);
    return this.repository.publish({
      name: input.name,
      kind,
      code: input.code,
      handler: input.handler ?? 'handler',
      environment: input.environment ?? {},
      memoryMiB: input.memoryMiB ?? DEFAULT_MEMORY_MIB,
      timeoutSeconds: input.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS,
      description: input.description ?? '',
    });
  }

  list(): Promise<StoredPlugin[]> {
    return this.repository.list();
  }

  /** A plugin with its versions, undefined when there is none. */
  async describe(name: string): Promise<{ plugin: StoredPlugin; versions: StoredPluginVersion[] } | undefined> {
    const plugin = await this.repository.plugin(name);
    return plugin ? { plugin, versions: await this.repository.versions(name) } : undefined;
  }

  delete(name: string): Promise<boolean> {
    return this.repository.delete(name);
  }
}
