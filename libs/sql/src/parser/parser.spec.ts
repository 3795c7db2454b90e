import type { CreatePump, CreateStream, Expr } from './ast';
import { SqlError, SqlSyntaxError } from './errors';
import { parseSql, parseSqlType } from './parser';

const pump = (sql: string) => parseSql(sql)[0] as CreatePump;
const select = (body: string) => pump(`CREATE PUMP "P" AS INSERT INTO "D" ${body}`).select;
const where = (condition: string) => select(`SELECT STREAM * FROM "S" WHERE ${condition}`).where as Expr;

/** Strips positions so trees compare by shape. */
const shape = (value: unknown): unknown => JSON.parse(JSON.stringify(value, (key, v: unknown) => (key === 'pos' ? undefined : v)));

describe('parseSql', () => {
  it('parses CREATE OR REPLACE STREAM with SQL types; unquoted names fold to upper case, quoted keep case', () => {
    const [stream] = parseSql(`CREATE OR REPLACE STREAM "DEST" (device VARCHAR(16), "avg" DOUBLE, n INTEGER, t TIMESTAMP, price DECIMAL(8,2), ok BOOLEAN);`) as CreateStream[];
    expect(stream.name).toBe('DEST');
    expect(stream.columns.map((c) => [c.name, c.type.name, c.type.params])).toEqual([
      ['DEVICE', 'VARCHAR', [16]], ['avg', 'DOUBLE', []], ['N', 'INTEGER', []], ['T', 'TIMESTAMP', []], ['PRICE', 'DECIMAL', [8, 2]], ['OK', 'BOOLEAN', []],
    ]);
  });

  it('parses a pump with INSERT INTO ... SELECT STREAM, WHERE, GROUP BY STEP and HAVING', () => {
    const statement = pump(`CREATE OR REPLACE PUMP "STREAM_PUMP" AS INSERT INTO "DEST" (a, b)
      SELECT STREAM ticker, COUNT(*) AS n FROM "SOURCE_SQL_STREAM_001" AS s
      WHERE price > 10 GROUP BY ticker, STEP(s.ROWTIME BY INTERVAL '1' MINUTE) HAVING COUNT(*) > 2`);
    expect(statement).toMatchObject({ kind: 'createPump', name: 'STREAM_PUMP', target: 'DEST', columns: ['A', 'B'] });
    expect(statement.select.stream).toBe(true);
    expect(statement.select.from).toMatchObject({ name: 'SOURCE_SQL_STREAM_001', alias: 'S' });
    expect(statement.select.items[1].alias).toBe('N');
    expect(shape(statement.select.groupBy[1])).toEqual({
      kind: 'call', name: 'STEP', distinct: false,
      args: [{ kind: 'column', qualifier: 'S', name: 'ROWTIME', quoted: false }, { kind: 'interval', ms: 60_000 }],
    });
    expect(statement.select.having).toMatchObject({ kind: 'binary', op: '>' });
  });

  it('parses FLOOR(ROWTIME TO MINUTE), TUMBLE, HOP and SESSION as calls', () => {
    const s = select(`SELECT STREAM COUNT(*) FROM "S" GROUP BY FLOOR(ROWTIME TO MINUTE), TUMBLE(ts, INTERVAL '10' SECOND), HOP(ts, INTERVAL '5' SECOND, INTERVAL '1' MINUTE), SESSION(ts, INTERVAL '30' SECOND)`);
    expect(shape(s.groupBy)).toEqual([
      { kind: 'call', name: 'FLOOR', distinct: false, args: [{ kind: 'column', name: 'ROWTIME', quoted: false }, { kind: 'column', name: 'MINUTE', quoted: false }] },
      { kind: 'call', name: 'TUMBLE', distinct: false, args: [{ kind: 'column', name: 'TS', quoted: false }, { kind: 'interval', ms: 10_000 }] },
      { kind: 'call', name: 'HOP', distinct: false, args: [{ kind: 'column', name: 'TS', quoted: false }, { kind: 'interval', ms: 5_000 }, { kind: 'interval', ms: 60_000 }] },
      { kind: 'call', name: 'SESSION', distinct: false, args: [{ kind: 'column', name: 'TS', quoted: false }, { kind: 'interval', ms: 30_000 }] },
    ]);
  });

  it('parses a named sliding WINDOW with OVER, and an inline OVER (...)', () => {
    const s = select(`SELECT STREAM ticker, AVG(price) OVER w1, MAX(price) OVER (PARTITION BY ticker RANGE INTERVAL '10' SECOND PRECEDING)
      FROM "S" WINDOW w1 AS (PARTITION BY ticker RANGE INTERVAL '1' MINUTE PRECEDING)`);
    expect(s.windows).toMatchObject([{ name: 'W1', rangeMs: 60_000, partitionBy: [{ kind: 'column', name: 'TICKER' }] }]);
    expect(s.items[1].expr).toMatchObject({ kind: 'call', name: 'AVG', over: 'W1' });
    expect(s.items[2].expr).toMatchObject({ kind: 'call', name: 'MAX', over: { rangeMs: 10_000 } });
  });

  it('parses WINDOWED BY STAGGER', () => {
    const s = select(`SELECT STREAM ticker, COUNT(*) FROM "S" WINDOWED BY STAGGER (PARTITION BY FLOOR(ROWTIME TO MINUTE), ticker RANGE INTERVAL '1' MINUTE)`);
    expect(s.stagger).toMatchObject({ rangeMs: 60_000, partitionBy: [{ name: 'FLOOR' }, { name: 'TICKER' }] });
  });

  it('parses joins: with a table, and of two streams within a time window', () => {
    const left = select(`SELECT STREAM s.a, r.b FROM "S" s LEFT JOIN "REF" r ON s.k = r.k`);
    expect(left.join).toMatchObject({ kind: 'LEFT', source: { name: 'REF', alias: 'R' } });
    const inner = select(`SELECT STREAM a.x FROM "A" AS a JOIN "B" AS b ON a.k = b.k AND b.ts BETWEEN a.ts - INTERVAL '5' SECOND AND a.ts + INTERVAL '5' SECOND`);
    expect(inner.join?.kind).toBe('INNER');
    expect(inner.join?.on).toMatchObject({ op: 'AND', right: { kind: 'between', low: { op: '-', right: { ms: 5000 } } } });
  });

  it('parses CASE, CAST, IN, LIKE, IS NULL, BETWEEN, || and operator precedence', () => {
    expect(shape(where(`a + b * 2 > 3 OR NOT c = 1 AND d IS NOT NULL`))).toEqual({
      kind: 'binary', op: 'OR',
      left: { kind: 'binary', op: '>', left: { kind: 'binary', op: '+', left: { kind: 'column', name: 'A', quoted: false }, right: { kind: 'binary', op: '*', left: { kind: 'column', name: 'B', quoted: false }, right: { kind: 'literal', value: 2 } } }, right: { kind: 'literal', value: 3 } },
      right: { kind: 'binary', op: 'AND', left: { kind: 'unary', op: 'NOT', operand: { kind: 'binary', op: '=', left: { kind: 'column', name: 'C', quoted: false }, right: { kind: 'literal', value: 1 } } }, right: { kind: 'isNull', negated: true, operand: { kind: 'column', name: 'D', quoted: false } } },
    });
    expect(where(`x IN (1, 2) AND y NOT LIKE 'a%' AND z BETWEEN 1 AND 5 AND (s || 'x') = 'ax'`)).toMatchObject({ kind: 'binary', op: 'AND' });
    const item = select(`SELECT STREAM CASE WHEN a > 1 THEN 'big' ELSE 'small' END, CAST(b AS INTEGER), 'it''s' FROM "S"`).items;
    expect(item.map((i) => i.expr.kind)).toEqual(['case', 'cast', 'literal']);
    expect(item[2].expr).toMatchObject({ value: "it's" });
  });

  it('parses comments, several statements, COUNT(DISTINCT x) and keyword-separated arguments', () => {
    const statements = parseSql(`-- a comment
      CREATE STREAM "D" (a INT); /* block */
      CREATE PUMP "P" AS INSERT INTO "D" SELECT STREAM COUNT(DISTINCT a), SUBSTRING(s FROM 2 FOR 3), EXTRACT(HOUR FROM ROWTIME) FROM "S";`);
    expect(statements).toHaveLength(2);
    const items = (statements[1] as CreatePump).select.items;
    expect(items[0].expr).toMatchObject({ name: 'COUNT', distinct: true });
    expect(items[1].expr).toMatchObject({ name: 'SUBSTRING', args: [{ name: 'S' }, { value: 2 }, { value: 3 }] });
    expect(items[2].expr).toMatchObject({ name: 'EXTRACT', args: [{ name: 'HOUR' }, { name: 'ROWTIME' }] });
  });

  describe('errors point at line and column', () => {
    const errorOf = (sql: string): SqlError => {
      try {
        parseSql(sql);
      } catch (error) {
        return error as SqlError;
      }
      throw new Error('expected a syntax error');
    };

    it('a missing token', () => {
      const error = errorOf(`CREATE STREAM "D" (a INT,\n  b VARCHAR(3)\n  SELECT`);
      expect(error).toBeInstanceOf(SqlSyntaxError);
      expect([error.line, error.column]).toEqual([3, 3]);
      expect(error.message).toMatch(/^line 3, column 3: /);
    });

    it('an unexpected token in an expression', () => {
      const error = errorOf(`CREATE PUMP "P" AS INSERT INTO "D"\nSELECT STREAM a FROM "S"\nWHERE a > > 3`);
      expect([error.line, error.column]).toEqual([3, 11]);
    });

    it('an unknown character', () => {
      const error = errorOf(`CREATE STREAM "D" (a INT);\n  CREATE ^`);
      expect(error).toBeInstanceOf(SqlSyntaxError);
      expect([error.line, error.column]).toEqual([2, 10]);
    });

    it('input that ends too early', () => {
      const error = errorOf(`CREATE PUMP "P" AS INSERT INTO "D"\nSELECT STREAM a FROM`);
      expect(error.message).toMatch(/^line 2, column 17: .*end of input/);
    });

    it('an unknown type or interval unit', () => {
      expect([errorOf(`CREATE STREAM "D" (a WIDGET)`).line, errorOf(`CREATE STREAM "D" (a WIDGET)`).column]).toEqual([1, 22]);
      expect(errorOf(`CREATE PUMP "P" AS INSERT INTO "D" SELECT STREAM INTERVAL '1' FORTNIGHT FROM "S"`).message).toBe('line 1, column 63: unknown interval unit FORTNIGHT');
    });
  });

  it('parses column types written as text', () => {
    expect(parseSqlType('varchar(8)')).toEqual({ name: 'VARCHAR', params: [8] });
    expect(parseSqlType('DECIMAL(10, 2)')).toEqual({ name: 'DECIMAL', params: [10, 2] });
    expect(() => parseSqlType('nope')).toThrow(SqlError);
  });
});
