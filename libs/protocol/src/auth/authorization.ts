/**
 * Parsing of a SigV4 `Authorization` header and of its credential scope, with AWS's own
 * IncompleteSignatureException texts (as kinesalite recorded them against real Kinesis).
 *
 *   Authorization: AWS4-HMAC-SHA256 Credential=<key>/<yyyymmdd>/<region>/<service>/aws4_request,
 *                  SignedHeaders=<h1;h2;...>, Signature=<64 hex digits>
 */
import { ShardlineError } from '../errors';

export const SIGV4_ALGORITHM = 'AWS4-HMAC-SHA256';

/** The parts of an Authorization header. */
export interface ParsedAuthorization {
  algorithm: string;
  accessKeyId: string;
  /** yyyymmdd of the credential scope. */
  scopeDate: string;
  region: string;
  service: string;
  terminator: string;
  /** Lower-case header names, in the header's order. */
  signedHeaders: string[];
  signature: string;
}

const REQUIRED = ['Credential', 'Signature', 'SignedHeaders'] as const;

function incomplete(message: string): ShardlineError {
  return new ShardlineError('IncompleteSignatureException', message);
}

/** Splits `ALG Credential=a, SignedHeaders=b, Signature=c` (commas and/or spaces) into its parameters. */
function parameters(header: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const part of header.split(/[, ]/).slice(1)) {
    const eq = part.indexOf('=');
    if (eq > 0) params.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return params;
}

/**
 * Parses the header; throws IncompleteSignatureException listing every missing piece (as
 * AWS does) or naming a malformed credential. `hasDate`: the request has X-Amz-Date or Date.
 */
export function parseAuthorization(header: string, hasDate: boolean): ParsedAuthorization {
  const params = parameters(header);
  let missing = '';
  for (const name of REQUIRED) {
    if (!params.get(name)) missing += `Authorization header requires '${name}' parameter. `;
  }
  if (!hasDate) missing += "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ";
  if (missing) throw incomplete(`${missing}Authorization=${header}`);
  const credential = params.get('Credential') ?? '';
  const scope = credential.split('/');
  if (scope.length !== 5) {
    throw incomplete(
      `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${credential}'`,
    );
  }
  const [accessKeyId, scopeDate, region, service, terminator] = scope;
  return {
    algorithm: header.slice(0, header.search(/[ ,]|$/)),
    accessKeyId,
    scopeDate,
    region,
    service,
    terminator,
    signedHeaders: (params.get('SignedHeaders') ?? '').split(';').map((name) => name.toLowerCase()),
    signature: params.get('Signature') ?? '',
  };
}

/** `20240101T000000Z` (ISO-8601 basic format, what X-Amz-Date holds) as epoch milliseconds; NaN if malformed. */
export function parseAmzDate(text: string): number {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!match) return NaN;
  const [, y, mo, d, h, mi, s] = match;
  return Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
}

/** Epoch milliseconds as X-Amz-Date text. */
export function formatAmzDate(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}
