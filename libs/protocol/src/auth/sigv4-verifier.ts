/**
 * Verifies AWS Signature Version 4 on incoming requests. The expected signature is computed
 * by the AWS SDK's own signer (`@smithy/signature-v4`) over a reconstruction of the request
 * restricted to the headers the client says it signed, at the client's own X-Amz-Date, and
 * compared in constant time; nothing of the algorithm is written by hand here.
 */
import { createHash, createHmac, timingSafeEqual, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Checksum, HttpRequest, SourceData } from '@smithy/types';
import { ShardlineError } from '../errors';
import { formatAmzDate, parseAmzDate, parseAuthorization, SIGV4_ALGORITHM, type ParsedAuthorization } from './authorization';
import type { AccessKey } from './credentials';

/** What the verifier needs of an HTTP request (Node's request headers fit as they are). */
export interface SignedHttpRequest {
  method?: string;
  url?: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer | undefined;
}

/** Checks a request's authentication; throws the AWS error when it fails. */
export interface RequestAuthenticator {
  verify(request: SignedHttpRequest): Promise<void>;
}

export interface SigV4Options {
  region: string;
  service: string;
  /** The server clock (epoch ms); tests inject one. */
  now?: () => number;
}

/** AWS accepts signatures up to 5 minutes away from its clock. */
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

const MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access ' +
  'Key and signing method. Consult the service documentation for details.';

const invalidSignature = (message: string) => new ShardlineError('InvalidSignatureException', message);

/** node:crypto SHA-256 (or HMAC-SHA256 with a secret) in the SDK's Checksum shape. */
class NodeSha256 implements Checksum {
  private hash: Hash | Hmac;
  constructor(private readonly secret?: SourceData) {
    this.hash = NodeSha256.create(secret);
  }
  private static create(secret?: SourceData): Hash | Hmac {
    if (secret === undefined) return createHash('sha256');
    const key = typeof secret === 'string' ? secret : ArrayBuffer.isView(secret) ? secret : new Uint8Array(secret);
    return createHmac('sha256', key as string | NodeJS.ArrayBufferView);
  }
  update(data: Uint8Array): void {
    this.hash.update(data);
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(this.hash.digest());
  }
  reset(): void {
    this.hash = NodeSha256.create(this.secret);
  }
}

export class SigV4Verifier implements RequestAuthenticator {
  private readonly signers = new Map<string, SignatureV4>();
  private readonly now: () => number;

  constructor(keys: readonly AccessKey[], private readonly options: SigV4Options) {
    this.now = options.now ?? Date.now;
    for (const key of keys) {
      this.signers.set(
        key.accessKeyId,
        // The signer keeps derived signing keys per day/region/service/key in its own cache.
        new SignatureV4({
          credentials: key,
          region: options.region,
          service: options.service,
          sha256: NodeSha256,
          applyChecksum: false,
          uriEscapePath: true,
        }),
      );
    }
  }

  async verify(request: SignedHttpRequest): Promise<void> {
    const authorization = headerValue(request.headers, 'authorization');
    if (authorization === undefined) {
      throw new ShardlineError('MissingAuthenticationTokenException', 'Missing Authentication Token');
    }
    const amzDate = headerValue(request.headers, 'x-amz-date');
    const auth = parseAuthorization(authorization, amzDate !== undefined || headerValue(request.headers, 'date') !== undefined);
    const signer = this.signers.get(auth.accessKeyId);
    if (!signer) {
      throw new ShardlineError('UnrecognizedClientException', 'The security token included in the request is invalid.');
    }
    const signedAt = this.checkScope(auth, amzDate ?? '');
    this.checkClock(signedAt, amzDate ?? '');
    checkPayloadHash(request);
    const expected = await this.expectedSignature(signer, auth, request, signedAt);
    const given = Buffer.from(auth.signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalidSignature(MISMATCH);
  }

  /** The scope must name this server's region and service, and the day of X-Amz-Date. */
  private checkScope(auth: ParsedAuthorization, amzDate: string): number {
    if (auth.algorithm !== SIGV4_ALGORITHM) {
      throw new ShardlineError('IncompleteSignatureException', `Unsupported AWS 'algorithm': '${auth.algorithm}'`);
    }
    const signedAt = parseAmzDate(amzDate);
    if (Number.isNaN(signedAt)) {
      throw new ShardlineError(
        'IncompleteSignatureException',
        `Date must be in ISO-8601 'basic format'. Got '${amzDate}'. See http://en.wikipedia.org/wiki/ISO_8601`,
      );
    }
    if (auth.scopeDate !== amzDate.slice(0, 8)) {
      throw invalidSignature(
        `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: ` +
          `'${auth.scopeDate}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`,
      );
    }
    if (auth.region !== this.options.region) throw invalidSignature('Credential should be scoped to a valid region. ');
    if (auth.service !== this.options.service) {
      throw invalidSignature(`Credential should be scoped to correct service: '${this.options.service}'. `);
    }
    if (auth.terminator !== 'aws4_request') {
      throw invalidSignature(`Credential should be scoped with a valid terminator: 'aws4_request', not '${auth.terminator}'. `);
    }
    if (!auth.signedHeaders.includes('host') && !auth.signedHeaders.includes(':authority')) {
      throw invalidSignature("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
    }
    return signedAt;
  }

  /** AWS's clock-skew errors, texts included (the SDKs recognise them and correct their clock). */
  private checkClock(signedAt: number, amzDate: string): void {
    const now = this.now();
    if (signedAt < now - MAX_CLOCK_SKEW_MS) {
      throw invalidSignature(
        `Signature expired: ${amzDate} is now earlier than ${formatAmzDate(now - MAX_CLOCK_SKEW_MS)} ` +
          `(${formatAmzDate(now)} - 5 min.)`,
      );
    }
    if (signedAt > now + MAX_CLOCK_SKEW_MS) {
      throw invalidSignature(
        `Signature not yet current: ${amzDate} is still later than ${formatAmzDate(now + MAX_CLOCK_SKEW_MS)} ` +
          `(${formatAmzDate(now)} + 5 min.)`,
      );
    }
  }

  /** Signs the request as the client should have, with exactly the headers it listed as signed. */
  private async expectedSignature(
    signer: SignatureV4,
    auth: ParsedAuthorization,
    request: SignedHttpRequest,
    signedAt: number,
  ): Promise<Buffer> {
    const headers: Record<string, string> = {};
    for (const name of auth.signedHeaders) {
      const value = signedHeaderValue(request.headers, name);
      if (value !== undefined) headers[name] = value;
    }
    const url = request.url ?? '/';
    const q = url.indexOf('?');
    const signed = await signer.sign(
      {
        method: request.method ?? 'POST',
        protocol: 'http:',
        hostname: '',
        path: q < 0 ? url : url.slice(0, q),
        query: q < 0 ? {} : queryOf(url.slice(q + 1)),
        headers,
        body: request.body ?? '',
      } satisfies HttpRequest,
      { signingDate: new Date(signedAt), signableHeaders: new Set(auth.signedHeaders), signingRegion: auth.region },
    );
    const authorization = signed.headers.authorization ?? '';
    return Buffer.from(authorization.slice(authorization.lastIndexOf('Signature=') + 'Signature='.length));
  }
}

/**
 * A payload hash the client declared must be the body's: the signature covers the header,
 * not the body, so a body swapped under a valid signature is caught here. Without the
 * header the signer hashes the body itself.
 */
function checkPayloadHash(request: SignedHttpRequest): void {
  const declared = headerValue(request.headers, 'x-amz-content-sha256');
  if (declared === undefined) return;
  const actual = createHash('sha256')
    .update(request.body ?? Buffer.alloc(0))
    .digest('hex');
  if (declared !== actual) throw invalidSignature(MISMATCH);
}

function headerValue(headers: SignedHttpRequest['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/**
 * The value of a signed header as the client saw it. The SDK signs `:authority` on HTTP/2
 * and `host` on HTTP/1.1; a client that signed `host` over HTTP/2 sent it as `:authority`.
 */
function signedHeaderValue(headers: SignedHttpRequest['headers'], name: string): string | undefined {
  const value = headerValue(headers, name);
  if (value !== undefined) return value;
  if (name === 'host') return headerValue(headers, ':authority');
  if (name === ':authority') return headerValue(headers, 'host');
  return undefined;
}

function queryOf(text: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const existing = query[key];
    query[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return query;
}
