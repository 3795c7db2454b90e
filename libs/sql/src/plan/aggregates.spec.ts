import type { Expr } from '../parser/ast';
import { accumulatorFor, type Accumulator } from './aggregates';

const pos = { line: 1, column: 1 };
const column: Expr = { kind: 'column', name: 'X', quoted: false, pos };
const call = (name: string, extra: Expr[] = [], distinct = false) =>
  ({ kind: 'call', name, args: [column, ...extra], distinct, pos }) as Expr & { kind: 'call' };
const num = (value: number): Expr => ({ kind: 'literal', value, pos });

function fold(accumulator: Accumulator, values: unknown[]): unknown {
  let state = accumulator.init();
  for (const value of values) state = accumulator.add(state, value);
  return state;
}

/** Result after a JSON round trip of the state, which must give the same answer. */
function resultOf(name: string, values: unknown[], extra: Expr[] = [], distinct = false): unknown {
  const { accumulator } = accumulatorFor(call(name, extra, distinct));
  const state = fold(accumulator, values);
  const restored = accumulator.load(JSON.parse(JSON.stringify(accumulator.save(state))));
  expect(accumulator.result(restored)).toEqual(accumulator.result(state));
  return accumulator.result(state);
}

describe('aggregates', () => {
  it('COUNT, SUM, AVG, MIN, MAX skip NULL', () => {
    const values = [3, null, 1, 8];
    expect(resultOf('COUNT', values)).toBe(3);
    expect(resultOf('SUM', values)).toBe(12);
    expect(resultOf('AVG', values)).toBe(4);
    expect(resultOf('MIN', values)).toBe(1);
    expect(resultOf('MAX', values)).toBe(8);
    expect(resultOf('SUM', [null])).toBeNull();
    expect(resultOf('AVG', [])).toBeNull();
  });

  it('COUNT(*) counts rows, NULL included', () => {
    const { accumulator } = accumulatorFor({ kind: 'call', name: 'COUNT', args: [{ kind: 'star', pos }], distinct: false, pos });
    expect(accumulator.result(fold(accumulator, [1, null, 2]))).toBe(3);
  });

  it('COUNT(DISTINCT x)', () => {
    expect(resultOf('COUNT', ['a', 'b', 'a', null, 'c', 'b'], [], true)).toBe(3);
  });

  it('approximate percentiles over a t-digest', () => {
    const values = Array.from({ length: 1000 }, (_, i) => i + 1);
    const p95 = resultOf('APPROX_PERCENTILE', values, [num(0.95)]) as number;
    expect(Math.abs(p95 - 950)).toBeLessThan(10);
    expect(resultOf('PERCENTILE_APPROX', [5], [num(50)])).toBe(5);
  });

  it('TOP_K: the k most frequent values with their counts', () => {
    expect(resultOf('TOP_K', ['a', 'b', 'a', 'c', 'b', 'a'], [num(2)])).toEqual([['a', 3], ['b', 2]]);
  });

  it('merge combines two states (session windows joining)', () => {
    for (const name of ['COUNT', 'SUM', 'AVG', 'MIN', 'MAX']) {
      const { accumulator } = accumulatorFor(call(name));
      const merged = accumulator.merge(fold(accumulator, [1, 2]), fold(accumulator, [6]));
      expect(accumulator.result(merged)).toEqual(accumulator.result(fold(accumulator, [1, 2, 6])));
    }
  });

  it('rejects what it cannot compute', () => {
    expect(() => accumulatorFor(call('SUM', [], true))).toThrow('SUM(DISTINCT ...) is not supported');
    expect(() => accumulatorFor({ ...call('TOP_K'), args: [column, column] })).toThrow('TOP_K needs k as a number literal');
  });
});
