/**
 * Aggregate functions as accumulators whose state is plain JSON when saved (for checkpoints).
 * NULL inputs are skipped, as SQL does; COUNT(*) counts rows.
 */
import { TDigest } from 'tdigest';
import type { Expr } from '../parser/ast';
import { SqlError } from '../parser/errors';

/** One aggregate's arithmetic: state in, state out; `save`/`load` convert state to and from JSON. */
export interface Accumulator<S = unknown> {
  init(): S;
  add(state: S, value: unknown): S;
  result(state: S): unknown;
  /** Combines two states (session windows merging); may reuse `a`. */
  merge(a: S, b: S): S;
  save(state: S): unknown;
  load(saved: unknown): S;
}

const identity = <S>(state: S) => state;
const skipNull = (value: unknown) => value === null || value === undefined;

const count: Accumulator<number> = {
  init: () => 0,
  add: (n, value) => (skipNull(value) ? n : n + 1),
  merge: (a, b) => a + b,
  result: identity,
  save: identity,
  load: (saved) => saved as number,
};

const countRows: Accumulator<number> = { ...count, add: (n) => n + 1 };

const sum: Accumulator<number | null> = {
  init: () => null,
  add: (total, value) => (skipNull(value) ? total : (total ?? 0) + (value as number)),
  merge: (a, b) => (a === null ? b : b === null ? a : a + b),
  result: identity,
  save: identity,
  load: (saved) => saved as number | null,
};

/** [sum, count], updated in place so a row costs no allocation. */
const avg: Accumulator<[number, number]> = {
  init: () => [0, 0],
  add: (state, value) => {
    if (!skipNull(value)) {
      state[0] += value as number;
      state[1] += 1;
    }
    return state;
  },
  merge: (a, b) => [a[0] + b[0], a[1] + b[1]],
  result: ([total, n]) => (n === 0 ? null : total / n),
  save: (state) => [...state],
  load: (saved) => [...(saved as [number, number])],
};

function extreme(better: (a: never, b: never) => boolean): Accumulator<unknown> {
  const add = (best: unknown, value: unknown) => (skipNull(value) ? best : best === null || better(value as never, best as never) ? value : best);
  return {
  init: () => null,
  add,
  merge: add,
  result: identity,
  save: identity,
  load: identity,
  };
}

const countDistinct: Accumulator<Set<unknown>> = {
  init: () => new Set(),
  add: (seen, value) => (skipNull(value) ? seen : seen.add(value)),
  merge: (a, b) => {
    for (const value of b) a.add(value);
    return a;
  },
  result: (seen) => seen.size,
  save: (seen) => [...seen],
  load: (saved) => new Set(saved as unknown[]),
};

/** Approximate percentile over a t-digest (library: tdigest); `fraction` is 0..1 (or 0..100). */
function percentile(fraction: number): Accumulator<TDigest> {
  const p = fraction > 1 ? fraction / 100 : fraction;
  return {
    init: () => new TDigest(),
    add: (digest, value) => {
      if (!skipNull(value)) digest.push(value as number);
      return digest;
    },
    merge: (a, b) => {
      for (const { mean, n } of b.toArray()) a.push(mean, n);
      return a;
    },
    result: (digest) => (digest.size() === 0 ? null : digest.percentile(p)),
    save: (digest) => digest.toArray().map(({ mean, n }) => [mean, n]),
    load: (saved) => {
      const digest = new TDigest();
      for (const [mean, n] of saved as [number, number][]) digest.push(mean, n);
      return digest;
    },
  };
}

/**
 * TOP-K most frequent values, as [[value, count], ...] in descending count. Counts are exact within
 * a window (a Map per group): windows are bounded in time, so a sketch (Space-Saving) is not needed yet.
 */
function topK(k: number): Accumulator<Map<unknown, number>> {
  return {
    init: () => new Map(),
    add: (counts, value) => (skipNull(value) ? counts : counts.set(value, (counts.get(value) ?? 0) + 1)),
    merge: (a, b) => {
      for (const [value, n] of b) a.set(value, (a.get(value) ?? 0) + n);
      return a;
    },
    result: (counts) => [...counts].sort((a, b) => b[1] - a[1]).slice(0, k),
    save: (counts) => [...counts],
    load: (saved) => new Map(saved as [unknown, number][]),
  };
}

const simple: Record<string, Accumulator<never>> = {
  SUM: sum as Accumulator<never>,
  AVG: avg as Accumulator<never>,
  MIN: extreme((a: number, b: number) => a < b) as Accumulator<never>,
  MAX: extreme((a: number, b: number) => a > b) as Accumulator<never>,
  APPROX_COUNT_DISTINCT: countDistinct as Accumulator<never>,
};

const percentileNames = new Set(['APPROX_PERCENTILE', 'PERCENTILE_APPROX', 'APPROXIMATE_PERCENTILE']);
const aggregateNames = new Set(['COUNT', 'TOP_K', ...Object.keys(simple), ...percentileNames]);

export const isAggregateName = (name: string) => aggregateNames.has(name);

export const isAggregateCall = (expr: Expr): expr is Extract<Expr, { kind: 'call' }> =>
  expr.kind === 'call' && expr.over === undefined && aggregateNames.has(expr.name);

function numberArgument(call: Extract<Expr, { kind: 'call' }>, index: number, what: string): number {
  const arg = call.args[index];
  if (!arg || arg.kind !== 'literal' || typeof arg.value !== 'number') throw SqlError.at(call.pos, `${call.name} needs ${what} as a number literal`);
  return arg.value;
}

/** The accumulator of an aggregate call and the expression it reads (undefined for COUNT(*)). */
export function accumulatorFor(call: Extract<Expr, { kind: 'call' }>): { accumulator: Accumulator; input?: Expr } {
  const [first] = call.args;
  if (call.name === 'COUNT') {
    if (!first || first.kind === 'star') return { accumulator: countRows as Accumulator };
    return { accumulator: (call.distinct ? countDistinct : count) as Accumulator, input: first };
  }
  if (!first || first.kind === 'star') throw SqlError.at(call.pos, `${call.name} needs an argument`);
  if (percentileNames.has(call.name)) return { accumulator: percentile(numberArgument(call, 1, 'a percentile')) as Accumulator, input: first };
  if (call.name === 'TOP_K') return { accumulator: topK(numberArgument(call, 1, 'k')) as Accumulator, input: first };
  const accumulator = call.distinct && call.name !== 'MIN' && call.name !== 'MAX' ? undefined : simple[call.name];
  if (!accumulator) throw SqlError.at(call.pos, `${call.name}(DISTINCT ...) is not supported`);
  return { accumulator: accumulator as Accumulator, input: first };
}
