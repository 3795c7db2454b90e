// Transform plugins: the host that runs them in child processes, the Postgres-backed
// registry of their versions, and the catalog the REST API publishes through.
export { TransformHost, invokeTransform } from './transform-host';
export type { TransformContext, TransformHostOptions, TransformResult } from './transform-host';
export { PluginRegistry } from './plugin-registry';
export type { NewVersionNotice, PluginRegistryOptions, ResolvedPlugin } from './plugin-registry';
export { DEFAULT_TIMEOUT_SECONDS, PluginCatalog } from './plugin-catalog';
export type { PublishPlugin } from './plugin-catalog';
export { InvalidArtifactError, inspectArtifact } from './artifact';
export type { ArtifactKind } from './artifact';
export { PLUGIN_NAME, parsePluginRef, pluginArn } from './plugin-ref';
export type { PluginRef } from './plugin-ref';
export { TransformBatchError } from '@shardline/plugin-sdk';
