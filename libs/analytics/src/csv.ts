/**
 * Splits one CSV record (RFC 4180: fields separated by the delimiter, a field in double quotes
 * may hold the delimiter, and "" inside quotes is a quote). Written by hand because no CSV
 * parser is among the installed dependencies, and a record is one Kinesis record, so only
 * single-record splitting is needed — no streaming, no header handling.
 */
export function splitCsv(line: string, delimiter = ','): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const text = line.endsWith('\r\n') ? line.slice(0, -2) : line.endsWith('\n') ? line.slice(0, -1) : line;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') {
      quoted = true;
    } else if (c === delimiter) {
      fields.push(field);
      field = '';
    } else {
      field += c;
    }
    i++;
  }
  if (quoted) throw new Error('unterminated quoted field');
  fields.push(field);
  return fields;
}
