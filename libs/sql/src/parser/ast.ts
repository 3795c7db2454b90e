/** Typed syntax tree of an analytics application: what the parser produces, before names are resolved. */

/** Where a node starts in the SQL text (1-based line and column). */
export interface Position {
  line: number;
  column: number;
}

export type SqlTypeName =
  | 'VARCHAR' | 'CHAR' | 'INTEGER' | 'BIGINT' | 'SMALLINT' | 'TINYINT' | 'DOUBLE' | 'REAL'
  | 'DECIMAL' | 'BOOLEAN' | 'TIMESTAMP' | 'DATE'
  /** No conversion: values stay as the query made them. Not a type SQL text can name (a preview's result stream). */
  | 'ANY';

/** A column type as written, e.g. `VARCHAR(16)` or `DECIMAL(8,2)`. */
export interface SqlType {
  name: SqlTypeName;
  params: number[];
}

export interface ColumnDef {
  name: string;
  type: SqlType;
  pos: Position;
}

export type Expr =
  | { kind: 'literal'; value: string | number | boolean | null; pos: Position }
  | { kind: 'interval'; ms: number; pos: Position }
  | { kind: 'column'; qualifier?: string; name: string; quoted: boolean; pos: Position }
  | { kind: 'star'; pos: Position }
  | { kind: 'unary'; op: '-' | 'NOT'; operand: Expr; pos: Position }
  | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr; pos: Position }
  | { kind: 'isNull'; operand: Expr; negated: boolean; pos: Position }
  | { kind: 'between'; operand: Expr; low: Expr; high: Expr; negated: boolean; pos: Position }
  | { kind: 'in'; operand: Expr; list: Expr[]; negated: boolean; pos: Position }
  | { kind: 'like'; operand: Expr; pattern: Expr; negated: boolean; pos: Position }
  | { kind: 'case'; operand?: Expr; whens: { when: Expr; then: Expr }[]; otherwise?: Expr; pos: Position }
  | { kind: 'cast'; operand: Expr; type: SqlType; pos: Position }
  | { kind: 'call'; name: string; args: Expr[]; distinct: boolean; over?: string | WindowDef; pos: Position };

export type BinaryOp = '+' | '-' | '*' | '/' | '%' | '||' | '=' | '<>' | '<' | '<=' | '>' | '>=' | 'AND' | 'OR';

export interface SelectItem {
  expr: Expr;
  alias?: string;
}

/** A named source in FROM, with its optional alias. */
export interface SourceRef {
  name: string;
  alias?: string;
  pos: Position;
}

export interface JoinClause {
  kind: 'INNER' | 'LEFT';
  source: SourceRef;
  on: Expr;
}

/** KDA's `WINDOW W AS (PARTITION BY ... RANGE INTERVAL ... PRECEDING)`. */
export interface WindowDef {
  name: string;
  partitionBy: Expr[];
  rangeMs: number;
  pos: Position;
}

/** KDA's `WINDOWED BY STAGGER (PARTITION BY ... RANGE INTERVAL ...)`. */
export interface StaggerDef {
  partitionBy: Expr[];
  rangeMs: number;
  pos: Position;
}

export interface Select {
  stream: boolean;
  distinct: boolean;
  items: SelectItem[];
  from: SourceRef;
  join?: JoinClause;
  where?: Expr;
  stagger?: StaggerDef;
  groupBy: Expr[];
  having?: Expr;
  windows: WindowDef[];
  pos: Position;
}

export interface CreateStream {
  kind: 'createStream';
  name: string;
  columns: ColumnDef[];
  pos: Position;
}

export interface CreatePump {
  kind: 'createPump';
  name: string;
  target: string;
  columns?: string[];
  select: Select;
  pos: Position;
}

export type Statement = CreateStream | CreatePump;
