import { DeliveryError } from '../../model';

/*
 * The Redshift COPY options (CopyCommand.CopyOptions) that decide how a record becomes
 * rows (https://docs.aws.amazon.com/redshift/latest/dg/copy-parameters-data-format.html,
 * .../copy-parameters-data-conversion.html):
 *
 *   [FORMAT [AS]] JSON 'auto' | 'auto ignorecase'
 *   [FORMAT [AS]] CSV [QUOTE [AS] 'c']
 *   DELIMITER [AS] 'd'          default '|' (',' with CSV)
 *   NULL [AS] 's'               default '\N'
 *   ESCAPE                      backslash escapes the next character (text only)
 *   EMPTYASNULL, BLANKSASNULL   empty / blank CHAR and VARCHAR fields load as NULL
 *   FILLRECORD                  missing trailing columns load as NULL
 *   IGNOREHEADER n              skips the first n lines of each record (CSV / text)
 *
 * Options about S3 files or Redshift itself (GZIP, LZOP, BZIP2, ZSTD, MANIFEST, REGION,
 * COMPUPDATE, STATUPDATE, MAXERROR, TRUNCATECOLUMNS, ACCEPTINVCHARS, TRIMBLANKS,
 * DATEFORMAT, TIMEFORMAT, ACCEPTANYDATE, ROUNDEC, EXPLICIT_IDS) are accepted and have no
 * effect: records reach Postgres uncompressed and Postgres parses dates itself.
 * Anything else (JSONPaths files, FIXEDWIDTH, AVRO, PARQUET, ...) is refused.
 */

/** How records turn into rows. */
export type RowFormat =
  | { kind: 'json'; ignoreCase: boolean }
  | {
      kind: 'delimited';
      csv: boolean;
      delimiter: string;
      quote: string;
      escape: boolean;
      nullAs: string;
      emptyAsNull: boolean;
      blanksAsNull: boolean;
      fillRecord: boolean;
      ignoreHeader: number;
    };

const IGNORED = new Set([
  'GZIP', 'LZOP', 'BZIP2', 'ZSTD', 'MANIFEST', 'COMPUPDATE', 'STATUPDATE', 'MAXERROR', 'TRUNCATECOLUMNS',
  'ACCEPTINVCHARS', 'TRIMBLANKS', 'DATEFORMAT', 'TIMEFORMAT', 'ACCEPTANYDATE', 'ROUNDEC', 'EXPLICIT_IDS',
  'REGION', 'ON', 'OFF', 'TRUE', 'FALSE', 'PRESET',
]);

/** Options whose argument is a quoted string or a number, also ignored. */
const IGNORED_WITH_ARGUMENT = new Set(['MAXERROR', 'DATEFORMAT', 'TIMEFORMAT', 'REGION', 'ACCEPTINVCHARS']);

/** Parses CopyOptions; throws a non-retryable `Redshift.IncorrectCopyOptions` DeliveryError. */
export function parseCopyOptions(copyOptions: string | undefined): RowFormat {
  const tokens = tokenize(copyOptions ?? '');
  let json: { ignoreCase: boolean } | undefined;
  let csv = false;
  let quote = '"';
  let delimiter: string | undefined;
  const flags = { escape: false, emptyAsNull: false, blanksAsNull: false, fillRecord: false };
  let nullAs = '\\N';
  let ignoreHeader = 0;

  const quoted = (option: string): string => {
    if (tokens[0]?.word === 'AS') tokens.shift();
    const next = tokens.shift();
    if (next?.quoted === undefined) throw incorrect(`${option} needs a quoted argument`);
    return next.quoted;
  };

  while (tokens.length > 0) {
    const token = tokens.shift()!;
    const word = token.word ?? '';
    switch (word) {
      case 'FORMAT':
        if (tokens[0]?.word === 'AS') tokens.shift();
        break;
      case 'JSON': {
        const argument = tokens[0]?.quoted;
        if (argument === undefined) throw incorrect("JSON needs 'auto' or 'auto ignorecase'");
        tokens.shift();
        const mode = argument.trim().toLowerCase().replace(/\s+/g, ' ');
        if (mode !== 'auto' && mode !== 'auto ignorecase') {
          throw incorrect(`JSON '${argument}' is not supported (only 'auto' and 'auto ignorecase')`);
        }
        json = { ignoreCase: mode === 'auto ignorecase' };
        break;
      }
      case 'CSV':
        csv = true;
        if (tokens[0]?.word === 'QUOTE') {
          tokens.shift();
          quote = quoted('QUOTE');
        }
        break;
      case 'QUOTE':
        quote = quoted('QUOTE');
        break;
      case 'DELIMITER':
        delimiter = unescapeOctal(quoted('DELIMITER'));
        break;
      case 'NULL':
        nullAs = quoted('NULL');
        break;
      case 'ESCAPE':
        flags.escape = true;
        break;
      case 'EMPTYASNULL':
        flags.emptyAsNull = true;
        break;
      case 'BLANKSASNULL':
        flags.blanksAsNull = true;
        break;
      case 'FILLRECORD':
        flags.fillRecord = true;
        break;
      case 'IGNOREHEADER':
        if (tokens[0]?.word === 'AS') tokens.shift();
        ignoreHeader = Number(tokens.shift()?.word);
        if (!Number.isInteger(ignoreHeader) || ignoreHeader < 0) throw incorrect('IGNOREHEADER needs a number');
        break;
      default:
        if (!IGNORED.has(word)) throw incorrect(`${token.word ?? `'${token.quoted}'`} is not a supported COPY option`);
        if (IGNORED_WITH_ARGUMENT.has(word) && tokens[0] && (tokens[0].quoted !== undefined || /^\d+$/.test(tokens[0].word ?? ''))) {
          tokens.shift();
        }
    }
  }
  if (json) {
    if (csv || delimiter !== undefined) throw incorrect('JSON cannot be combined with CSV or DELIMITER');
    return { kind: 'json', ...json };
  }
  if (csv && flags.escape) throw incorrect('CSV cannot be used with ESCAPE');
  if (delimiter === '') throw incorrect('DELIMITER cannot be empty');
  return { kind: 'delimited', csv, quote, delimiter: delimiter ?? (csv ? ',' : '|'), nullAs, ignoreHeader, ...flags };
}

interface Token {
  word?: string;
  quoted?: string;
}

/** Words (upper-cased) and single-quoted strings ('' or \' inside), ignoring ';'. */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /\s*(?:'((?:[^'\\]|\\.|'')*)'|([^\s';]+)|;)/y;
  let at = 0;
  while (text.slice(at).trim() !== '') {
    pattern.lastIndex = at;
    const match = pattern.exec(text);
    if (!match) throw incorrect(`cannot read the options near "${text.slice(at).trim()}"`);
    if (match[1] !== undefined) tokens.push({ quoted: match[1].replace(/''/g, "'").replace(/\\'/g, "'") });
    else if (match[2] !== undefined) tokens.push({ word: match[2].toUpperCase() });
    at = pattern.lastIndex;
  }
  return tokens;
}

/** DELIMITER '\t' and octal '\011' as Redshift reads them. */
function unescapeOctal(value: string): string {
  return value
    .replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)))
    .replace(/\\t/g, '\t');
}

function incorrect(detail: string): DeliveryError {
  return new DeliveryError(
    `Conflicting, redundant or unsupported COPY options: ${detail}.`,
    'Redshift.IncorrectCopyOptions',
    false,
  );
}
