import { createServer as createH2cServer, type Http2Server, type ServerHttp2Session } from 'node:http2';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import type { Server as HttpServer } from 'node:http';

/** The HTTP/2 connection preface starts with these bytes ("PRI * HTTP/2.0"). */
const H2_PREFACE = Buffer.from('PRI * HTTP/2.0');
const STREAM_WINDOW = 16 * 1024 * 1024;
const SESSION_WINDOW = 64 * 1024 * 1024;

/**
 * One cleartext port for HTTP/1.1 and HTTP/2 with prior knowledge (h2c): the default AWS
 * SDK v3 Kinesis client speaks h2c to http:// endpoints, while curl, the AWS CLI and the
 * Firehose client speak HTTP/1.1. The front end peeks at the first bytes of a connection
 * and hands the socket to an http2 server or to the HTTP/1.1 server (Fastify's, never
 * listening itself); both end in the same request handler.
 */
export class DualProtocolServer {
  private readonly front: NetServer;
  private readonly h2: Http2Server;
  private readonly sessions = new Set<ServerHttp2Session>();

  constructor(private readonly http1: HttpServer) {
    // Large windows: a PutRecords body is up to ~7 MiB, and with the 64 KiB defaults
    // concurrent streams on one session stall on WINDOW_UPDATE round trips.
    // A body refused early (over the size limit, answered 413 before it was read) keeps
    // arriving as DATA on a finished stream; Node counts those frames as invalid and, past
    // maxSessionInvalidFrames (1,000 by default), resets the whole session before the client
    // has read the 413. Allow a 16 MiB body's worth of them, and session memory to match.
    this.h2 = createH2cServer({
      maxSessionMemory: 256,
      maxSessionInvalidFrames: 100_000,
      settings: { initialWindowSize: STREAM_WINDOW },
    });
    this.h2.on('session', (session) => {
      session.setLocalWindowSize(SESSION_WINDOW);
      this.sessions.add(session);
      session.once('close', () => this.sessions.delete(session));
    });
    this.h2.on('request', (req, res) => http1.emit('request', req, res));
    this.front = createNetServer((socket) => this.route(socket));
  }

  listen(port: number, host = '0.0.0.0'): Promise<number> {
    return new Promise((resolve, reject) => {
      this.front.once('error', reject);
      this.front.listen(port, host, () => {
        const address = this.front.address();
        resolve(typeof address === 'object' && address ? address.port : port);
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.front.close(() => resolve());
      this.http1.closeAllConnections?.();
      for (const session of this.sessions) session.close(() => undefined);
      setTimeout(() => this.sessions.forEach((session) => session.destroy()), 2000).unref();
      this.h2.close();
    });
  }

  private route(socket: Socket): void {
    socket.setNoDelay(true);
    let seen = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      seen = Buffer.concat([seen, chunk]);
      const compared = Math.min(seen.length, H2_PREFACE.length);
      const isH2 = seen.subarray(0, compared).equals(H2_PREFACE.subarray(0, compared));
      if (isH2 && seen.length < H2_PREFACE.length) return; // wait for enough bytes to decide
      socket.off('data', onData);
      socket.pause();
      socket.unshift(seen);
      if (isH2) {
        // Left paused: the http2 session reads what was unshifted with socket.read() and
        // hands it to its native handle (Http2Session#receive), then reads the socket
        // natively. Resuming here would emit those bytes to no one.
        this.h2.emit('connection', socket);
      } else {
        this.http1.emit('connection', socket);
        socket.resume();
      }
    };
    socket.on('data', onData);
    socket.on('error', () => socket.destroy());
  }
}

