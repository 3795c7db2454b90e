import { DeliveryError } from '../../model';

/**
 * SQL names from CopyCommand as Redshift reads them: unquoted names fold to lower case,
 * "quoted" ones keep their case. Returned quoted, so they are safe to put into SQL.
 */
export function quotedName(name: string, what: string): string {
  const identifier = '("(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)';
  const match = new RegExp(`^\\s*${identifier}(?:\\s*\\.\\s*${identifier})?\\s*$`).exec(name);
  if (!match) throw invalid(name, what);
  return [match[1], match[2]]
    .filter((part): part is string => part !== undefined)
    .map((part) => quoteIdentifier(identifierOf(part, name, what)))
    .join('.');
}

/** DataTableColumns ("a, b, C") as column names (case-folded like Redshift). */
export function columnNames(list: string): string[] {
  return list
    .split(',')
    .map((column) => column.trim())
    .filter((column) => column !== '')
    .map((column) => identifierOf(column, list, 'DataTableColumns'));
}

export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function identifierOf(part: string, whole: string, what: string): string {
  const trimmed = part.trim();
  if (trimmed.startsWith('"')) return trimmed.slice(1, -1).replace(/""/g, '"');
  if (!/^[A-Za-z_][A-Za-z0-9_$]*$/.test(trimmed)) throw invalid(whole, what);
  return trimmed.toLowerCase();
}

function invalid(name: string, what: string): DeliveryError {
  return new DeliveryError(`Invalid ${what}: ${name}`, 'Redshift.SyntaxError', false);
}
