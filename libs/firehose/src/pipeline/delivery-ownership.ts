/**
 * Which process delivers a delivery stream: the one holding its Postgres advisory lock.
 * Session locks live on one dedicated connection, so a process that dies (even by kill -9)
 * loses them as its connection closes, and another process takes over at its next
 * reconcile — no lease table, no clock.
 */
import { Client } from 'pg';

/** The namespace of the two-key advisory locks (any constant; the other key is the id's hash). */
const LOCK_SPACE = 7363;

export class DeliveryOwnership {
  private client?: Client;
  private readonly held = new Set<string>();

  constructor(
    private readonly databaseUrl: string,
    /** Another role (analytics) owning other things passes its own namespace. */
    private readonly lockSpace = LOCK_SPACE,
  ) {}

  async open(): Promise<void> {
    const client = new Client({ connectionString: this.databaseUrl });
    // A lost connection loses the locks: the service must stop its runners.
    client.on('error', () => undefined);
    await client.connect();
    this.client = client;
  }

  get alive(): boolean {
    return this.client !== undefined;
  }

  async tryAcquire(deliveryStreamId: string): Promise<boolean> {
    if (this.held.has(deliveryStreamId)) return true;
    const { rows } = await this.connection().query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok', [
      this.lockSpace,
      deliveryStreamId,
    ]);
    if (rows[0].ok) this.held.add(deliveryStreamId);
    return rows[0].ok;
  }

  async release(deliveryStreamId: string): Promise<void> {
    if (!this.held.delete(deliveryStreamId)) return;
    await this.connection().query('SELECT pg_advisory_unlock($1, hashtext($2))', [this.lockSpace, deliveryStreamId]);
  }

  /** Whether the lock connection still answers (a lost connection has lost every lock). */
  async ping(): Promise<boolean> {
    if (!this.client) return false;
    return this.client.query('SELECT 1').then(
      () => true,
      () => false,
    );
  }

  async close(): Promise<void> {
    this.held.clear();
    await this.client?.end().catch(() => undefined);
    this.client = undefined;
  }

  private connection(): Client {
    if (!this.client) throw new Error('delivery ownership is closed');
    return this.client;
  }
}
