import { request, type ClientRequest } from 'node:http';

/** One parsed Server-Sent Event (comments are counted, not kept). */
export interface SseEvent {
  id?: string;
  event?: string;
  data: string;
}

/** A raw HTTP/1.1 SSE connection: events as they arrive, parsed by the SSE rules. */
export class SseClient {
  readonly events: SseEvent[] = [];
  comments: string[] = [];
  status = 0;
  private buffer = '';
  private req?: ClientRequest;
  private waiters: Array<() => void> = [];

  static open(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    const client = new SseClient();
    return new Promise((resolve, reject) => {
      client.req = request(url, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
        client.status = res.statusCode ?? 0;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => client.feed(chunk));
        res.on('error', () => undefined);
        resolve(client);
      });
      client.req.on('error', reject);
      client.req.end();
    });
  }

  /** Waits until `count` events arrived (or a comment `comment` was seen). */
  async waitFor(predicate: (client: SseClient) => boolean, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this)) {
      if (Date.now() > deadline) throw new Error(`SSE wait timed out: ${this.events.length} events, comments ${this.comments.join('|')}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  }

  close(): void {
    this.req?.destroy();
  }

  private feed(chunk: string): void {
    this.buffer += chunk;
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const event: SseEvent = { data: '' };
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) this.comments.push(line.slice(1).trim());
        else if (line.startsWith('id: ')) event.id = line.slice(4);
        else if (line.startsWith('event: ')) event.event = line.slice(7);
        else if (line.startsWith('data: ')) data.push(line.slice(6));
      }
      event.data = data.join('\n');
      if (data.length) this.events.push(event);
    }
    this.waiters.splice(0).forEach((wake) => wake());
  }
}
