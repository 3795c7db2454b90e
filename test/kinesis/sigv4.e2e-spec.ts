import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  KinesisClient,
  ListStreamsCommand,
  PutRecordCommand,
} from '@aws-sdk/client-kinesis';
import { Sha256 } from '@smithy/core/checksum';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { SignatureV4 } from '@smithy/signature-v4';
import { expectAwsError, waitActive } from '../support/kinesis';
import { kinesisClient, startTestPlatform, TRANSPORTS, type TestPlatform, type Transport } from '../support/platform';
import { randomName } from '../support/random-name';
import { rawKinesisRequest } from '../support/raw-http';

const KEY = { accessKeyId: 'AKIDSHARDLINE1', secretAccessKey: 'secret-one' };
const OTHER = { accessKeyId: 'AKIDSHARDLINE2', secretAccessKey: 'secret-two' };
const MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access ' +
  'Key and signing method. Consult the service documentation for details.';

function client(endpoint: string, transport: Transport, credentials: typeof KEY, extra: object = {}): KinesisClient {
  return new KinesisClient({
    endpoint,
    region: 'us-east-1',
    credentials,
    ...(transport === 'http1' ? { requestHandler: new NodeHttpHandler() } : {}),
    ...extra,
  });
}

/** Signs a JSON request with the SDK's signer, as the SDK would, and returns the headers to send. */
async function signedHeaders(endpoint: string, target: string, body: string): Promise<Record<string, string>> {
  const url = new URL(endpoint);
  const signer = new SignatureV4({ credentials: KEY, region: 'us-east-1', service: 'kinesis', sha256: Sha256 });
  const request = await signer.sign({
    method: 'POST',
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path: '/',
    query: {},
    headers: { host: url.host, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target },
    body,
  });
  // Node sets Host (HTTP/1.1) or :authority (h2) from the URL itself.
  const { host: _host, ...headers } = request.headers;
  return headers;
}

describe('SigV4 with credentials configured', () => {
  let platform: TestPlatform;
  const StreamName = randomName('sigv4');

  beforeAll(async () => {
    platform = await startTestPlatform({ credentials: [KEY, OTHER] });
    const kinesis = client(platform.endpoint, 'h2c', KEY);
    await kinesis.send(new CreateStreamCommand({ StreamName, ShardCount: 1 }));
    await waitActive(kinesis, StreamName);
    kinesis.destroy();
  });
  afterAll(() => platform.close());

  describe.each(TRANSPORTS)('through the SDK over %s', (transport) => {
    it('accepts correct keys, both of them', async () => {
      for (const key of [KEY, OTHER]) {
        const kinesis = client(platform.endpoint, transport, key);
        const put = await kinesis.send(new PutRecordCommand({ StreamName, PartitionKey: 'p', Data: Buffer.from('signed') }));
        expect(put.SequenceNumber).toMatch(/^\d+$/);
        kinesis.destroy();
      }
    });

    it('answers InvalidSignatureException (400) for a wrong secret', async () => {
      const kinesis = client(platform.endpoint, transport, { ...KEY, secretAccessKey: 'wrong' }, { maxAttempts: 1 });
      const error = await expectAwsError(kinesis.send(new ListStreamsCommand({})), 'InvalidSignatureException', MISMATCH);
      expect(error.$metadata?.httpStatusCode).toBe(400);
      kinesis.destroy();
    });

    it('answers UnrecognizedClientException for an unknown access key', async () => {
      const kinesis = client(platform.endpoint, transport, { accessKeyId: 'AKIDUNKNOWN', secretAccessKey: 'x' }, { maxAttempts: 1 });
      await expectAwsError(
        kinesis.send(new ListStreamsCommand({})),
        'UnrecognizedClientException',
        'The security token included in the request is invalid.',
      );
      kinesis.destroy();
    });

    it('refuses a clock more than 5 minutes off, and the SDK then corrects its clock from the Date header', async () => {
      const skewed = client(platform.endpoint, transport, KEY, { systemClockOffset: -10 * 60_000, maxAttempts: 1 });
      await expectAwsError(
        skewed.send(new DescribeStreamSummaryCommand({ StreamName })),
        'InvalidSignatureException',
        /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)$/,
      );
      skewed.destroy();
      const retrying = client(platform.endpoint, transport, KEY, { systemClockOffset: -10 * 60_000 });
      const { StreamDescriptionSummary } = await retrying.send(new DescribeStreamSummaryCommand({ StreamName }));
      expect(StreamDescriptionSummary?.StreamName).toBe(StreamName);
      retrying.destroy();
    });
  });

  it('refuses a fresh signature once the server clock (injected) has moved 6 minutes on', async () => {
    const kinesis = client(platform.endpoint, 'h2c', KEY, { maxAttempts: 1 });
    platform.advanceClock(6 * 60_000);
    try {
      await expectAwsError(
        kinesis.send(new ListStreamsCommand({})),
        'InvalidSignatureException',
        /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)$/,
      );
    } finally {
      platform.advanceClock(-6 * 60_000);
    }
    await expect(kinesis.send(new ListStreamsCommand({}))).resolves.toBeDefined();
    kinesis.destroy();
  });

  describe.each(TRANSPORTS)('raw requests over %s', (transport) => {
    const target = 'Kinesis_20131202.DescribeStreamSummary';

    it('accepts a request signed by the SDK signer and refuses the same signature over another body', async () => {
      const body = JSON.stringify({ StreamName });
      const headers = await signedHeaders(platform.endpoint, target, body);
      const good = await rawKinesisRequest(platform.endpoint, transport, { target, body, headers });
      expect(good.status).toBe(200);
      const tampered = JSON.stringify({ StreamName: `${StreamName}x` });
      const bad = await rawKinesisRequest(platform.endpoint, transport, { target, body: tampered, headers });
      expect({ status: bad.status, json: bad.json }).toEqual({
        status: 400,
        json: { __type: 'InvalidSignatureException', message: MISMATCH },
      });
    });

    it('answers MissingAuthenticationTokenException without Authorization, and IncompleteSignatureException for a partial one', async () => {
      const body = JSON.stringify({ StreamName });
      const missing = await rawKinesisRequest(platform.endpoint, transport, { target, body });
      expect({ status: missing.status, json: missing.json }).toEqual({
        status: 400,
        json: { __type: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' },
      });
      const partial = await rawKinesisRequest(platform.endpoint, transport, { target, body, headers: { authorization: 'AWS4-HMAC-SHA256 Signature=ab' } });
      expect(partial.status).toBe(400);
      expect(partial.json).toEqual({
        __type: 'IncompleteSignatureException',
        message:
          "Authorization header requires 'Credential' parameter. Authorization header requires 'SignedHeaders' parameter. " +
          "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. " +
          'Authorization=AWS4-HMAC-SHA256 Signature=ab',
      });
    });
  });
});

describe('without credentials configured (the local default)', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await startTestPlatform();
  });
  afterAll(() => platform.close());

  it.each(TRANSPORTS)('accepts any signature, and none, over %s', async (transport) => {
    const kinesis = kinesisClient(platform.endpoint, transport);
    await expect(kinesis.send(new ListStreamsCommand({}))).resolves.toMatchObject({ HasMoreStreams: false });
    kinesis.destroy();
    const unsigned = await rawKinesisRequest(platform.endpoint, transport, { target: 'Kinesis_20131202.ListStreams', body: '{}' });
    expect(unsigned.status).toBe(200);
  });
});
