/**
 * `npm run bench:sigv4`: the CPU cost of verifying one SigV4 signature (what every Kinesis
 * request pays when SHARDLINE_CREDENTIALS is set), for a small body and a 1 MiB one
 * (hashing the body is part of the check). Requests are signed by the SDK's signer.
 */
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import { SigV4Verifier, type SignedHttpRequest } from '@shardline/protocol';

const KEY = { accessKeyId: 'AKIDBENCH', secretAccessKey: 'secret' };

async function signed(body: Buffer): Promise<SignedHttpRequest> {
  const signer = new SignatureV4({ credentials: KEY, region: 'us-east-1', service: 'kinesis', sha256: Sha256 });
  const headers = {
    ':authority': '127.0.0.1:4567',
    'content-type': 'application/x-amz-json-1.1',
    'x-amz-target': 'Kinesis_20131202.PutRecords',
    'content-length': String(body.length),
    'amz-sdk-invocation-id': '86310e71-4fd6-4075-be76-ff223bbfc09b',
    'amz-sdk-request': 'attempt=1; max=3',
    'x-amz-user-agent': 'aws-sdk-js/3.1142.0',
  };
  const request = await signer.sign({ method: 'POST', protocol: 'http:', hostname: '127.0.0.1', path: '/', query: {}, headers, body });
  return { method: 'POST', url: '/', headers: { ...request.headers, ':authority': headers[':authority'] }, body };
}

async function measure(label: string, request: SignedHttpRequest, rounds: number): Promise<void> {
  const verifier = new SigV4Verifier([KEY], { region: 'us-east-1', service: 'kinesis' });
  for (let i = 0; i < 200; i++) await verifier.verify(request);
  const cpu = process.cpuUsage();
  for (let i = 0; i < rounds; i++) await verifier.verify(request);
  const used = process.cpuUsage(cpu);
  console.log(`${label}: ${((used.user + used.system) / rounds).toFixed(1)} µs of CPU per verified request`);
}

async function main(): Promise<void> {
  await measure('ListStreams-sized body (2 B)', await signed(Buffer.from('{}')), 20_000);
  await measure('PutRecords of 500 x 1 KiB (~700 KiB JSON)', await signed(Buffer.alloc(700 * 1024, 97)), 500);
}

void main();
