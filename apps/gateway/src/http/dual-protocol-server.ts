import {
  createServer as createH2cServer,
  type Http2Server,
  type Http2ServerRequest,
  type Http2ServerResponse,
  type ServerHttp2Session,
} from 'node:http2';
import type { Lane } from '../kinesis/kinesis-lane';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import type { IncomingMessage, Server as HttpServer, ServerResponse } from 'node:http';

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
  /** HTTP/1.1 sockets and how many requests each has in flight (the http server never listens, so it tracks none). */
  private readonly http1Sockets = new Map<Socket, number>();
  private closing = false;

  /**
   * @param lane handles the requests it recognizes before Fastify sees them (the AWS JSON
   * protocol); everything else goes to Fastify's handler.
   */
  constructor(
    private readonly http1: HttpServer,
    lane: Lane = () => false,
  ) {
    // Large windows: a PutRecords body is up to ~7 MiB, and with the 64 KiB defaults
    // concurrent streams on one session stall on WINDOW_UPDATE round trips.
    // A body Fastify refuses early (over its size limit, answered 413 before it was read) keeps
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
    const fastify = http1.listeners('request') as Array<(req: unknown, res: unknown) => void>;
    http1.removeAllListeners('request');
    const handle = (req: IncomingMessage | Http2ServerRequest, res: ServerResponse | Http2ServerResponse) => {
      if (!lane(req, res)) for (const listener of fastify) listener(req, res);
    };
    this.h2.on('request', handle);
    http1.on('request', (req: IncomingMessage, res: ServerResponse) => {
      this.track(req.socket as Socket, res);
      handle(req, res);
    });
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

  /**
   * Stops accepting, lets requests in flight finish (idle keep-alive sockets are closed at
   * once, busy ones after their answer), and destroys whatever is left after 5 seconds.
   */
  close(): Promise<void> {
    this.closing = true;
    return new Promise((resolve) => {
      this.front.close(() => resolve());
      for (const [socket, inFlight] of this.http1Sockets) if (inFlight === 0) socket.destroy();
      for (const session of this.sessions) session.close(() => undefined);
      setTimeout(() => {
        this.sessions.forEach((session) => session.destroy());
        this.http1Sockets.forEach((_n, socket) => socket.destroy());
      }, 5000).unref();
      this.h2.close();
    });
  }

  private track(socket: Socket, res: ServerResponse): void {
    if (!this.http1Sockets.has(socket)) return; // an h2 stream (compat request), not an HTTP/1.1 socket
    this.http1Sockets.set(socket, this.http1Sockets.get(socket)! + 1);
    res.once('close', () => {
      const left = (this.http1Sockets.get(socket) ?? 1) - 1;
      this.http1Sockets.set(socket, left);
      if (this.closing && left === 0) socket.destroy();
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
        this.http1Sockets.set(socket, 0);
        socket.once('close', () => this.http1Sockets.delete(socket));
        this.http1.emit('connection', socket);
        socket.resume();
      }
    };
    socket.on('data', onData);
    socket.on('error', () => socket.destroy());
  }
}

