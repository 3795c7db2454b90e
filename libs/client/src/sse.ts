import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { ShardlineApiError, problemFrom } from './errors';

/** One Server-Sent Event. `event` is `message` unless the server named it. */
export interface SseEvent {
  event: string;
  data: string;
  id?: string;
}

/**
 * An incremental parser of the text/event-stream format (the WHATWG rules that matter
 * here): feed it decoded text in chunks of any size, it returns the events completed.
 * Comments (heartbeats) are skipped; an `id` line also counts for later events without one.
 */
export class SseParser {
  private buffer = '';
  private data: string[] = [];
  private event = '';
  /** The last event id seen: what a reconnect sends as Last-Event-ID. */
  lastEventId?: string;

  feed(chunk: string): SseEvent[] {
    this.buffer += chunk;
    const events: SseEvent[] = [];
    let start = 0;
    for (;;) {
      const end = this.buffer.indexOf('\n', start);
      if (end < 0) break;
      const line = this.buffer.slice(start, this.buffer[end - 1] === '\r' ? end - 1 : end);
      start = end + 1;
      const event = this.line(line);
      if (event) events.push(event);
    }
    this.buffer = this.buffer.slice(start);
    return events;
  }

  private line(line: string): SseEvent | undefined {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
    else if (field === 'id' && !value.includes('\0')) this.lastEventId = value;
    return undefined;
  }

  private dispatch(): SseEvent | undefined {
    const data = this.data;
    const event = this.event || 'message';
    this.data = [];
    this.event = '';
    if (data.length === 0) return undefined;
    return { event, data: data.join('\n'), ...(this.lastEventId !== undefined ? { id: this.lastEventId } : {}) };
  }
}

/**
 * One SSE connection over node:http(s) rather than fetch: fetch does not reliably close a
 * connection whose streaming body is abandoned, and may queue the next request behind it.
 * A non-2xx answer rejects with its problem.
 */
export function openSse(url: URL, headers: Record<string, string>, signal?: AbortSignal) {
  let request: ClientRequest | undefined;
  const response = new Promise<IncomingMessage>((resolve, reject) => {
    request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, { headers, ...(signal ? { signal } : {}) }, (res) => {
      if ((res.statusCode ?? 0) < 300) return resolve(res);
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => reject(new ShardlineApiError(problemFrom(parseOrUndefined(text), res.statusCode ?? 0, text.slice(0, 200)))));
      res.on('error', reject);
    });
    request.on('error', reject);
    request.end();
  });
  return { response, close: () => request?.destroy() };
}


/** JSON of a text that may not be JSON (a proxy's HTML page, say). */
export function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
