import type { CreatePump } from '../parser/ast';
import { SqlError } from '../parser/errors';
import { parseSql } from '../parser/parser';
import { compileExpr } from './compile-expr';
import { rowScope } from './scope';
import { CastError, castValue, type Row } from './types';

const relation = { name: 'S', columns: ['A', 'B', 'S', 'T', 'N'].map((name) => ({ name, type: { name: 'DOUBLE' as const, params: [] } })) };

/** Compiles one select-list expression over the relation above and evaluates it on a row. */
function evaluate(expression: string, row: Row = {}): unknown {
  const pump = parseSql(`CREATE PUMP "P" AS INSERT INTO "D" SELECT STREAM ${expression} FROM "S"`)[0] as CreatePump;
  return compileExpr(pump.select.items[0].expr, rowScope(relation, () => 42))(row);
}

describe('compileExpr', () => {
  it('arithmetic, comparison and string concatenation', () => {
    expect(evaluate('a + b * 2 - 1', { A: 1, B: 3 })).toBe(6);
    expect(evaluate('a / b', { A: 1, B: 4 })).toBe(0.25);
    expect(evaluate('MOD(a, 3)', { A: 7 })).toBe(1);
    expect(evaluate(`s || '-' || a`, { S: 'x', A: 1 })).toBe('x-1');
    expect(evaluate('a >= 2 AND a <> 3', { A: 2 })).toBe(true);
  });

  it('NULL: arithmetic and comparisons give NULL, AND/OR are three-valued', () => {
    expect(evaluate('a + 1', { A: null })).toBeNull();
    expect(evaluate('a > 1', {})).toBeNull();
    expect(evaluate('a > 1 AND FALSE', {})).toBe(false);
    expect(evaluate('a > 1 OR TRUE', {})).toBe(true);
    expect(evaluate('a IS NULL', {})).toBe(true);
    expect(evaluate('COALESCE(a, b, 7)', { B: null })).toBe(7);
    expect(evaluate('NULLIF(a, 1)', { A: 1 })).toBeNull();
  });

  it('CASE with and without an operand', () => {
    const grade = `CASE WHEN a > 100 THEN 'critical' WHEN a > 80 THEN 'warning' ELSE 'ok' END`;
    expect([120, 90, 10].map((a) => evaluate(grade, { A: a }))).toEqual(['critical', 'warning', 'ok']);
    expect(evaluate(`CASE s WHEN 'GET' THEN 1 WHEN 'PUT' THEN 2 END`, { S: 'PUT' })).toBe(2);
    expect(evaluate(`CASE s WHEN 'GET' THEN 1 END`, { S: 'DELETE' })).toBeNull();
  });

  it('IN, BETWEEN, LIKE', () => {
    expect(evaluate('a IN (1, 2, 3)', { A: 2 })).toBe(true);
    expect(evaluate('a NOT IN (1, 2, 3)', { A: 2 })).toBe(false);
    expect(evaluate('a BETWEEN 1 AND 5', { A: 5 })).toBe(true);
    expect(evaluate(`s LIKE 'GET /api/%'`, { S: 'GET /api/users' })).toBe(true);
    expect(evaluate(`s LIKE 'a_c'`, { S: 'abc' })).toBe(true);
    expect(evaluate(`s NOT LIKE 'a%'`, { S: 'abc' })).toBe(false);
  });

  it('string functions', () => {
    expect(evaluate(`UPPER(s)`, { S: 'abc' })).toBe('ABC');
    expect(evaluate(`LOWER(s)`, { S: 'ABC' })).toBe('abc');
    expect(evaluate(`TRIM(s)`, { S: '  x ' })).toBe('x');
    expect(evaluate(`CHAR_LENGTH(s)`, { S: 'abcd' })).toBe(4);
    expect(evaluate(`SUBSTRING(s FROM 2 FOR 3)`, { S: 'abcdef' })).toBe('bcd');
    expect(evaluate(`SUBSTRING(s, 3)`, { S: 'abcdef' })).toBe('cdef');
    expect(evaluate(`POSITION('c', s)`, { S: 'abc' })).toBe(3);
    expect(evaluate(`REPLACE(s, 'a', 'o')`, { S: 'banana' })).toBe('bonono');
    expect(evaluate(`CONCAT(s, '!', a)`, { S: 'hi', A: null })).toBe('hi!');
  });

  it('math functions', () => {
    expect(evaluate('ABS(a)', { A: -2 })).toBe(2);
    expect(evaluate('ROUND(a, 1)', { A: 2.26 })).toBe(2.3);
    expect(evaluate('FLOOR(a) + CEIL(a)', { A: 2.5 })).toBe(5);
    expect(evaluate('POWER(a, 2) + SQRT(16)', { A: 3 })).toBe(13);
    expect(evaluate('LN(EXP(2))', {})).toBe(2);
    expect(evaluate('-a', { A: 3 })).toBe(-3);
  });

  it('time functions: FLOOR/CEIL TO unit, STEP, EXTRACT, CURRENT_TIMESTAMP', () => {
    const t = Date.UTC(2026, 10, 26, 4, 7, 31, 250);
    expect(evaluate('FLOOR(t TO MINUTE)', { T: t })).toBe(Date.UTC(2026, 10, 26, 4, 7));
    expect(evaluate('CEIL(t TO HOUR)', { T: t })).toBe(Date.UTC(2026, 10, 26, 5));
    expect(evaluate('FLOOR(t TO MONTH)', { T: t })).toBe(Date.UTC(2026, 10, 1));
    expect(evaluate(`STEP(t BY INTERVAL '10' SECOND)`, { T: t })).toBe(Date.UTC(2026, 10, 26, 4, 7, 30));
    expect(evaluate('EXTRACT(HOUR FROM t)', { T: t })).toBe(4);
    expect(evaluate('EXTRACT(MINUTE FROM t)', { T: t })).toBe(7);
    expect(evaluate(`t + INTERVAL '1' SECOND`, { T: 1000 })).toBe(2000);
    expect(evaluate('CURRENT_TIMESTAMP', {})).toBe(42);
    expect(evaluate('PROCTIME()', {})).toBe(42);
    expect(evaluate(`TO_TIMESTAMP('1970-01-01T00:00:01Z')`, {})).toBe(1000);
  });

  it('CAST converts, and throws CastError when it cannot', () => {
    expect(evaluate(`CAST(s AS INTEGER)`, { S: '42.9' })).toBe(42);
    expect(evaluate(`CAST(a AS VARCHAR(2))`, { A: 1234 })).toBe('12');
    expect(evaluate(`CAST(s AS BOOLEAN)`, { S: 'true' })).toBe(true);
    expect(evaluate(`CAST(s AS TIMESTAMP)`, { S: '1970-01-01 00:00:02' })).toBe(2000);
    expect(evaluate(`CAST(a AS DECIMAL(5,2))`, { A: 1.005 })).toBeCloseTo(1.0, 1);
    expect(() => evaluate(`CAST(s AS INTEGER)`, { S: 'abc' })).toThrow(CastError);
    expect(() => castValue('x', { name: 'TIMESTAMP', params: [] })).toThrow('cannot cast "x" to TIMESTAMP');
  });

  it('division by zero throws (the row goes to the error stream)', () => {
    expect(() => evaluate('a / b', { A: 1, B: 0 })).toThrow('division by zero');
  });

  it('names are checked when compiling, with line and column', () => {
    expect(() => evaluate('nope + 1')).toThrow(new SqlError('unknown column NOPE in S', 1, 50));
    expect(() => evaluate('WHATEVER(a)')).toThrow('unknown function WHATEVER');
    expect(() => evaluate('UPPER(a, b)')).toThrow('UPPER takes 1 arguments, not 2');
    expect(() => evaluate('SUM(a)')).toThrow('aggregate SUM is not allowed here');
  });
});
