import { BehaviorSubject } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { SqlError } from '../parser/errors';
import type { Row } from '../plan/types';
import { record, type Recorded } from '../testing/record';
import { compileApplication, type ApplicationState, type CompileOptions, type ErrorRecord, type LateRecord } from './application';

const source = (columns: Record<string, string>, watermark?: CompileOptions['sources'][string]['watermark']) => ({ columns, watermark });

describe('compileApplication', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  /** Compiles, records the named outputs plus errors and late rows, starts with marble inputs. */
  function runApp(sql: string, options: Omit<CompileOptions, 'scheduler'>, inputs: Record<string, [string, Record<string, Row>]>, outputs: string[], tables: Record<string, () => import('rxjs').Observable<readonly Row[]>> = {}) {
    const recorded: Record<string, Recorded<Row>> = {};
    let errors!: Recorded<ErrorRecord>;
    let late!: Recorded<LateRecord>;
    let checkpoint: ApplicationState | undefined;
    scheduler.run(({ hot }) => {
      const app = compileApplication(sql, { ...options, scheduler });
      for (const name of outputs) recorded[name] = record(app.output(name), scheduler);
      errors = record(app.errors, scheduler);
      late = record(app.late, scheduler);
      const streams = Object.fromEntries(Object.entries(inputs).map(([name, [marbles, rows]]) => [name, hot(marbles, rows)]));
      app.start(streams, Object.fromEntries(Object.entries(tables).map(([name, make]) => [name, make()])));
      scheduler.schedule(() => {
        checkpoint = JSON.parse(JSON.stringify(app.checkpoint())) as ApplicationState;
      }, 5);
    });
    return { recorded, errors: errors.values.map(([, e]) => e), late: late.values.map(([, l]) => l), checkpoint };
  }

  it('chains pumps through in-application streams', () => {
    const sql = `
      CREATE STREAM "CLEAN" (device VARCHAR(8), celsius DOUBLE);
      CREATE STREAM "HOT_COUNTS" (device VARCHAR(8), hot BIGINT);
      CREATE PUMP "CLEAN_PUMP" AS INSERT INTO "CLEAN"
        SELECT STREAM UPPER(device), (fahrenheit - 32) * 5 / 9 FROM "SOURCE_SQL_STREAM_001";
      CREATE PUMP "COUNT_PUMP" AS INSERT INTO "HOT_COUNTS"
        SELECT STREAM device, COUNT(*) FROM "CLEAN" WHERE celsius > 30
        GROUP BY device, FLOOR("CLEAN".ROWTIME TO SECOND);
    `;
    const { recorded } = runApp(sql, { sources: { SOURCE_SQL_STREAM_001: source({ DEVICE: 'VARCHAR(8)', FAHRENHEIT: 'DOUBLE' }) } },
      { SOURCE_SQL_STREAM_001: ['a 100ms b 100ms c', { a: { DEVICE: 'd1', FAHRENHEIT: 212 }, b: { DEVICE: 'd1', FAHRENHEIT: 50 }, c: { DEVICE: 'd1', FAHRENHEIT: 104 } }] },
      ['CLEAN', 'HOT_COUNTS']);
    expect(recorded.CLEAN.values.map(([, r]) => r.CELSIUS)).toEqual([100, 10, 40]);
    expect(recorded.HOT_COUNTS.values).toEqual([[1000, { ROWTIME: 1000, DEVICE: 'D1', HOT: 2 }]]);
  });

  it('writes into a stream the caller declares with ANY columns, values as the query made them (a preview)', () => {
    const sql = `CREATE PUMP "P" AS INSERT INTO "OUT" SELECT STREAM device, fahrenheit / 2, fahrenheit > 100 FROM "SOURCE_SQL_STREAM_001";`;
    const any = { name: 'ANY' as const, params: [] };
    const { recorded } = runApp(sql, {
      sources: { SOURCE_SQL_STREAM_001: source({ DEVICE: 'VARCHAR(8)', FAHRENHEIT: 'DOUBLE' }) },
      declared: { OUT: [{ name: 'DEVICE', type: any }, { name: 'HALF', type: any }, { name: 'HOT', type: any }] },
    }, { SOURCE_SQL_STREAM_001: ['a', { a: { DEVICE: 'd1', FAHRENHEIT: 212 } }] }, ['OUT']);
    expect(recorded.OUT.values.map(([, r]) => r)).toEqual([{ ROWTIME: 0, DEVICE: 'd1', HALF: 106, HOT: true }]);
  });

  it('joins a stream with a reference table that is refreshed while running', () => {
    const sql = `
      CREATE STREAM "ENRICHED" (ticker VARCHAR(8), price DOUBLE, company VARCHAR(32));
      CREATE PUMP "JOIN_PUMP" AS INSERT INTO "ENRICHED"
        SELECT STREAM s.ticker, s.price, c.name FROM "SOURCE_SQL_STREAM_001" AS s
        LEFT JOIN "COMPANIES" AS c ON s.ticker = c.ticker;
    `;
    const companies = new BehaviorSubject<readonly Row[]>([{ TICKER: 'AMZN', NAME: 'Amazon' }]);
    scheduler.schedule(() => companies.next([{ TICKER: 'AMZN', NAME: 'Amazon.com' }, { TICKER: 'ACME', NAME: 'Acme' }]), 2);
    const { recorded } = runApp(sql, {
      sources: { SOURCE_SQL_STREAM_001: source({ TICKER: 'VARCHAR(8)', PRICE: 'DOUBLE' }) },
      tables: { COMPANIES: { columns: { TICKER: 'VARCHAR(8)', NAME: 'VARCHAR(32)' } } },
    }, { SOURCE_SQL_STREAM_001: ['ab-cd', { a: { TICKER: 'AMZN', PRICE: 1 }, b: { TICKER: 'ACME', PRICE: 2 }, c: { TICKER: 'AMZN', PRICE: 3 }, d: { TICKER: 'ACME', PRICE: 4 } }] },
    ['ENRICHED'], { COMPANIES: () => companies });
    expect(recorded.ENRICHED.values.map(([, r]) => [r.TICKER, r.PRICE, r.COMPANY])).toEqual([
      ['AMZN', 1, 'Amazon'], ['ACME', 2, null], ['AMZN', 3, 'Amazon.com'], ['ACME', 4, 'Acme'],
    ]);
  });

  it('joins two streams within a time window', () => {
    const sql = `
      CREATE STREAM "MATCHED" (order_id VARCHAR(8), amount DOUBLE, carrier VARCHAR(8));
      CREATE PUMP "MATCH_PUMP" AS INSERT INTO "MATCHED"
        SELECT STREAM o.id, o.amount, s.carrier FROM "ORDERS" AS o
        JOIN "SHIPMENTS" AS s ON o.id = s.order_id AND s.ts BETWEEN o.ts - INTERVAL '5' SECOND AND o.ts + INTERVAL '5' SECOND;
    `;
    const { recorded } = runApp(sql, {
      sources: {
        ORDERS: source({ ID: 'VARCHAR(8)', AMOUNT: 'DOUBLE', TS: 'TIMESTAMP' }),
        SHIPMENTS: source({ ORDER_ID: 'VARCHAR(8)', CARRIER: 'VARCHAR(8)', TS: 'TIMESTAMP' }, { maxOutOfOrdernessMs: 5000 }),
      },
    }, {
      ORDERS: ['a-b--', { a: { ID: 'o1', AMOUNT: 10, TS: 1000 }, b: { ID: 'o2', AMOUNT: 20, TS: 2000 } }],
      SHIPMENTS: ['-x--y-z', { x: { ORDER_ID: 'o1', CARRIER: 'ups', TS: 4000 }, y: { ORDER_ID: 'o2', CARRIER: 'dhl', TS: 9000 }, z: { ORDER_ID: 'o1', CARRIER: 'fedex', TS: 5500 } }] },
    ['MATCHED']);
    // y is 7 s after o2: outside the window. z is 4.5 s after o1: inside, and less than the
    // shipments' 5 s out-of-orderness behind y, so o1 is still buffered when z comes.
    expect(recorded.MATCHED.values.map(([t, r]) => [t, r.ORDER_ID, r.CARRIER])).toEqual([[1, 'o1', 'ups'], [6, 'o1', 'fedex']]);
  });

  it('a row whose expression throws (a failed CAST) goes to the error stream; the application goes on', () => {
    const sql = `
      CREATE STREAM "PARSED" (code INTEGER);
      CREATE PUMP "PARSE_PUMP" AS INSERT INTO "PARSED" SELECT STREAM CAST(raw AS INTEGER) FROM "SOURCE_SQL_STREAM_001";
    `;
    const { recorded, errors } = runApp(sql, { sources: { SOURCE_SQL_STREAM_001: source({ RAW: 'VARCHAR(8)' }) } },
      { SOURCE_SQL_STREAM_001: ['abc', { a: { RAW: '200' }, b: { RAW: 'oops' }, c: { RAW: '404' } }] }, ['PARSED']);
    expect(recorded.PARSED.values.map(([, r]) => r.CODE)).toEqual([200, 404]);
    expect(errors).toEqual([{ pump: 'PARSE_PUMP', row: { ROWTIME: 1, RAW: 'oops' }, error: 'cannot cast "oops" to INTEGER', time: 1 }]);
  });

  it('a source row whose values do not fit the declared column types goes to the error stream on entry', () => {
    const sql = `
      CREATE STREAM "HOT" (t DOUBLE);
      CREATE PUMP "HOT_PUMP" AS INSERT INTO "HOT" SELECT STREAM temperature FROM "SOURCE_SQL_STREAM_001" WHERE temperature > 80;
    `;
    const { recorded, errors } = runApp(sql, { sources: { SOURCE_SQL_STREAM_001: source({ TEMPERATURE: 'DOUBLE' }) } },
      { SOURCE_SQL_STREAM_001: ['abc', { a: { TEMPERATURE: '90.5' }, b: { TEMPERATURE: 'warm' }, c: { TEMPERATURE: 85 } }] }, ['HOT']);
    expect(recorded.HOT.values.map(([, r]) => r.T)).toEqual([90.5, 85]);
    expect(errors).toEqual([{ source: 'SOURCE_SQL_STREAM_001', row: { TEMPERATURE: 'warm' }, error: 'cannot cast "warm" to DOUBLE', time: 1 }]);
  });

  it('late rows of an event-time window go to the late stream', () => {
    const sql = `
      CREATE STREAM "COUNTS" (n BIGINT);
      CREATE PUMP "COUNT_PUMP" AS INSERT INTO "COUNTS" SELECT STREAM COUNT(*) FROM "S" GROUP BY TUMBLE(ts, INTERVAL '10' SECOND);
    `;
    const { recorded, late } = runApp(sql, { sources: { S: source({ TS: 'TIMESTAMP' }, { maxOutOfOrdernessMs: 1000 }) } },
      { S: ['abc|', { a: { TS: 1000 }, b: { TS: 12_000 }, c: { TS: 2000 } }] }, ['COUNTS']);
    expect(recorded.COUNTS.values).toEqual([[1, { ROWTIME: 10_000, N: 1 }], [3, { ROWTIME: 20_000, N: 1 }]]);
    expect(late).toEqual([{ pump: 'COUNT_PUMP', row: { ROWTIME: 2, TS: 2000 }, watermark: 11_000, time: 2 }]);
  });

  it('an idle source still closes its event-time windows (idleTimeoutMs from the source definition)', () => {
    const sql = `
      CREATE STREAM "COUNTS" (n BIGINT);
      CREATE PUMP "COUNT_PUMP" AS INSERT INTO "COUNTS" SELECT STREAM COUNT(*) FROM "S" GROUP BY TUMBLE(ts, INTERVAL '10' SECOND);
    `;
    const { recorded } = runApp(sql, { sources: { S: source({ TS: 'TIMESTAMP' }, { maxOutOfOrdernessMs: 1000, idleTimeoutMs: 5000 }) } },
      { S: ['a 999ms b', { a: { TS: 1000 }, b: { TS: 2000 } }] }, ['COUNTS']);
    // Last row at 1 s (processing time); idle from 6 s; the watermark (2 s - 1 s + idle time) reaches 10 s at 10 s.
    expect(recorded.COUNTS.values).toEqual([[10_000, { ROWTIME: 10_000, N: 2 }]]);
  });

  it('KDA sliding window: WINDOW ... RANGE INTERVAL PRECEDING emits per row', () => {
    const sql = `
      CREATE STREAM "MOVING" (ticker VARCHAR(4), price DOUBLE, avg_price DOUBLE, n BIGINT);
      CREATE PUMP "MOVING_PUMP" AS INSERT INTO "MOVING"
        SELECT STREAM ticker, price, AVG(price) OVER w, COUNT(*) OVER w FROM "S"
        WINDOW w AS (PARTITION BY ticker RANGE INTERVAL '1' SECOND PRECEDING);
    `;
    const { recorded } = runApp(sql, { sources: { S: source({ TICKER: 'VARCHAR(4)', PRICE: 'DOUBLE' }) } },
      { S: ['a 500ms b 500ms c 500ms d', { a: { TICKER: 'X', PRICE: 10 }, b: { TICKER: 'X', PRICE: 20 }, c: { TICKER: 'Y', PRICE: 5 }, d: { TICKER: 'X', PRICE: 30 } }] },
      ['MOVING']);
    expect(recorded.MOVING.values.map(([t, r]) => [t, r.TICKER, r.AVG_PRICE, r.N])).toEqual([
      [0, 'X', 10, 1], [501, 'X', 15, 2], [1002, 'Y', 5, 1], [1503, 'X', 30, 1],
    ]);
  });

  it('HOP, SESSION and STAGGER windows from SQL, with COUNT(DISTINCT) and TOP_K', () => {
    const sql = `
      CREATE STREAM "HOPS" (start_ts TIMESTAMP, users BIGINT);
      CREATE STREAM "SESSIONS" (usr VARCHAR(4), clicks BIGINT, started TIMESTAMP, ended TIMESTAMP);
      CREATE STREAM "STAGGERED" (usr VARCHAR(4), top VARCHAR(64));
      CREATE PUMP "HOP_PUMP" AS INSERT INTO "HOPS"
        SELECT STREAM HOP_START(ts, INTERVAL '5' SECOND, INTERVAL '10' SECOND), COUNT(DISTINCT usr) FROM "CLICKS"
        GROUP BY HOP(ts, INTERVAL '5' SECOND, INTERVAL '10' SECOND);
      CREATE PUMP "SESSION_PUMP" AS INSERT INTO "SESSIONS"
        SELECT STREAM usr, COUNT(*), SESSION_START(ts, INTERVAL '3' SECOND), SESSION_END(ts, INTERVAL '3' SECOND) FROM "CLICKS"
        GROUP BY usr, SESSION(ts, INTERVAL '3' SECOND);
      CREATE PUMP "STAGGER_PUMP" AS INSERT INTO "STAGGERED"
        SELECT STREAM usr, TOP_K(page, 1) FROM "CLICKS" WINDOWED BY STAGGER (PARTITION BY usr RANGE INTERVAL '1' SECOND);
    `;
    const clicks = { a: { USR: 'u1', PAGE: '/a', TS: 1000 }, b: { USR: 'u2', PAGE: '/b', TS: 2000 }, c: { USR: 'u1', PAGE: '/a', TS: 3000 }, d: { USR: 'u1', PAGE: '/c', TS: 12_000 } };
    const { recorded } = runApp(sql, { sources: { CLICKS: source({ USR: 'VARCHAR(4)', PAGE: 'VARCHAR(8)', TS: 'TIMESTAMP' }) } },
      { CLICKS: ['ab 100ms c 2s d|', clicks] }, ['HOPS', 'SESSIONS', 'STAGGERED']);
    expect(recorded.HOPS.values.map(([, r]) => [r.START_TS, r.USERS])).toEqual([[-5000, 2], [0, 2], [5000, 1], [10_000, 1]]);
    expect(recorded.SESSIONS.values.map(([, r]) => [r.USR, r.CLICKS, r.STARTED, r.ENDED])).toEqual([['u2', 1, 2000, 5000], ['u1', 2, 1000, 6000], ['u1', 1, 12_000, 15_000]]);
    // Stagger runs on ROWTIME (arrival): u1's window opens at its first row (0 ms) and closes 1 s later; d's at end of input.
    expect(recorded.STAGGERED.values.map(([t, r]) => [t, r.USR, r.TOP])).toEqual([[1000, 'u1', '[["/a",2]]'], [1001, 'u2', '[["/b",1]]'], [2104, 'u1', '[["/c",1]]']]);
  });

  it('PROCTIME() windows run on processing time (the clock of the pump), like ROWTIME', () => {
    const sql = `
      CREATE STREAM "COUNTS" (window_end TIMESTAMP, n BIGINT);
      CREATE PUMP "COUNT_PUMP" AS INSERT INTO "COUNTS"
        SELECT STREAM TUMBLE_END(PROCTIME(), INTERVAL '1' SECOND), COUNT(*) FROM "S" GROUP BY TUMBLE(PROCTIME(), INTERVAL '1' SECOND);
    `;
    const { recorded } = runApp(sql, { sources: { S: source({ A: 'INTEGER' }) } }, { S: ['a 500ms b 600ms c', { a: { A: 1 }, b: { A: 2 }, c: { A: 3 } }] }, ['COUNTS']);
    expect(recorded.COUNTS.values).toEqual([[1000, { ROWTIME: 1000, WINDOW_END: 1000, N: 2 }], [2000, { ROWTIME: 2000, WINDOW_END: 2000, N: 1 }]]);
  });

  it('checkpoints mid-window and resumes without emitting a closed window twice', () => {
    const sql = `
      CREATE STREAM "COUNTS" (window_start TIMESTAMP, n BIGINT);
      CREATE PUMP "COUNT_PUMP" AS INSERT INTO "COUNTS"
        SELECT STREAM TUMBLE_START(ts, INTERVAL '10' SECOND), COUNT(*) FROM "S" GROUP BY TUMBLE(ts, INTERVAL '10' SECOND);
    `;
    const sources = { S: source({ TS: 'TIMESTAMP' }) };
    const first = runApp(sql, { sources }, { S: ['abc---', { a: { TS: 1000 }, b: { TS: 11_000 }, c: { TS: 12_000 } }] }, ['COUNTS']);
    expect(first.recorded.COUNTS.values.map(([, r]) => r)).toEqual([{ ROWTIME: 10_000, WINDOW_START: 0, N: 1 }]);
    expect(first.checkpoint?.pumps.COUNT_PUMP).toMatchObject({ watermark: 12_000, groups: [{ windows: [{ start: 10_000, end: 20_000, states: [2] }] }] });

    // After a restart the source replays from an older position: a (window 0 s, already emitted) is late now.
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    const second = runApp(sql, { sources, state: first.checkpoint }, { S: ['ad|', { a: { TS: 1000 }, d: { TS: 25_000 } }] }, ['COUNTS']);
    expect(second.recorded.COUNTS.values.map(([, r]) => r)).toEqual([{ ROWTIME: 20_000, WINDOW_START: 10_000, N: 2 }, { ROWTIME: 30_000, WINDOW_START: 20_000, N: 1 }]);
    expect(second.late.map((l) => l.row.TS)).toEqual([1000]);
  });

  describe('plan errors point at line and column', () => {
    const planError = (sql: string): SqlError => {
      try {
        compileApplication(sql, { sources: { S: source({ A: 'INTEGER', TS: 'TIMESTAMP' }) } });
      } catch (error) {
        return error as SqlError;
      }
      throw new Error('expected an error');
    };
    const head = `CREATE STREAM "D" (a INTEGER);\n`;

    it('unknown column, stream and target', () => {
      expect(planError(`${head}CREATE PUMP "P" AS INSERT INTO "D" SELECT STREAM b FROM "S";`).message).toBe('line 2, column 50: unknown column B in S');
      expect(planError(`${head}CREATE PUMP "P" AS INSERT INTO "D" SELECT STREAM a FROM "NOPE";`).message).toBe('line 2, column 57: unknown stream NOPE');
      expect(planError(`CREATE PUMP "P" AS INSERT INTO "X" SELECT STREAM a FROM "S";`).message).toMatch(/^line 1, column 1: INSERT INTO an undeclared stream X/);
    });

    it('aggregates without a window, and columns outside GROUP BY', () => {
      expect(planError(`${head}CREATE PUMP "P" AS INSERT INTO "D" SELECT STREAM COUNT(*) FROM "S";`).message).toMatch(/^line 2, column 50: an aggregate over a stream needs GROUP BY/);
      expect(planError(`${head}CREATE PUMP "P" AS INSERT INTO "D" SELECT STREAM a FROM "S" GROUP BY TUMBLE(ts, INTERVAL '1' SECOND);`).message).toMatch(/^line 2, column 50: column A must appear in GROUP BY/);
      expect(planError(`${head}CREATE PUMP "P" AS INSERT INTO "D" SELECT STREAM COUNT(*) FROM "S" GROUP BY a;`).message).toMatch(/^line 2, column 36: GROUP BY over a stream needs a window/);
    });

    it('pumps that feed themselves', () => {
      const loop = `CREATE STREAM "X" (a INTEGER);\nCREATE STREAM "Y" (a INTEGER);
        CREATE PUMP "P1" AS INSERT INTO "X" SELECT STREAM a FROM "S";
        CREATE PUMP "P2" AS INSERT INTO "Y" SELECT STREAM a FROM "X";
        CREATE PUMP "P3" AS INSERT INTO "X" SELECT STREAM a FROM "Y";`;
      expect(planError(loop).message).toBe('line 4, column 9: pump P2 reads, through pumps, the stream it writes: Y');
    });

    it('unsupported forms', () => {
      expect(planError(`${head}CREATE PUMP "P" AS INSERT INTO "D" SELECT STREAM DISTINCT a FROM "S";`).message).toMatch(/^line 2, column 36: SELECT DISTINCT/);
      expect(planError(`${head}CREATE PUMP "P" AS INSERT INTO "D" SELECT STREAM a FROM "S" HAVING a > 1;`).message).toBe('line 2, column 70: HAVING needs GROUP BY');
    });

    it('select list width must match the target', () => {
      expect(planError(`${head}CREATE PUMP "P" AS INSERT INTO "D" SELECT STREAM a, a FROM "S";`).message).toBe('line 2, column 36: SELECT gives 2 columns but D takes 1');
    });
  });
});
