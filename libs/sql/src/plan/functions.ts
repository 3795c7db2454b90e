/** Scalar functions: string, math and time. NULL in gives NULL out unless said otherwise. */

type Fn = (...args: unknown[]) => unknown;

/** A scalar function: how many arguments it takes, and its body. */
export interface ScalarFunction {
  minArgs: number;
  maxArgs: number;
  /** Called with NULL arguments too (COALESCE, NULLIF, CONCAT). */
  nullAware?: boolean;
  fn: Fn;
}

const fixedUnitMs: Record<string, number> = {
  MILLISECOND: 1, SECOND: 1000, MINUTE: 60_000, HOUR: 3_600_000, DAY: 86_400_000,
};

/** Rounds an epoch-ms timestamp down to a unit (UTC); MONTH and YEAR use the calendar. */
export function floorTime(ms: number, unit: string): number {
  const fixed = fixedUnitMs[unit];
  if (fixed !== undefined) return Math.floor(ms / fixed) * fixed;
  const date = new Date(ms);
  if (unit === 'MONTH') return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
  if (unit === 'YEAR') return Date.UTC(date.getUTCFullYear(), 0, 1);
  throw new Error(`unknown time unit ${unit}`);
}

function ceilTime(ms: number, unit: string): number {
  const floor = floorTime(ms, unit);
  if (floor === ms) return ms;
  const fixed = fixedUnitMs[unit];
  if (fixed !== undefined) return floor + fixed;
  const date = new Date(floor);
  return unit === 'MONTH'
    ? Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1)
    : Date.UTC(date.getUTCFullYear() + 1, 0, 1);
}

function extract(unit: unknown, ms: unknown): number {
  const date = new Date(ms as number);
  switch (String(unit)) {
    case 'YEAR': return date.getUTCFullYear();
    case 'MONTH': return date.getUTCMonth() + 1;
    case 'DAY': return date.getUTCDate();
    case 'HOUR': return date.getUTCHours();
    case 'MINUTE': return date.getUTCMinutes();
    case 'SECOND': return date.getUTCSeconds();
    case 'MILLISECOND': return date.getUTCMilliseconds();
    case 'DOW': return date.getUTCDay() + 1;
    case 'EPOCH': return Math.floor((ms as number) / 1000);
    default: throw new Error(`cannot EXTRACT ${String(unit)}`);
  }
}

const num = (value: unknown) => value as number;
const str = (value: unknown) => String(value);

/** By upper-case name. FLOOR/CEIL with two arguments are `FLOOR(ts TO unit)`. */
export const scalarFunctions: Record<string, ScalarFunction> = {
  UPPER: { minArgs: 1, maxArgs: 1, fn: (s) => str(s).toUpperCase() },
  LOWER: { minArgs: 1, maxArgs: 1, fn: (s) => str(s).toLowerCase() },
  TRIM: { minArgs: 1, maxArgs: 1, fn: (s) => str(s).trim() },
  LTRIM: { minArgs: 1, maxArgs: 1, fn: (s) => str(s).trimStart() },
  RTRIM: { minArgs: 1, maxArgs: 1, fn: (s) => str(s).trimEnd() },
  CHAR_LENGTH: { minArgs: 1, maxArgs: 1, fn: (s) => str(s).length },
  CHARACTER_LENGTH: { minArgs: 1, maxArgs: 1, fn: (s) => str(s).length },
  LENGTH: { minArgs: 1, maxArgs: 1, fn: (s) => str(s).length },
  SUBSTRING: {
    minArgs: 2,
    maxArgs: 3,
    fn: (s, from, length) => str(s).substr(num(from) - 1, length === undefined ? undefined : num(length)),
  },
  POSITION: { minArgs: 2, maxArgs: 2, fn: (needle, haystack) => str(haystack).indexOf(str(needle)) + 1 },
  REPLACE: { minArgs: 3, maxArgs: 3, fn: (s, from, to) => str(s).split(str(from)).join(str(to)) },
  CONCAT: { minArgs: 1, maxArgs: 64, nullAware: true, fn: (...parts) => parts.map((p) => (p === null || p === undefined ? '' : str(p))).join('') },
  COALESCE: { minArgs: 1, maxArgs: 64, nullAware: true, fn: (...values) => values.find((v) => v !== null && v !== undefined) ?? null },
  NULLIF: { minArgs: 2, maxArgs: 2, nullAware: true, fn: (a, b) => (a === b ? null : a) },
  ABS: { minArgs: 1, maxArgs: 1, fn: (x) => Math.abs(num(x)) },
  CEIL: { minArgs: 1, maxArgs: 2, fn: (x, unit) => (unit === undefined ? Math.ceil(num(x)) : ceilTime(num(x), str(unit))) },
  CEILING: { minArgs: 1, maxArgs: 1, fn: (x) => Math.ceil(num(x)) },
  FLOOR: { minArgs: 1, maxArgs: 2, fn: (x, unit) => (unit === undefined ? Math.floor(num(x)) : floorTime(num(x), str(unit))) },
  ROUND: { minArgs: 1, maxArgs: 2, fn: (x, places) => { const scale = 10 ** num(places ?? 0); return Math.round(num(x) * scale) / scale; } },
  MOD: { minArgs: 2, maxArgs: 2, fn: (a, b) => num(a) % num(b) },
  POWER: { minArgs: 2, maxArgs: 2, fn: (a, b) => num(a) ** num(b) },
  SQRT: { minArgs: 1, maxArgs: 1, fn: (x) => Math.sqrt(num(x)) },
  EXP: { minArgs: 1, maxArgs: 1, fn: (x) => Math.exp(num(x)) },
  LN: { minArgs: 1, maxArgs: 1, fn: (x) => Math.log(num(x)) },
  LOG10: { minArgs: 1, maxArgs: 1, fn: (x) => Math.log10(num(x)) },
  EXTRACT: { minArgs: 2, maxArgs: 2, fn: extract },
  /** Epoch ms, or an ISO-8601 string, to a TIMESTAMP. */
  TO_TIMESTAMP: { minArgs: 1, maxArgs: 1, fn: (x) => (typeof x === 'number' ? x : Date.parse(str(x))) },
  /** TIMESTAMP to epoch ms (KDA's UNIX_TIMESTAMP). */
  UNIX_TIMESTAMP: { minArgs: 1, maxArgs: 1, fn: (x) => num(x) },
  /** Milliseconds between two timestamps (a - b). */
  TSDIFF: { minArgs: 2, maxArgs: 2, fn: (a, b) => num(a) - num(b) },
  TIMESTAMP_TO_CHAR: { minArgs: 1, maxArgs: 2, fn: (x, y) => new Date(num(y ?? x)).toISOString() },
};
