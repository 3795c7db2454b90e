/** Lexical grammar of Shardline's streaming SQL (KDA's dialect plus Flink's window functions). */
import { createToken, Lexer, type TokenType } from 'chevrotain';

export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /\s+/, group: Lexer.SKIPPED });
export const LineComment = createToken({ name: 'LineComment', pattern: /--[^\n\r]*/, group: Lexer.SKIPPED });
export const BlockComment = createToken({ name: 'BlockComment', pattern: /\/\*[\s\S]*?\*\//, group: Lexer.SKIPPED });

/** Unquoted identifiers; keywords take precedence through `longer_alt`. */
export const Identifier = createToken({ name: 'Identifier', pattern: /[A-Za-z_][A-Za-z0-9_$]*/ });
/** `"Quoted"` identifiers keep their case; `""` escapes a quote. */
export const QuotedIdentifier = createToken({ name: 'QuotedIdentifier', pattern: /"(?:[^"]|"")+"/ });
export const StringLiteral = createToken({ name: 'StringLiteral', pattern: /'(?:[^']|'')*'/ });
export const NumberLiteral = createToken({ name: 'NumberLiteral', pattern: /\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|\.\d+/ });

const keywordNames = [
  'CREATE', 'OR', 'REPLACE', 'STREAM', 'PUMP', 'AS', 'INSERT', 'INTO', 'SELECT', 'FROM', 'WHERE',
  'GROUP', 'BY', 'HAVING', 'WINDOW', 'WINDOWED', 'PARTITION', 'RANGE', 'PRECEDING', 'INTERVAL',
  'CASE', 'WHEN', 'THEN', 'ELSE', 'END', 'AND', 'NOT', 'NULL', 'IS', 'IN', 'BETWEEN', 'LIKE',
  'TRUE', 'FALSE', 'JOIN', 'LEFT', 'INNER', 'OUTER', 'ON', 'DISTINCT', 'CAST', 'TO', 'OVER', 'FOR',
] as const;

/** The reserved words: an unquoted column cannot be named one of them. */
export const SQL_KEYWORDS: readonly string[] = keywordNames;

/** Keyword tokens by name; matched case-insensitively. */
export const Keyword: Record<(typeof keywordNames)[number], TokenType> = Object.fromEntries(
  keywordNames.map((word) => [
    word,
    createToken({ name: word, pattern: new RegExp(`${word}(?![A-Za-z0-9_$])`, 'i'), longer_alt: Identifier }),
  ]),
) as Record<(typeof keywordNames)[number], TokenType>;

export const Comma = createToken({ name: 'Comma', pattern: /,/ });
export const Dot = createToken({ name: 'Dot', pattern: /\./ });
export const Semicolon = createToken({ name: 'Semicolon', pattern: /;/ });
export const LParen = createToken({ name: 'LParen', pattern: /\(/ });
export const RParen = createToken({ name: 'RParen', pattern: /\)/ });
export const Concat = createToken({ name: 'Concat', pattern: /\|\|/ });
export const NotEquals = createToken({ name: 'NotEquals', pattern: /<>|!=/ });
export const LessEquals = createToken({ name: 'LessEquals', pattern: /<=/ });
export const GreaterEquals = createToken({ name: 'GreaterEquals', pattern: />=/ });
export const Less = createToken({ name: 'Less', pattern: /</ });
export const Greater = createToken({ name: 'Greater', pattern: />/ });
export const Equals = createToken({ name: 'Equals', pattern: /=/ });
export const Plus = createToken({ name: 'Plus', pattern: /\+/ });
export const Minus = createToken({ name: 'Minus', pattern: /-/ });
export const Star = createToken({ name: 'Star', pattern: /\*/ });
export const Slash = createToken({ name: 'Slash', pattern: /\// });
export const Percent = createToken({ name: 'Percent', pattern: /%/ });

export const allTokens: TokenType[] = [
  WhiteSpace, LineComment, BlockComment,
  ...Object.values(Keyword),
  Identifier, QuotedIdentifier, StringLiteral, NumberLiteral,
  Comma, Dot, Semicolon, LParen, RParen, Concat,
  NotEquals, LessEquals, GreaterEquals, Less, Greater, Equals,
  Plus, Minus, Star, Slash, Percent,
];

export const sqlLexer = new Lexer(allTokens, { positionTracking: 'full', ensureOptimizations: false });
