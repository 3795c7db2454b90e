/**
 * Assembles the Firehose control plane and direct-put ingest over a process's NATS
 * connection and metadata database (the gateway opens it beside its Platform), and keeps
 * its put-path cache current from DELIVERY_STREAM_CHANGED_SUBJECT notices.
 */
import type { NatsConnection, Subscription } from 'nats';
import type { DataSource } from 'typeorm';
import { DELIVERY_STREAM_CHANGED_SUBJECT, messageLimit, type DataKey } from '@shardline/messaging';
import { DeliveryStreamRepository } from '@shardline/metadata';
import { DirectPutStore } from '../ingest/direct-put-store';
import { DeliveryStreamDirectory } from './delivery-stream-directory';
import { DeliveryStreamService } from './delivery-stream-service';
import { DESTINATION_VALIDATORS, type DestinationValidators } from './destination-validators';

export interface FirehoseControlConfig {
  region: string;
  accountId: string;
  replicas: number;
  createDelayMs: number;
  deleteDelayMs: number;
  /** ENABLING / DISABLING lasts this long; the create delay when not given. */
  encryptionDelayMs?: number;
}

export interface FirehoseControlDeps {
  nc: NatsConnection;
  dataSource: DataSource;
  findSourceStream(arn: string): Promise<{ id: string } | undefined>;
  now?: () => number;
  validators?: DestinationValidators;
  /** Seals the records of encrypted delivery streams (the platform's data keys). */
  dataKeys?: { forWriting(keyId: string): DataKey };
}

export class FirehoseControl {
  private constructor(
    readonly service: DeliveryStreamService,
    readonly repository: DeliveryStreamRepository,
    private readonly store: DirectPutStore,
    private readonly changes: Subscription,
  ) {}

  /** The last message stored for a direct-put delivery stream (what delivery has to reach; 0 when none). */
  lastDirectPutSeq(deliveryStreamId: string): Promise<number> {
    return this.store.lastSeq(deliveryStreamId);
  }

  static async open(deps: FirehoseControlDeps, config: FirehoseControlConfig): Promise<FirehoseControl> {
    const now = deps.now ?? Date.now;
    const repository = new DeliveryStreamRepository(deps.dataSource, config, () => new Date(now()));
    const store = await DirectPutStore.open(deps.nc, { replicas: config.replicas, messageLimit: messageLimit(deps.nc), now });
    const directory = new DeliveryStreamDirectory((name) => repository.findByName(name), now);
    const service = new DeliveryStreamService(
      {
        repository,
        store,
        directory,
        findSourceStream: deps.findSourceStream,
        announce: (id) => {
          directory.invalidate(id);
          deps.nc.publish(DELIVERY_STREAM_CHANGED_SUBJECT, id);
        },
        validators: deps.validators ?? DESTINATION_VALIDATORS,
        ...(deps.dataKeys ? { dataKeys: deps.dataKeys } : {}),
      },
      {
        accountId: config.accountId,
        createDelayMs: config.createDelayMs,
        deleteDelayMs: config.deleteDelayMs,
        encryptionDelayMs: config.encryptionDelayMs ?? config.createDelayMs,
        now,
      },
    );
    const changes = deps.nc.subscribe(DELIVERY_STREAM_CHANGED_SUBJECT, {
      callback: (_err, msg) => directory.invalidate(msg.string() || undefined),
    });
    await service.sweep().catch(() => undefined);
    return new FirehoseControl(service, repository, store, changes);
  }

  close(): void {
    this.service.close();
    this.changes.unsubscribe();
    this.store.close();
  }
}
