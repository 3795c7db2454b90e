import { KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttp2Handler, NodeHttpHandler } from '@smithy/node-http-handler';

/**
 * BENCH_CLIENT picks the SDK's transport: `default` (the Kinesis client's own: h2c with a new
 * connection per request), `h2-shared` (h2c, one session reused by every request, as the
 * SDK does when `disableConcurrentStreams` is false), `http1` (HTTP/1.1 keep-alive).
 */
export const CLIENT = process.env.BENCH_CLIENT ?? (process.env.BENCH_HTTP1 ? 'http1' : 'default');

/** The unmodified SDK client the bench drives, on the transport BENCH_CLIENT names. */
export function benchClient(endpoint: string): KinesisClient {
  return new KinesisClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    ...transport(),
  });
}

function transport(): { requestHandler?: NodeHttpHandler | NodeHttp2Handler } {
  switch (CLIENT) {
    case 'http1':
      return { requestHandler: new NodeHttpHandler({ httpAgent: { keepAlive: true, maxSockets: 8 } }) };
    case 'h2-shared':
      return { requestHandler: new NodeHttp2Handler({ disableConcurrentStreams: false }) };
    default:
      return {};
  }
}
