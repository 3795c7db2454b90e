/**
 * Grammar of an analytics application (chevrotain, embedded actions build the AST directly):
 *
 *   application := (statement ';'?)*
 *   statement   := CREATE [OR REPLACE] (STREAM name '(' name type (',' name type)* ')'
 *                                      | PUMP name AS INSERT INTO name ['(' name,* ')'] select)
 *   select      := SELECT [STREAM] [DISTINCT] item (',' item)* FROM source [join]
 *                  [WHERE expr] [WINDOWED BY STAGGER '(' PARTITION BY expr,* RANGE interval ')']
 *                  [GROUP BY expr,*] [HAVING expr] [WINDOW name AS '(' spec ')' (',' ...)*]
 *   join        := [LEFT [OUTER] | INNER] JOIN source ON expr
 *   spec        := PARTITION BY expr,* RANGE interval PRECEDING
 *   expr        := OR / AND / NOT / comparison (= <> < <= > >= IS [NOT] NULL, [NOT] BETWEEN, IN, LIKE)
 *                  / additive (+ - ||) / multiplicative (* / %) / unary - / primary
 *   primary     := literal | INTERVAL 'n' unit | CASE ... END | CAST '(' expr AS type ')'
 *                  | '(' expr ')' | name ['.' name] | name '(' [DISTINCT] args ')' [OVER (name | '(' spec ')')]
 *   arg         := expr ((TO | BY | FROM | FOR) expr)*     -- FLOOR(x TO MINUTE), STEP(ROWTIME BY ...)
 */
import './object-group-by';
import { EmbeddedActionsParser, type IToken, type TokenType } from 'chevrotain';
import type { BinaryOp, ColumnDef, Expr, JoinClause, Position, Select, SelectItem, SourceRef, SqlType, SqlTypeName, Statement, WindowDef } from './ast';
import { SqlError, SqlSyntaxError } from './errors';
import * as T from './tokens';

const K = T.Keyword;

const unitMs: Record<string, number> = {
  MILLISECOND: 1, SECOND: 1000, MINUTE: 60_000, HOUR: 3_600_000, DAY: 86_400_000,
};

const typeAliases: Record<string, SqlTypeName> = {
  VARCHAR: 'VARCHAR', CHAR: 'CHAR', STRING: 'VARCHAR', INTEGER: 'INTEGER', INT: 'INTEGER',
  BIGINT: 'BIGINT', SMALLINT: 'SMALLINT', TINYINT: 'TINYINT', DOUBLE: 'DOUBLE', FLOAT: 'DOUBLE',
  REAL: 'REAL', DECIMAL: 'DECIMAL', NUMERIC: 'DECIMAL', BOOLEAN: 'BOOLEAN', TIMESTAMP: 'TIMESTAMP', DATE: 'DATE',
};

const posOf = (token: IToken): Position => ({ line: token.startLine ?? 0, column: token.startColumn ?? 0 });

/** Identifier text: quoted names keep their case, unquoted ones are folded to upper case (as KDA does). */
function nameOf(token: IToken): { name: string; quoted: boolean } {
  if (token.tokenType === T.QuotedIdentifier) return { name: token.image.slice(1, -1).replace(/""/g, '"'), quoted: true };
  return { name: token.image.toUpperCase(), quoted: false };
}

export function intervalMs(amount: string, unit: string, pos: Position): number {
  const perUnit = unitMs[unit.toUpperCase()];
  if (perUnit === undefined) throw SqlError.at(pos, `unknown interval unit ${unit}`);
  const value = Number(amount);
  if (!Number.isFinite(value)) throw SqlError.at(pos, `interval amount '${amount}' is not a number`);
  return value * perUnit;
}

class SqlParser extends EmbeddedActionsParser {
  constructor() {
    super(T.allTokens, { maxLookahead: 3 });
    this.performSelfAnalysis();
  }

  application = this.RULE('application', (): Statement[] => {
    const statements: Statement[] = [];
    this.MANY(() => {
      statements.push(this.SUBRULE(this.statement));
      this.OPTION(() => this.CONSUME(T.Semicolon));
    });
    return statements;
  });

  statement = this.RULE('statement', (): Statement => {
    const create = this.CONSUME(K.CREATE);
    this.OPTION(() => {
      this.CONSUME(K.OR);
      this.CONSUME(K.REPLACE);
    });
    return this.OR([
      { ALT: () => this.SUBRULE(this.createStream, { ARGS: [posOf(create)] }) },
      { ALT: () => this.SUBRULE(this.createPump, { ARGS: [posOf(create)] }) },
    ]);
  });

  createStream = this.RULE('createStream', (pos: Position): Statement => {
    this.CONSUME(K.STREAM);
    const name = this.SUBRULE(this.name);
    const columns: ColumnDef[] = [];
    this.CONSUME(T.LParen);
    this.AT_LEAST_ONE_SEP({
      SEP: T.Comma,
      DEF: () => {
        const column = this.SUBRULE2(this.nameToken);
        const type = this.SUBRULE(this.sqlType);
        this.ACTION(() => columns.push({ name: nameOf(column).name, type, pos: posOf(column) }));
      },
    });
    this.CONSUME(T.RParen);
    return { kind: 'createStream', name, columns, pos };
  });

  createPump = this.RULE('createPump', (pos: Position): Statement => {
    this.CONSUME(K.PUMP);
    const name = this.SUBRULE(this.name);
    this.CONSUME(K.AS);
    this.CONSUME(K.INSERT);
    this.CONSUME(K.INTO);
    const target = this.SUBRULE2(this.name);
    let columns: string[] | undefined;
    this.OPTION(() => {
      columns = [];
      this.CONSUME(T.LParen);
      this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => columns!.push(this.SUBRULE3(this.name)) });
      this.CONSUME(T.RParen);
    });
    const select = this.SUBRULE(this.select);
    return { kind: 'createPump', name, target, columns, select, pos };
  });

  sqlType = this.RULE('sqlType', (): SqlType => {
    const token = this.CONSUME(T.Identifier);
    const params: number[] = [];
    this.OPTION(() => {
      this.CONSUME(T.LParen);
      this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => params.push(Number(this.CONSUME(T.NumberLiteral).image)) });
      this.CONSUME(T.RParen);
    });
    return this.ACTION(() => {
      const name = typeAliases[token.image.toUpperCase()];
      if (!name) throw SqlError.at(posOf(token), `unknown type ${token.image}`);
      return { name, params };
    });
  });

  select = this.RULE('select', (): Select => {
    const start = this.CONSUME(K.SELECT);
    const stream = this.OPTION(() => this.CONSUME(K.STREAM)) !== undefined;
    const distinct = this.OPTION2(() => this.CONSUME(K.DISTINCT)) !== undefined;
    const items: SelectItem[] = [];
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => items.push(this.SUBRULE(this.selectItem)) });
    this.CONSUME(K.FROM);
    const from = this.SUBRULE(this.sourceRef);
    const join = this.OPTION3(() => this.SUBRULE(this.join));
    const where = this.OPTION4(() => {
      this.CONSUME(K.WHERE);
      return this.SUBRULE(this.expr);
    });
    const stagger = this.OPTION5(() => this.SUBRULE(this.stagger));
    const groupBy: Expr[] = [];
    this.OPTION6(() => {
      this.CONSUME(K.GROUP);
      this.CONSUME(K.BY);
      this.AT_LEAST_ONE_SEP2({ SEP: T.Comma, DEF: () => groupBy.push(this.SUBRULE2(this.expr)) });
    });
    const having = this.OPTION7(() => {
      this.CONSUME(K.HAVING);
      return this.SUBRULE3(this.expr);
    });
    const windows: WindowDef[] = [];
    this.OPTION8(() => {
      this.CONSUME(K.WINDOW);
      this.AT_LEAST_ONE_SEP3({ SEP: T.Comma, DEF: () => windows.push(this.SUBRULE(this.namedWindow)) });
    });
    return { stream, distinct, items, from, join, where, stagger, groupBy, having, windows, pos: posOf(start) };
  });

  selectItem = this.RULE('selectItem', (): SelectItem => {
    const expr = this.OR([
      {
        ALT: () => {
          const star = this.CONSUME(T.Star);
          return this.ACTION(() => ({ kind: 'star', pos: posOf(star) }) as Expr);
        },
      },
      { ALT: () => this.SUBRULE(this.expr) },
    ]);
    const alias = this.OPTION(() => {
      this.OPTION2(() => this.CONSUME(K.AS));
      return this.SUBRULE(this.name);
    });
    return { expr, alias };
  });

  sourceRef = this.RULE('sourceRef', (): SourceRef => {
    const token = this.SUBRULE(this.nameToken);
    const alias = this.OPTION(() => {
      this.OPTION2(() => this.CONSUME(K.AS));
      return this.SUBRULE(this.name);
    });
    return this.ACTION(() => ({ name: nameOf(token).name, alias, pos: posOf(token) }));
  });

  join = this.RULE('join', (): JoinClause => {
    const kind =
      this.OPTION(() =>
        this.OR([
          { ALT: () => { this.CONSUME(K.LEFT); this.OPTION2(() => this.CONSUME(K.OUTER)); return 'LEFT' as const; } },
          { ALT: () => { this.CONSUME(K.INNER); return 'INNER' as const; } },
        ]),
      ) ?? 'INNER';
    this.CONSUME(K.JOIN);
    const source = this.SUBRULE(this.sourceRef);
    this.CONSUME(K.ON);
    const on = this.SUBRULE(this.expr);
    return { kind, source, on };
  });

  stagger = this.RULE('stagger', () => {
    const start = this.CONSUME(K.WINDOWED);
    this.CONSUME(K.BY);
    const word = this.CONSUME(T.Identifier);
    this.ACTION(() => {
      if (word.image.toUpperCase() !== 'STAGGER') throw SqlError.at(posOf(word), `expected STAGGER after WINDOWED BY, found ${word.image}`);
    });
    this.CONSUME(T.LParen);
    const spec = this.SUBRULE(this.windowSpec, { ARGS: [false] });
    this.CONSUME(T.RParen);
    return { partitionBy: spec.partitionBy, rangeMs: spec.rangeMs, pos: posOf(start) };
  });

  namedWindow = this.RULE('namedWindow', (): WindowDef => {
    const token = this.SUBRULE(this.nameToken);
    this.CONSUME(K.AS);
    this.CONSUME(T.LParen);
    const spec = this.SUBRULE(this.windowSpec, { ARGS: [true] });
    this.CONSUME(T.RParen);
    return this.ACTION(() => ({ name: nameOf(token).name, ...spec, pos: posOf(token) }));
  });

  windowSpec = this.RULE('windowSpec', (preceding: boolean) => {
    const partitionBy: Expr[] = [];
    this.OPTION(() => {
      this.CONSUME(K.PARTITION);
      this.CONSUME(K.BY);
      this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => partitionBy.push(this.SUBRULE(this.expr)) });
    });
    this.CONSUME(K.RANGE);
    const interval = this.SUBRULE(this.interval);
    this.OPTION2({ GATE: () => preceding, DEF: () => this.CONSUME(K.PRECEDING) });
    return { partitionBy, rangeMs: this.ACTION(() => (interval as { ms: number }).ms) };
  });

  expr = this.RULE('expr', (): Expr => this.SUBRULE(this.orExpr));

  orExpr = this.RULE('orExpr', (): Expr => {
    let left = this.SUBRULE(this.andExpr);
    this.MANY(() => {
      const op = this.CONSUME(K.OR);
      const right = this.SUBRULE2(this.andExpr);
      left = { kind: 'binary', op: 'OR', left, right, pos: posOf(op) };
    });
    return left;
  });

  andExpr = this.RULE('andExpr', (): Expr => {
    let left = this.SUBRULE(this.notExpr);
    this.MANY(() => {
      const op = this.CONSUME(K.AND);
      const right = this.SUBRULE2(this.notExpr);
      left = { kind: 'binary', op: 'AND', left, right, pos: posOf(op) };
    });
    return left;
  });

  notExpr = this.RULE('notExpr', (): Expr =>
    this.OR([
      {
        ALT: () => {
          const op = this.CONSUME(K.NOT);
          const operand = this.SUBRULE(this.notExpr);
          return { kind: 'unary', op: 'NOT', operand, pos: posOf(op) } as Expr;
        },
      },
      { ALT: () => this.SUBRULE(this.comparison) },
    ]),
  );

  comparison = this.RULE('comparison', (): Expr => {
    const left = this.SUBRULE(this.additive);
    const result = this.OPTION(() =>
      this.OR([
        { ALT: () => this.SUBRULE(this.compareTail, { ARGS: [left] }) },
        { ALT: () => this.SUBRULE(this.isNullTail, { ARGS: [left] }) },
        { ALT: () => this.SUBRULE(this.predicateTail, { ARGS: [left] }) },
      ]),
    );
    return result ?? left;
  });

  compareTail = this.RULE('compareTail', (left: Expr): Expr => {
    const op = this.OR([
      { ALT: () => this.CONSUME(T.Equals) },
      { ALT: () => this.CONSUME(T.NotEquals) },
      { ALT: () => this.CONSUME(T.LessEquals) },
      { ALT: () => this.CONSUME(T.GreaterEquals) },
      { ALT: () => this.CONSUME(T.Less) },
      { ALT: () => this.CONSUME(T.Greater) },
    ]);
    const right = this.SUBRULE(this.additive);
    return this.ACTION(() => ({ kind: 'binary', op: (op.image === '!=' ? '<>' : op.image) as BinaryOp, left, right, pos: posOf(op) }));
  });

  isNullTail = this.RULE('isNullTail', (operand: Expr): Expr => {
    const is = this.CONSUME(K.IS);
    const negated = this.OPTION(() => this.CONSUME(K.NOT)) !== undefined;
    this.CONSUME(K.NULL);
    return { kind: 'isNull', operand, negated, pos: posOf(is) };
  });

  predicateTail = this.RULE('predicateTail', (operand: Expr): Expr => {
    const negated = this.OPTION(() => this.CONSUME(K.NOT)) !== undefined;
    return this.OR([
      {
        ALT: () => {
          const op = this.CONSUME(K.BETWEEN);
          const low = this.SUBRULE(this.additive);
          this.CONSUME(K.AND);
          const high = this.SUBRULE2(this.additive);
          return { kind: 'between', operand, low, high, negated, pos: posOf(op) } as Expr;
        },
      },
      {
        ALT: () => {
          const op = this.CONSUME(K.IN);
          const list: Expr[] = [];
          this.CONSUME(T.LParen);
          this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => list.push(this.SUBRULE(this.expr)) });
          this.CONSUME(T.RParen);
          return { kind: 'in', operand, list, negated, pos: posOf(op) } as Expr;
        },
      },
      {
        ALT: () => {
          const op = this.CONSUME(K.LIKE);
          const pattern = this.SUBRULE3(this.additive);
          return { kind: 'like', operand, pattern, negated, pos: posOf(op) } as Expr;
        },
      },
    ]);
  });

  additive = this.RULE('additive', (): Expr => {
    let left = this.SUBRULE(this.multiplicative);
    this.MANY(() => {
      const op = this.OR([
        { ALT: () => this.CONSUME(T.Plus) },
        { ALT: () => this.CONSUME(T.Minus) },
        { ALT: () => this.CONSUME(T.Concat) },
      ]);
      const right = this.SUBRULE2(this.multiplicative);
      left = this.ACTION(() => ({ kind: 'binary', op: op.image as BinaryOp, left, right, pos: posOf(op) }));
    });
    return left;
  });

  multiplicative = this.RULE('multiplicative', (): Expr => {
    let left = this.SUBRULE(this.unary);
    this.MANY(() => {
      const op = this.OR([
        { ALT: () => this.CONSUME(T.Star) },
        { ALT: () => this.CONSUME(T.Slash) },
        { ALT: () => this.CONSUME(T.Percent) },
      ]);
      const right = this.SUBRULE2(this.unary);
      left = this.ACTION(() => ({ kind: 'binary', op: op.image as BinaryOp, left, right, pos: posOf(op) }));
    });
    return left;
  });

  unary = this.RULE('unary', (): Expr =>
    this.OR([
      {
        ALT: () => {
          const op = this.CONSUME(T.Minus);
          const operand = this.SUBRULE(this.unary);
          return { kind: 'unary', op: '-', operand, pos: posOf(op) } as Expr;
        },
      },
      { ALT: () => this.SUBRULE(this.primary) },
    ]),
  );

  primary = this.RULE('primary', (): Expr =>
    this.OR([
      { ALT: () => this.SUBRULE(this.literal) },
      { ALT: () => this.SUBRULE(this.interval) },
      { ALT: () => this.SUBRULE(this.caseExpr) },
      { ALT: () => this.SUBRULE(this.castExpr) },
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          const inner = this.SUBRULE(this.expr);
          this.CONSUME(T.RParen);
          return inner;
        },
      },
      { ALT: () => this.SUBRULE(this.nameOrCall) },
      {
        // REPLACE is a keyword (CREATE OR REPLACE) and a string function.
        ALT: () => {
          const replace = this.CONSUME(K.REPLACE);
          return this.SUBRULE(this.callTail, { ARGS: [replace] });
        },
      },
    ]),
  );

  literal = this.RULE('literal', (): Expr => {
    const token = this.OR([
      { ALT: () => this.CONSUME(T.NumberLiteral) },
      { ALT: () => this.CONSUME(T.StringLiteral) },
      { ALT: () => this.CONSUME(K.TRUE) },
      { ALT: () => this.CONSUME(K.FALSE) },
      { ALT: () => this.CONSUME(K.NULL) },
    ]);
    return this.ACTION(() => ({ kind: 'literal', value: literalValue(token), pos: posOf(token) }));
  });

  interval = this.RULE('interval', (): Expr => {
    const start = this.CONSUME(K.INTERVAL);
    const amount = this.CONSUME(T.StringLiteral);
    const unit = this.CONSUME(T.Identifier);
    return this.ACTION(() => ({ kind: 'interval', ms: intervalMs(amount.image.slice(1, -1), unit.image, posOf(unit)), pos: posOf(start) }));
  });

  caseExpr = this.RULE('caseExpr', (): Expr => {
    const start = this.CONSUME(K.CASE);
    const operand = this.OPTION(() => this.SUBRULE(this.expr));
    const whens: { when: Expr; then: Expr }[] = [];
    this.AT_LEAST_ONE(() => {
      this.CONSUME(K.WHEN);
      const when = this.SUBRULE2(this.expr);
      this.CONSUME(K.THEN);
      const then = this.SUBRULE3(this.expr);
      whens.push({ when, then });
    });
    const otherwise = this.OPTION2(() => {
      this.CONSUME(K.ELSE);
      return this.SUBRULE4(this.expr);
    });
    this.CONSUME(K.END);
    return { kind: 'case', operand, whens, otherwise, pos: posOf(start) };
  });

  castExpr = this.RULE('castExpr', (): Expr => {
    const start = this.CONSUME(K.CAST);
    this.CONSUME(T.LParen);
    const operand = this.SUBRULE(this.expr);
    this.CONSUME(K.AS);
    const type = this.SUBRULE(this.sqlType);
    this.CONSUME(T.RParen);
    return { kind: 'cast', operand, type, pos: posOf(start) };
  });

  nameOrCall = this.RULE('nameOrCall', (): Expr => {
    const first = this.SUBRULE(this.nameToken);
    return this.OR([
      { ALT: () => this.SUBRULE(this.callTail, { ARGS: [first] }) },
      {
        ALT: () => {
          this.CONSUME(T.Dot);
          const second = this.OR2([
            { ALT: () => this.SUBRULE2(this.nameToken) },
            { ALT: () => this.CONSUME(T.Star) },
          ]);
          return this.ACTION(() => second.tokenType === T.Star
            ? ({ kind: 'star', pos: posOf(first) } as Expr)
            : ({ kind: 'column', qualifier: nameOf(first).name, ...nameOf(second), pos: posOf(first) } as Expr));
        },
      },
      { ALT: () => this.ACTION(() => ({ kind: 'column', ...nameOf(first), pos: posOf(first) }) as Expr) },
    ]);
  });

  callTail = this.RULE('callTail', (nameToken: IToken): Expr => {
    this.CONSUME(T.LParen);
    const distinct = this.OPTION(() => this.CONSUME(K.DISTINCT)) !== undefined;
    const args: Expr[] = [];
    this.OPTION2(() =>
      this.OR([
        { ALT: () => { const star = this.CONSUME(T.Star); args.push({ kind: 'star', pos: posOf(star) }); } },
        { ALT: () => this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => { const more = this.SUBRULE(this.callArg); this.ACTION(() => args.push(...more)); } }) },
      ]),
    );
    this.CONSUME(T.RParen);
    const over = this.OPTION3(() => {
      this.CONSUME(K.OVER);
      return this.OR2([
        { ALT: () => this.SUBRULE(this.name) as string | WindowDef },
        {
          ALT: () => {
            const open = this.CONSUME2(T.LParen);
            const spec = this.SUBRULE(this.windowSpec, { ARGS: [true] });
            this.CONSUME2(T.RParen);
            return this.ACTION(() => ({ name: '', ...spec, pos: posOf(open) }));
          },
        },
      ]);
    });
    return this.ACTION(() => ({ kind: 'call', name: nameOf(nameToken).name, args, distinct, over, pos: posOf(nameToken) }));
  });

  /** One argument, with SQL's keyword-separated forms flattened into further arguments. */
  callArg = this.RULE('callArg', (): Expr[] => {
    const args = [this.SUBRULE(this.expr)];
    this.MANY(() => {
      this.OR([
        { ALT: () => this.CONSUME(K.TO) },
        { ALT: () => this.CONSUME(K.BY) },
        { ALT: () => this.CONSUME(K.FROM) },
        { ALT: () => this.CONSUME(K.FOR) },
      ]);
      args.push(this.SUBRULE2(this.expr));
    });
    return args;
  });

  nameToken = this.RULE('nameToken', (): IToken =>
    this.OR([{ ALT: () => this.CONSUME(T.Identifier) }, { ALT: () => this.CONSUME(T.QuotedIdentifier) }]),
  );

  name = this.RULE('name', (): string => {
    const token = this.SUBRULE(this.nameToken);
    return this.ACTION(() => nameOf(token).name);
  });
}

function literalValue(token: IToken): string | number | boolean | null {
  const type: TokenType = token.tokenType;
  if (type === T.NumberLiteral) return Number(token.image);
  if (type === T.StringLiteral) return token.image.slice(1, -1).replace(/''/g, "'");
  if (type === K.TRUE) return true;
  if (type === K.FALSE) return false;
  return null;
}

/** One parser instance is reused: chevrotain parsers are stateful but cheap to reset. */
const parser = new SqlParser();

/** Parses the SQL text of an application into statements; throws SqlSyntaxError at the first problem. */
export function parseSql(text: string): Statement[] {
  const lexed = T.sqlLexer.tokenize(text);
  if (lexed.errors.length > 0) {
    const error = lexed.errors[0];
    throw new SqlSyntaxError(`unexpected character '${text.substr(error.offset, 1)}'`, error.line ?? 0, error.column ?? 0);
  }
  parser.input = lexed.tokens;
  const statements = parser.application();
  if (parser.errors.length > 0) {
    const error = parser.errors[0];
    const last = lexed.tokens[lexed.tokens.length - 1];
    const token = (error.token.startLine ?? -1) > 0 ? error.token : last ?? error.token;
    const atEnd = error.token.tokenType?.name === 'EOF' ? ' at end of input' : '';
    throw new SqlSyntaxError(`${error.message.split('\n')[0]}${atEnd}`, token.startLine ?? 1, token.startColumn ?? 1);
  }
  return statements;
}

/** Parses a column type written as text, e.g. `VARCHAR(16)`. */
export function parseSqlType(text: string): SqlType {
  const match = /^\s*([A-Za-z]+)\s*(?:\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\))?\s*$/.exec(text);
  const name = match ? typeAliases[match[1].toUpperCase()] : undefined;
  if (!match || !name) throw new SqlError(`unknown type ${text}`, 1, 1);
  return { name, params: [match[2], match[3]].filter((p) => p !== undefined).map(Number) };
}
