/** Errors in SQL text, pointing at the line and column where the problem starts. */
import type { Position } from './ast';

export class SqlError extends Error {
  override readonly name: string = 'SqlError';
  /** Never retriable: the SQL text must change. */
  readonly retriable = false;

  constructor(
    readonly reason: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`line ${line}, column ${column}: ${reason}`);
  }

  static at(pos: Position, reason: string): SqlError {
    return new SqlError(reason, pos.line, pos.column);
  }
}

/** The SQL text does not follow the grammar. */
export class SqlSyntaxError extends SqlError {
  override readonly name = 'SqlSyntaxError';
}
