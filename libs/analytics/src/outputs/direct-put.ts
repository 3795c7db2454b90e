/**
 * Firehose direct put by delivery stream name, for delivery-stream outputs: the delivery
 * stream's record storage (DirectPutStore) behind a lookup of its id. The Firehose role picks
 * the records up from there exactly as it does PutRecordBatch's.
 */
import type { NatsConnection } from 'nats';
import type { DataSource } from 'typeorm';
import { DirectPutStore } from '@shardline/firehose';
import { messageLimit } from '@shardline/messaging';
import { DeliveryStreamRepository } from '@shardline/metadata';
import type { PutDeliveryRecords } from './delivery-stream-sink';

export interface DirectPut {
  put: PutDeliveryRecords;
  close(): void;
}

export async function openDirectPut(nc: NatsConnection, dataSource: DataSource, options: { region: string; accountId: string; replicas: number; now?: () => number }): Promise<DirectPut> {
  const now = options.now ?? Date.now;
  const store = await DirectPutStore.open(nc, { replicas: options.replicas, messageLimit: messageLimit(nc), now });
  const repository = new DeliveryStreamRepository(dataSource, options, () => new Date(now()));
  return {
    put: async (name, records, traceparent) => {
      const stream = await repository.findByName(name);
      if (!stream || stream.status !== 'ACTIVE' || stream.type !== 'DirectPut') throw new Error(`delivery stream ${name} is not an ACTIVE DirectPut delivery stream`);
      const results = await store.put(stream.id, records, undefined, traceparent);
      return results.map((r) => ('errorCode' in r ? { errorCode: r.errorCode } : {}));
    },
    close: () => store.close(),
  };
}
