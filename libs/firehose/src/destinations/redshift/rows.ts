import { RowFormat } from './copy-options';

/** A column of the target table, in load order. */
export interface TargetColumn {
  name: string;
  /** CHAR/VARCHAR/TEXT-like: an empty field stays '' (other types load it as NULL, as Redshift does). */
  stringLike: boolean;
}

/** One value per column; null is SQL NULL. */
export type Row = (string | null)[];

/** A record that cannot become rows: the reason, in Redshift's STL_LOAD_ERRORS spirit. */
export class RowError extends Error {}

/**
 * The rows one record holds. Firehose concatenates records into the S3 object that
 * Redshift COPYs, so a record is a piece of that file: one or more lines of delimited
 * text, or one or more JSON objects. Throws RowError when the record does not parse.
 */
export function recordRows(data: Buffer, format: RowFormat, columns: TargetColumn[]): Row[] {
  const text = data.toString('utf8');
  return format.kind === 'json' ? jsonRows(text, format.ignoreCase, columns) : delimitedRows(text, format, columns);
}

function jsonRows(text: string, ignoreCase: boolean, columns: TargetColumn[]): Row[] {
  if (text.trim() === '') return [];
  let documents: unknown[];
  try {
    documents = [JSON.parse(text)];
  } catch {
    // Several objects, one per line (what most producers send).
    try {
      documents = text
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as unknown);
    } catch (error) {
      throw new RowError(`Invalid JSON: ${(error as Error).message}`);
    }
  }
  return documents.map((document) => {
    if (typeof document !== 'object' || document === null || Array.isArray(document)) {
      throw new RowError("JSON 'auto' needs a JSON object per row");
    }
    const fields = ignoreCase
      ? new Map(Object.entries(document).map(([key, value]) => [key.toLowerCase(), value]))
      : new Map(Object.entries(document));
    return columns.map((column) => jsonValue(fields.get(ignoreCase ? column.name.toLowerCase() : column.name)));
  });
}

/** JSON values as column text: strings as they are, nested objects and arrays as JSON. */
function jsonValue(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

type Delimited = Extract<RowFormat, { kind: 'delimited' }>;

function delimitedRows(text: string, format: Delimited, columns: TargetColumn[]): Row[] {
  const lines = format.csv ? csvLines(text, format) : textLines(text, format);
  return lines.slice(format.ignoreHeader).map((fields) => {
    if (fields.length > columns.length) throw new RowError(`Extra column(s) found: ${fields.length} fields for ${columns.length} columns`);
    if (fields.length < columns.length && !format.fillRecord) {
      throw new RowError(`Delimiter not found: ${fields.length} fields for ${columns.length} columns`);
    }
    return columns.map((column, i) => fieldValue(fields[i], column, format));
  });
}

/** A field as Redshift loads it: NULL AS, then EMPTYASNULL / BLANKSASNULL, empty non-strings as NULL. */
function fieldValue(field: Field | undefined, column: TargetColumn, format: Delimited): string | null {
  if (field === undefined) return null;
  if (!field.quoted && field.value === format.nullAs) return null;
  if (field.value === '' && !field.quoted) return column.stringLike && !format.emptyAsNull ? '' : null;
  if (column.stringLike && format.blanksAsNull && field.value.trim() === '') return null;
  if (!column.stringLike && field.value.trim() === '') return null;
  return field.value;
}

interface Field {
  value: string;
  quoted: boolean;
}

/** Pipe- (or DELIMITER-) separated lines; with ESCAPE a backslash makes the next character literal. */
function textLines(text: string, format: Delimited): Field[][] {
  const lines: Field[][] = [];
  let fields: Field[] = [];
  let value = '';
  let started = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    started = true;
    if (format.escape && c === '\\' && i + 1 < text.length) {
      value += text[++i];
    } else if (text.startsWith(format.delimiter, i)) {
      fields.push({ value, quoted: false });
      value = '';
      i += format.delimiter.length - 1;
    } else if (c === '\n') {
      fields.push({ value: value.endsWith('\r') ? value.slice(0, -1) : value, quoted: false });
      lines.push(fields);
      fields = [];
      value = '';
      started = false;
    } else {
      value += c;
    }
  }
  if (started) {
    fields.push({ value: value.endsWith('\r') ? value.slice(0, -1) : value, quoted: false });
    lines.push(fields);
  }
  return lines;
}

/** CSV lines: fields in QUOTE characters may hold delimiters and newlines; a doubled quote is one quote. */
function csvLines(text: string, format: Delimited): Field[][] {
  const lines: Field[][] = [];
  let fields: Field[] = [];
  let value = '';
  let quoted = false;
  let inQuotes = false;
  let started = false;
  const endField = () => {
    fields.push({ value: quoted ? value : value.replace(/\r$/, ''), quoted });
    value = '';
    quoted = false;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    started = true;
    if (inQuotes) {
      if (c === format.quote && text[i + 1] === format.quote) value += text[++i];
      else if (c === format.quote) inQuotes = false;
      else value += c;
    } else if (c === format.quote && value.trim() === '') {
      inQuotes = true;
      quoted = true;
      value = '';
    } else if (text.startsWith(format.delimiter, i)) {
      endField();
      i += format.delimiter.length - 1;
    } else if (c === '\n') {
      endField();
      lines.push(fields);
      fields = [];
      started = false;
    } else if (!(quoted && (c === ' ' || c === '\r'))) {
      value += c;
    }
  }
  if (inQuotes) throw new RowError('Unterminated quoted field');
  if (started) {
    endField();
    lines.push(fields);
  }
  return lines;
}

/** A row in Postgres's COPY text format (tab-separated, \N for NULL, backslash escapes). */
export function copyTextLine(row: Row): string {
  return (
    row
      .map((value) =>
        value === null
          ? '\\N'
          : value.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c] ?? c),
      )
      .join('\t') + '\n'
  );
}
