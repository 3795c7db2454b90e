import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@smithy/core/checksum';
import { expectShardlineError } from '../../../../test/support/errors';
import { ShardlineError } from '../errors';
import { formatAmzDate, parseAmzDate, parseAuthorization } from './authorization';
import { parseAccessKeys } from './credentials';
import { SigV4Verifier, type SignedHttpRequest } from './sigv4-verifier';

const NOW = Date.UTC(2026, 0, 2, 3, 4, 5);
const KEY = { accessKeyId: 'AKID1', secretAccessKey: 'secret1' };
const BODY = Buffer.from('{"StreamName":"s"}');

/** Signs a request the way the AWS SDK does (its own signer and hash), over HTTP/1.1 (host) or h2 (:authority). */
async function signed(
  options: { at?: number; key?: typeof KEY; region?: string; service?: string; h2?: boolean; body?: Buffer } = {},
): Promise<SignedHttpRequest> {
  const authority: Record<string, string> = options.h2 ? { ':authority': '127.0.0.1:4567' } : { host: '127.0.0.1:4567' };
  const signer = new SignatureV4({
    credentials: options.key ?? KEY,
    region: options.region ?? 'us-east-1',
    service: options.service ?? 'kinesis',
    sha256: Sha256,
  });
  const body = options.body ?? BODY;
  const request = await signer.sign(
    {
      method: 'POST',
      protocol: 'http:',
      hostname: '127.0.0.1',
      path: '/',
      query: {},
      headers: { ...authority, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'Kinesis_20131202.ListStreams' },
      body,
    },
    { signingDate: new Date(options.at ?? NOW) },
  );
  return { method: 'POST', url: '/', headers: { ...request.headers, ...authority }, body };
}

function verifier(now = NOW): SigV4Verifier {
  return new SigV4Verifier(parseAccessKeys('AKID1:secret1,AKID2:secret2'), { region: 'us-east-1', service: 'kinesis', now: () => now });
}

async function rejection(promise: Promise<void>): Promise<ShardlineError> {
  const thrown = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(thrown).toBeInstanceOf(ShardlineError);
  return thrown as ShardlineError;
}

const MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access ' +
  'Key and signing method. Consult the service documentation for details.';

describe('SigV4Verifier', () => {
  it('accepts what the SDK signs, over HTTP/1.1 (host) and HTTP/2 (:authority)', async () => {
    await expect(verifier().verify(await signed())).resolves.toBeUndefined();
    await expect(verifier().verify(await signed({ h2: true }))).resolves.toBeUndefined();
    await expect(verifier().verify(await signed({ key: { accessKeyId: 'AKID2', secretAccessKey: 'secret2' } }))).resolves.toBeUndefined();
  });

  it('accepts a host signed over HTTP/2, which arrives as :authority', async () => {
    const request = await signed();
    const { host, ...headers } = request.headers;
    await expect(verifier().verify({ ...request, headers: { ...headers, ':authority': host } })).resolves.toBeUndefined();
  });

  it('refuses a wrong secret, an unknown key, and a changed body or header', async () => {
    const wrong = await rejection(verifier().verify(await signed({ key: { accessKeyId: 'AKID1', secretAccessKey: 'nope' } })));
    expect({ type: wrong.type, message: wrong.message, status: wrong.statusCode }).toEqual({
      type: 'InvalidSignatureException',
      message: MISMATCH,
      status: 400,
    });
    const unknown = await rejection(verifier().verify(await signed({ key: { accessKeyId: 'AKIDX', secretAccessKey: 's' } })));
    expect([unknown.type, unknown.message]).toEqual(['UnrecognizedClientException', 'The security token included in the request is invalid.']);
    const request = await signed();
    const tampered = await rejection(verifier().verify({ ...request, body: Buffer.from('{"StreamName":"t"}') }));
    expect([tampered.type, tampered.message]).toEqual(['InvalidSignatureException', MISMATCH]);
    const { 'x-amz-content-sha256': _hash, ...unhashed } = request.headers;
    const noHash = await rejection(verifier().verify({ ...request, headers: unhashed, body: Buffer.from('{}') }));
    expect(noHash.type).toBe('InvalidSignatureException');
    const target = await rejection(
      verifier().verify({ ...request, headers: { ...request.headers, 'x-amz-target': 'Kinesis_20131202.DeleteStream' } }),
    );
    expect(target.type).toBe('InvalidSignatureException');
  });

  it('answers the clock-skew errors AWS gives, 5 minutes each way', async () => {
    await expect(verifier(NOW + 5 * 60_000).verify(await signed())).resolves.toBeUndefined();
    const expired = await rejection(verifier(NOW + 5 * 60_000 + 1000).verify(await signed()));
    expect([expired.type, expired.message]).toEqual([
      'InvalidSignatureException',
      'Signature expired: 20260102T030405Z is now earlier than 20260102T030406Z (20260102T030906Z - 5 min.)',
    ]);
    const early = await rejection(verifier(NOW - 5 * 60_000 - 1000).verify(await signed()));
    expect([early.type, early.message]).toEqual([
      'InvalidSignatureException',
      'Signature not yet current: 20260102T030405Z is still later than 20260102T030404Z (20260102T025904Z + 5 min.)',
    ]);
  });

  it('checks the credential scope: region and service', async () => {
    const region = await rejection(verifier().verify(await signed({ region: 'eu-west-1' })));
    expect([region.type, region.message]).toEqual(['InvalidSignatureException', 'Credential should be scoped to a valid region. ']);
    const service = await rejection(verifier().verify(await signed({ service: 'dynamodb' })));
    expect([service.type, service.message]).toEqual([
      'InvalidSignatureException',
      "Credential should be scoped to correct service: 'kinesis'. ",
    ]);
  });

  it('answers MissingAuthenticationTokenException without Authorization and IncompleteSignature for a partial one', async () => {
    const request = await signed();
    const { authorization: _auth, ...rest } = request.headers;
    const missing = await rejection(verifier().verify({ ...request, headers: rest }));
    expect([missing.type, missing.message]).toEqual(['MissingAuthenticationTokenException', 'Missing Authentication Token']);
    const partial = await rejection(verifier().verify({ ...request, headers: { ...rest, authorization: 'X' } }));
    expect(partial.type).toBe('IncompleteSignatureException');
  });

  it('refuses a signature without host or :authority among the signed headers', async () => {
    const request = await signed();
    const authorization = String(request.headers.authorization).replace('host;', '');
    const error = await rejection(verifier().verify({ ...request, headers: { ...request.headers, authorization } }));
    expect(error.message).toBe("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  });
});

describe('parseAuthorization', () => {
  it('lists every missing part, as AWS does', () => {
    const error = expectShardlineError(() => parseAuthorization('X', false), 'IncompleteSignatureException');
    expect(error.message).toBe(
      "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. " +
        "Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either " +
        "a 'X-Amz-Date' or a 'Date' header. Authorization=X",
    );
  });

  it('parses the scope and the signed headers', () => {
    expect(
      parseAuthorization('AWS4-HMAC-SHA256 Credential=AK/20260102/us-east-1/kinesis/aws4_request, SignedHeaders=host;X-Amz-Date, Signature=ab', true),
    ).toEqual({
      algorithm: 'AWS4-HMAC-SHA256',
      accessKeyId: 'AK',
      scopeDate: '20260102',
      region: 'us-east-1',
      service: 'kinesis',
      terminator: 'aws4_request',
      signedHeaders: ['host', 'x-amz-date'],
      signature: 'ab',
    });
  });

  it('refuses a credential without 5 parts', () => {
    const error = expectShardlineError(
      () => parseAuthorization('AWS4-HMAC-SHA256 Credential=AK/x, SignedHeaders=host, Signature=ab', true),
      'IncompleteSignatureException',
    );
    expect(error.message).toBe(
      "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'AK/x'",
    );
  });
});

describe('X-Amz-Date', () => {
  it('round-trips the ISO-8601 basic format and rejects others', () => {
    expect(formatAmzDate(NOW)).toBe('20260102T030405Z');
    expect(parseAmzDate('20260102T030405Z')).toBe(NOW);
    expect(parseAmzDate('2026-01-02T03:04:05Z')).toBeNaN();
  });
});

describe('parseAccessKeys', () => {
  it('reads id:secret pairs, and nothing from an empty setting', () => {
    expect(parseAccessKeys(' A:a , B:b:c ')).toEqual([
      { accessKeyId: 'A', secretAccessKey: 'a' },
      { accessKeyId: 'B', secretAccessKey: 'b:c' },
    ]);
    expect(parseAccessKeys(undefined)).toEqual([]);
    expect(parseAccessKeys('')).toEqual([]);
    expect(() => parseAccessKeys('A')).toThrow(/Malformed credential entry/);
  });
});
