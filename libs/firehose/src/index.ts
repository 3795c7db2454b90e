export * from './model';
export {
  DEFAULT_TIMEOUT_SECONDS,
  InvalidArtifactError,
  PLUGIN_NAME,
  PluginCatalog,
  PluginRegistry,
  TransformBatchError,
  TransformHost,
  inspectArtifact,
  invokeTransform,
  parsePluginRef,
  pluginArn,
} from './plugins';
export type {
  ArtifactKind,
  NewVersionNotice,
  PluginRef,
  PluginRegistryOptions,
  PublishPlugin,
  ResolvedPlugin,
  TransformContext,
  TransformHostOptions,
  TransformResult,
} from './plugins';
