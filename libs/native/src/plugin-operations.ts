/**
 * Transform plugins over the native APIs (REST under /v1/plugins, NATS on shardline.api.<name>):
 * publish a version (the file as the body, or base64 in JSON like Lambda's ZipFile), list
 * plugins, describe one with its versions, delete one. Delivery streams name a plugin by its functionArn or name.
 */
import { notFound, unavailable } from '@shardline/protocol';
import { InvalidArtifactError, pluginArn } from '@shardline/firehose';
import type { StoredPlugin, StoredPluginVersion } from '@shardline/metadata';
import { defineOperation, parse, type NativePlugins, type NativeServices } from './operation';
import { ValidationProblem } from './problems';
import { noParams, noQuery } from './schemas';
import {
  RAW_PLUGIN_TYPES,
  environment,
  environmentOfQuery,
  pluginDeleted,
  pluginList,
  pluginParams,
  pluginVersionView,
  pluginView,
  publishPluginBody,
  publishPluginQuery,
  rawPluginBody,
} from './plugin-schemas';

function pluginsOf(services: NativeServices): NativePlugins {
  if (!services.plugins) throw unavailable('Transform plugins are not available on this server');
  return services.plugins;
}

function versionJson(plugins: NativePlugins, v: StoredPluginVersion) {
  return {
    ...v,
    functionArn: pluginArn(plugins.region, plugins.accountId, v.name, v.version),
    createdAt: v.createdAt.toISOString(),
  };
}

function summaryJson(plugins: NativePlugins, p: StoredPlugin) {
  return {
    name: p.name,
    latestVersion: p.latestVersion,
    functionArn: pluginArn(plugins.region, plugins.accountId, p.name, 'latest'),
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}

export const publishPluginVersion = defineOperation({
  name: 'publishPluginVersion',
  method: 'POST',
  path: '/v1/plugins/{name}/versions',
  summary:
    'Publish a new version of a transform plugin (creating the plugin): JSON with base64 code, or the .js/.mjs/.tgz file as the body ' +
    '(configuration then in the query); streams on $LATEST switch at their next batch',
  status: 201,
  params: pluginParams,
  query: publishPluginQuery,
  body: publishPluginBody,
  bodyBranch: (raw) => (Buffer.isBuffer(raw) ? rawPluginBody : publishPluginBody),
  rawContentTypes: RAW_PLUGIN_TYPES,
  response: pluginVersionView,
  async run(services, { params, query, body }) {
    const plugins = pluginsOf(services);
    const { env, ...fromQuery } = query;
    const queryEnvironment = environmentOfQuery(env);
    const { code, ...fromBody } = body;
    const config = {
      ...fromQuery,
      ...(queryEnvironment ? { environment: parse(environment, queryEnvironment, 'query.env') } : {}),
      ...fromBody,
    };
    try {
      const stored = await plugins.catalog.publish({ ...config, name: params.name, code: Buffer.from(code, 'base64') });
      return versionJson(plugins, stored);
    } catch (err) {
      if (err instanceof InvalidArtifactError) throw new ValidationProblem([{ path: 'body.code', message: err.message }]);
      throw err;
    }
  },
});

export const listPlugins = defineOperation({
  name: 'listPlugins',
  method: 'GET',
  path: '/v1/plugins',
  summary: 'List transform plugins with their newest version',
  params: noParams,
  query: noQuery,
  response: pluginList,
  async run(services) {
    const plugins = pluginsOf(services);
    return { plugins: (await plugins.catalog.list()).map((p) => summaryJson(plugins, p)) };
  },
});

export const describePlugin = defineOperation({
  name: 'describePlugin',
  method: 'GET',
  path: '/v1/plugins/{name}',
  summary: 'Describe a transform plugin and every version of it',
  params: pluginParams,
  query: noQuery,
  response: pluginView,
  async run(services, { params }) {
    const plugins = pluginsOf(services);
    const found = await plugins.catalog.describe(params.name);
    if (!found) throw notFound(`Plugin ${params.name} not found`);
    return { ...summaryJson(plugins, found.plugin), versions: found.versions.map((v) => versionJson(plugins, v)) };
  },
});

export const deletePlugin = defineOperation({
  name: 'deletePlugin',
  method: 'DELETE',
  path: '/v1/plugins/{name}',
  summary: 'Delete a transform plugin with all its versions (streams naming it fail their batches)',
  params: pluginParams,
  query: noQuery,
  response: pluginDeleted,
  async run(services, { params }) {
    if (!(await pluginsOf(services).catalog.delete(params.name))) throw notFound(`Plugin ${params.name} not found`);
    return { name: params.name, deleted: true as const };
  },
});
