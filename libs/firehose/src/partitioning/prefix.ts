/**
 * S3 Prefix / ErrorOutputPrefix expressions (Firehose developer guide, "Custom Prefixes for
 * Amazon S3 Objects"): `!{namespace:value}` with namespace
 *   timestamp              a Java DateTimeFormatter pattern, UTC, evaluated at the arrival time of
 *                          the oldest record of the object; every instance is the same instant
 *   firehose               random-string (11 chars, a new one per instance) or error-output-type
 *                          (ErrorOutputPrefix only)
 *   partitionKeyFromQuery  a key MetadataExtraction produced
 *   partitionKeyFromLambda a key the transform returned in metadata.partitionKeys
 */
import { parseJavaDatePattern, formatJavaDate } from './java-date-format';
import type { ErrorOutputType, FirehoseRecord } from '../model';

/** One piece of a parsed prefix. */
export type PrefixPart =
  | { kind: 'text'; text: string }
  | { kind: 'timestamp'; pattern: string }
  | { kind: 'random-string' }
  | { kind: 'error-output-type' }
  | { kind: 'query'; key: string }
  | { kind: 'lambda'; key: string };

/** What an expression is evaluated against. */
export interface PrefixContext {
  /** Epoch ms: the arrival time of the oldest record of the object. */
  timestamp: number;
  partitionKeys?: FirehoseRecord['partitionKeys'];
  errorOutputType?: ErrorOutputType;
  /** Source of `!{firehose:random-string}`; injected so tests (and redelivery) are deterministic. */
  randomString: () => string;
}

/** AWS's default time prefix, also appended to a Prefix with no timestamp expression. */
export const DEFAULT_TIME_EXPRESSION = '!{timestamp:yyyy/MM/dd/HH/}';

/** Parses a prefix; throws an Error whose message is the InvalidArgumentException text. */
export function parsePrefix(prefix: string, field: 'Prefix' | 'ErrorOutputPrefix' = 'Prefix'): PrefixPart[] {
  const parts: PrefixPart[] = [];
  let rest = prefix;
  while (rest.length > 0) {
    const start = rest.indexOf('!{');
    if (start === -1) {
      parts.push({ kind: 'text', text: rest });
      break;
    }
    if (start > 0) parts.push({ kind: 'text', text: rest.slice(0, start) });
    const end = rest.indexOf('}', start);
    if (end === -1) throw new Error(`${field} has an unterminated expression: ${rest.slice(start)}`);
    parts.push(expression(rest.slice(start + 2, end), field));
    rest = rest.slice(end + 1);
  }
  return parts;
}

function expression(body: string, field: string): PrefixPart {
  const colon = body.indexOf(':');
  const namespace = colon === -1 ? body : body.slice(0, colon);
  const value = colon === -1 ? '' : body.slice(colon + 1);
  switch (namespace) {
    case 'timestamp':
      try {
        parseJavaDatePattern(value);
      } catch (err) {
        throw new Error(`${field} has an invalid timestamp pattern '${value}': ${(err as Error).message}`);
      }
      if (value === '') throw new Error(`${field} has an empty timestamp pattern`);
      return { kind: 'timestamp', pattern: value };
    case 'firehose':
      if (value === 'random-string') return { kind: 'random-string' };
      if (value === 'error-output-type') return { kind: 'error-output-type' };
      throw new Error(`${field} has an unknown firehose expression: !{firehose:${value}}`);
    case 'partitionKeyFromQuery':
    case 'partitionKeyFromLambda':
      if (value === '') throw new Error(`${field} has an empty partition key name: !{${body}}`);
      return { kind: namespace === 'partitionKeyFromQuery' ? 'query' : 'lambda', key: value };
    default:
      throw new Error(`${field} has an unknown namespace in expression !{${body}}; the sequence !{ can only start a !{namespace:value} expression`);
  }
}

/** Whether a parsed prefix holds any expression. */
export function hasExpressions(parts: readonly PrefixPart[]): boolean {
  return parts.some((p) => p.kind !== 'text');
}

/** Evaluates a parsed prefix; throws when a partition key is missing (the record is 'partitioning-failed'). */
export function evaluatePrefix(parts: readonly PrefixPart[], context: PrefixContext): string {
  return parts
    .map((part) => {
      switch (part.kind) {
        case 'text':
          return part.text;
        case 'timestamp':
          return formatJavaDate(part.pattern, context.timestamp);
        case 'random-string':
          return context.randomString();
        case 'error-output-type':
          if (!context.errorOutputType) throw new Error('!{firehose:error-output-type} is only valid in ErrorOutputPrefix');
          return context.errorOutputType;
        case 'query':
        case 'lambda': {
          const keys = part.kind === 'query' ? context.partitionKeys?.query : context.partitionKeys?.lambda;
          const value = keys?.[part.key];
          if (value === undefined) {
            const namespace = part.kind === 'query' ? 'partitionKeyFromQuery' : 'partitionKeyFromLambda';
            throw new Error(`The partition key ${part.key} of !{${namespace}:${part.key}} is missing from the record`);
          }
          return value;
        }
      }
    })
    .join('');
}
