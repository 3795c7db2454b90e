/**
 * The Prefix / ErrorOutputPrefix pair of an S3 destination: AWS's validation rules and
 * defaults (Firehose developer guide, "Custom Prefixes for Amazon S3 Objects" > Semantic
 * rules, and "Dynamic Partitioning" > S3 bucket prefix / error handling):
 * - `!{` only starts a `!{namespace:value}` expression;
 * - Prefix can't contain `!{firehose:error-output-type}`;
 * - an ErrorOutputPrefix with expressions must contain `!{firehose:error-output-type}` and
 *   can't use partition keys;
 * - ErrorOutputPrefix can be null only if Prefix has no expressions; then errors go to
 *   `<Prefix><error-output-type>/yyyy/MM/dd/HH/`;
 * - a Prefix with no timestamp expression gets `!{timestamp:yyyy/MM/dd/HH/}` appended (not
 *   with dynamic partitioning, whose object keys are the evaluated prefix alone);
 * - with dynamic partitioning, Prefix must use partitionKeyFromQuery or partitionKeyFromLambda
 *   and ErrorOutputPrefix is required; without it, partition keys are refused.
 * The messages are Shardline's wording of these rules (AWS's exact texts are not published).
 */
import { invalidArgument } from '@shardline/protocol';
import { DEFAULT_TIME_EXPRESSION, hasExpressions, parsePrefix, type PrefixPart } from './prefix';

/** Prefix and ErrorOutputPrefix after defaults, ready to evaluate. */
export interface ResolvedPrefixes {
  data: PrefixPart[];
  error: PrefixPart[];
}

/** The API's maximum length of Prefix and ErrorOutputPrefix (Length Constraints 0-1024). */
const MAX_TEMPLATE_LENGTH = 1024;
/** Neither prefix may exceed 512 characters once evaluated. */
export const MAX_EVALUATED_PREFIX_LENGTH = 512;

/** Throws InvalidArgumentException when the pair breaks one of AWS's rules. */
export function validatePrefixes(prefix: string | undefined, errorOutputPrefix: string | undefined, dynamicPartitioningEnabled: boolean): void {
  resolvePrefixes(prefix, errorOutputPrefix, dynamicPartitioningEnabled);
}

/** Validates the pair and applies AWS's defaults. */
export function resolvePrefixes(prefix: string | undefined, errorOutputPrefix: string | undefined, dynamicPartitioningEnabled: boolean): ResolvedPrefixes {
  const data = parse(prefix ?? '', 'Prefix');
  const errorGiven = errorOutputPrefix !== undefined && errorOutputPrefix !== '';
  const error = errorGiven ? parse(errorOutputPrefix, 'ErrorOutputPrefix') : [];

  if (data.some((p) => p.kind === 'error-output-type')) {
    throw invalidArgument('Prefix cannot contain !{firehose:error-output-type}; it can only be used in ErrorOutputPrefix.');
  }
  const usesKeys = data.some((p) => p.kind === 'query' || p.kind === 'lambda');
  if (dynamicPartitioningEnabled) {
    if (!usesKeys) {
      throw invalidArgument('When dynamic partitioning is enabled, Prefix must contain at least one !{partitionKeyFromQuery:key} or !{partitionKeyFromLambda:key} expression.');
    }
    if (!errorGiven) throw invalidArgument('ErrorOutputPrefix must be specified when dynamic partitioning is enabled.');
  } else if (usesKeys) {
    throw invalidArgument('Prefix can contain partitionKeyFromQuery or partitionKeyFromLambda expressions only when dynamic partitioning is enabled.');
  }
  if (!errorGiven && hasExpressions(data)) {
    throw invalidArgument('ErrorOutputPrefix cannot be null or empty when Prefix contains expressions.');
  }
  if (errorGiven && hasExpressions(error)) {
    if (!error.some((p) => p.kind === 'error-output-type')) {
      throw invalidArgument('ErrorOutputPrefix must contain !{firehose:error-output-type} when it contains expressions.');
    }
    if (error.some((p) => p.kind === 'query' || p.kind === 'lambda')) {
      throw invalidArgument('ErrorOutputPrefix cannot contain partitionKeyFromQuery or partitionKeyFromLambda expressions.');
    }
  }

  const time = parsePrefix(DEFAULT_TIME_EXPRESSION);
  const errorType: PrefixPart[] = [{ kind: 'error-output-type' }, { kind: 'text', text: '/' }];
  const hasTimestamp = data.some((p) => p.kind === 'timestamp');
  const resolvedData = !dynamicPartitioningEnabled && !hasTimestamp ? [...data, ...time] : data;
  let resolvedError: PrefixPart[];
  if (!errorGiven) resolvedError = [...data, ...errorType, ...time];
  else if (!hasExpressions(error)) resolvedError = [...error, ...errorType, ...time];
  else resolvedError = error;
  return { data: resolvedData, error: resolvedError };
}

function parse(template: string, field: 'Prefix' | 'ErrorOutputPrefix'): PrefixPart[] {
  if (template.length > MAX_TEMPLATE_LENGTH) {
    throw invalidArgument(`${field} is longer than ${MAX_TEMPLATE_LENGTH} characters.`);
  }
  try {
    return parsePrefix(template, field);
  } catch (err) {
    throw invalidArgument((err as Error).message);
  }
}
