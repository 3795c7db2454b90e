/** POSTs a batch of rows as a JSON array to a URL; 5xx, 429 and network failures are retried with backoff. */
import type { Row } from '@shardline/sql';
import { withRetries, type RowSink } from './sink';

export class WebhookError extends Error {
  override readonly name = 'WebhookError';
  constructor(
    message: string,
    readonly retriable: boolean,
  ) {
    super(message);
  }
}

export class WebhookSink implements RowSink {
  constructor(
    private readonly url: string,
    private readonly options: { headers?: Record<string, string>; maxAttempts: number; initialBackoffMs: number; timeoutMs?: number },
  ) {}

  async write(rows: readonly Row[]): Promise<void> {
    const body = JSON.stringify(rows);
    await withRetries(
      async () => {
        let response: Response;
        try {
          response = await fetch(this.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...this.options.headers },
            body,
            signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
          });
        } catch (err) {
          throw new WebhookError(`webhook ${this.url}: ${err instanceof Error ? err.message : String(err)}`, true);
        }
        await response.arrayBuffer().catch(() => undefined);
        if (response.ok) return;
        throw new WebhookError(`webhook ${this.url} answered ${response.status}`, response.status >= 500 || response.status === 429);
      },
      { attempts: this.options.maxAttempts, initialMs: this.options.initialBackoffMs, retriable: (err) => err instanceof WebhookError && err.retriable },
    );
  }

  async close(): Promise<void> {}
}
