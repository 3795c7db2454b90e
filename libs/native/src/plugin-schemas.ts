/** The zod schemas of the plugin routes (/v1/plugins): validation, NATS and OpenAPI from one definition. */
import { z } from 'zod';

const pluginName = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/)
  .describe('Plugin name, as a Lambda function name (1-64 of A-Z a-z 0-9 - _)');

/** Variables Shardline sets itself (Lambda's reserved ones) or that would lift the plugin's limits. */
const RESERVED_VARIABLE = /^(AWS_|LAMBDA_|_HANDLER$|NODE_OPTIONS$|TZ$)/;

export const environment = z
  .record(z.string(), z.string().max(4096))
  .superRefine((env, ctx) => {
    for (const key of Object.keys(env)) {
      if (!/^[A-Za-z_][A-Za-z0-9_]{0,127}$/.test(key)) ctx.addIssue({ code: 'custom', path: [key], message: 'Not a variable name (A-Z a-z 0-9 _, no leading digit)' });
      else if (RESERVED_VARIABLE.test(key)) ctx.addIssue({ code: 'custom', path: [key], message: 'Reserved variable (AWS_*, LAMBDA_*, NODE_OPTIONS, TZ)' });
    }
  })
  .describe('The only environment variables the plugin process gets (besides Lambda’s AWS_* ones)');

export const pluginParams = z.object({ name: pluginName });

const kind = z.enum(['js', 'mjs', 'tgz']).optional().describe('Packaging; detected from the bytes when absent');
const handler = z
  .string()
  .regex(/^[A-Za-z0-9_$./-]{1,128}$/)
  .optional()
  .describe('Exported function (default handler), or file.export inside a tarball (e.g. lib/main.handler)');
const description = z.string().max(256).optional();
const memoryMiB = z.number().int().min(32).max(10240).describe('Memory limit of the plugin process (default 128)');
const timeoutSeconds = z.number().int().min(1).max(300).describe('Longest batch (default 60, at most Lambda’s 300 for Firehose)');

/** A JSON upload: the code in base64, as Lambda's ZipFile, with the configuration. */
export const publishPluginBody = z.object({
  code: z.base64().min(1).describe('The code, base64: a .js (CommonJS), .mjs (ES module) or .tgz (npm pack; package.json main or index.js)'),
  kind,
  handler,
  environment: environment.optional(),
  memoryMiB: memoryMiB.optional(),
  timeoutSeconds: timeoutSeconds.optional(),
  description,
});

/** Content types a version may also be uploaded as, the file's bytes as they are. */
export const RAW_PLUGIN_TYPES = ['application/javascript', 'text/javascript', 'application/gzip', 'application/x-gzip', 'application/octet-stream'] as const;

/** A raw upload (the file as the body): its bytes, as the JSON branch's base64 code. */
export const rawPluginBody = z.instanceof(Buffer).transform((bytes) => ({ code: bytes.toString('base64') }));

/** The configuration of a raw upload, in the query (`env` repeated as KEY=value). */
export const publishPluginQuery = z.object({
  kind,
  handler,
  memoryMiB: z.coerce.number().pipe(memoryMiB).optional(),
  timeoutSeconds: z.coerce.number().pipe(timeoutSeconds).optional(),
  description,
  env: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .describe('Environment variables of a raw upload, each KEY=value (repeat the parameter)'),
});

/** `env=KEY=value` query values as the environment map (then checked by the body's rules). */
export function environmentOfQuery(env: string | string[] | undefined): Record<string, string> | undefined {
  if (env === undefined) return undefined;
  const pairs = Array.isArray(env) ? env : [env];
  return Object.fromEntries(pairs.map((pair) => [pair.split('=', 1)[0]!, pair.slice(pair.indexOf('=') + 1)]));
}

export const pluginVersionView = z.object({
  name: z.string(),
  version: z.number().int(),
  functionArn: z.string().describe('The Lambda-style ARN a delivery stream names this version by'),
  kind: z.enum(['js', 'mjs', 'tgz']),
  handler: z.string(),
  codeSha256: z.string(),
  codeSize: z.number().int(),
  environment: z.record(z.string(), z.string()),
  memoryMiB: z.number().int(),
  timeoutSeconds: z.number().int(),
  description: z.string(),
  createdAt: z.string().describe('ISO 8601'),
});

export const pluginSummary = z.object({
  name: z.string(),
  latestVersion: z.number().int(),
  functionArn: z.string().describe('ARN of the newest version ($LATEST)'),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const pluginList = z.object({ plugins: z.array(pluginSummary) });
export const pluginView = pluginSummary.extend({ versions: z.array(pluginVersionView) });
export const pluginDeleted = z.object({ name: z.string(), deleted: z.literal(true) });
