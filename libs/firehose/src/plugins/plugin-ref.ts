/**
 * A delivery stream's reference to its transform: a Lambda-style function ARN
 * `arn:aws:lambda:<region>:<account>:function:<name>[:<version>|:$LATEST]`, or a plain
 * name (`<name>[:<version>|:$LATEST]`). No qualifier or $LATEST means the newest version.
 */
export interface PluginRef {
  name: string;
  version: number | 'latest';
}

/** Lambda's function-name alphabet and length. */
export const PLUGIN_NAME = /^[A-Za-z0-9_-]{1,64}$/;

const ARN = /^arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]*:\d{0,12}:function:([^:]+)(?::([^:]+))?$/;
const PLAIN = /^([^:]+)(?::([^:]+))?$/;

/** Parses a reference; throws a plain Error with the reason when it is not one. */
export function parsePluginRef(ref: string): PluginRef {
  const match = ARN.exec(ref) ?? (ref.startsWith('arn:') ? null : PLAIN.exec(ref));
  if (!match) throw new Error(`Not a plugin reference (a function ARN or a name): ${ref}`);
  const [, name, qualifier] = match;
  if (!PLUGIN_NAME.test(name!)) throw new Error(`Not a plugin name (1-64 of A-Z a-z 0-9 - _): ${name}`);
  if (qualifier === undefined || qualifier === '$LATEST') return { name: name!, version: 'latest' };
  if (!/^[1-9]\d{0,9}$/.test(qualifier)) throw new Error(`Not a plugin version (a number or $LATEST; aliases are not supported): ${qualifier}`);
  return { name: name!, version: Number(qualifier) };
}

/** The function ARN a plugin version is invoked as (context.invokedFunctionArn). */
export function pluginArn(region: string, accountId: string, name: string, version: number | 'latest'): string {
  return `arn:aws:lambda:${region}:${accountId}:function:${name}:${version === 'latest' ? '$LATEST' : version}`;
}
