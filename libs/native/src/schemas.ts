/**
 * The zod schemas of the native APIs: one per route part. The same definitions validate
 * REST and NATS input and generate the OpenAPI document (openapi.ts), so a field is
 * described exactly once.
 */
import { z } from 'zod';

/** Records per put request: PutRecords' 500. */
export const MAX_RECORDS_PER_PUT = 500;

const streamName = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[a-zA-Z0-9_.-]+$/)
  .describe('Stream name (1-128 of a-z A-Z 0-9 _ . -)');
const shardId = z
  .string()
  .regex(/^shardId-\d{12}$/)
  .describe('Shard id, e.g. shardId-000000000000');
const mode = z.enum(['PROVISIONED', 'ON_DEMAND']);
const tags = z.record(z.string().min(1).max(128), z.string().max(256)).describe('Tags as a key-to-value map (at most 50)');
const flag = z.union([z.boolean(), z.enum(['true', 'false'])]);

/** Where a read starts: the Kinesis iterator types, with the sequence number or ISO time after a colon. */
export const startSpec = z
  .string()
  .regex(/^(TRIM_HORIZON|LATEST|AT_SEQUENCE_NUMBER:\d{1,129}|AFTER_SEQUENCE_NUMBER:\d{1,129}|AT_TIMESTAMP:.+)$/)
  .describe('TRIM_HORIZON | LATEST | AT_SEQUENCE_NUMBER:<seq> | AFTER_SEQUENCE_NUMBER:<seq> | AT_TIMESTAMP:<ISO 8601>');

export const streamParams = z.object({ name: streamName });
export const shardParams = z.object({ name: streamName, shardId });
export const noParams = z.object({});
export const noQuery = z.object({});

export const createStreamBody = z.object({
  name: streamName,
  shardCount: z.number().int().min(1).max(100_000).optional().describe('Required for PROVISIONED; ON_DEMAND starts with 4'),
  mode: mode.optional().describe('PROVISIONED when shardCount is given, else ON_DEMAND'),
  tags: tags.optional(),
});

export const listStreamsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).optional().describe('Streams per page (default 100)'),
  cursor: z.string().min(1).max(512).optional().describe('nextCursor of the previous page'),
});

export const updateStreamBody = z
  .object({
    retentionHours: z.number().int().min(24).max(8760).optional(),
    shardCount: z.number().int().min(1).max(100_000).optional().describe('Uniform scaling to this many open shards'),
    mode: mode.optional(),
    maxRecordSizeKiB: z.number().int().min(1024).max(10240).optional(),
    tags: tags.optional().describe('The complete new tag set: keys left out are removed'),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'Give at least one field to change' })
  .refine((b) => b.mode === undefined || b.shardCount === undefined, {
    message: 'Change mode and shardCount in separate requests (a mode change keeps the stream UPDATING)',
  });

export const deleteStreamQuery = z.object({
  force: flag.optional().describe('Also deregister the stream\'s consumers (EnforceConsumerDeletion)'),
});

export const recordInput = z
  .object({
    partitionKey: z.string().min(1).max(256),
    data: z.unknown().optional().describe('Any JSON value: stored as its JSON text (UTF-8)'),
    dataBase64: z.base64().optional().describe('Raw bytes, base64'),
    explicitHashKey: z
      .string()
      .regex(/^(0|[1-9]\d{0,38})$/)
      .optional()
      .describe('Decimal hash key overriding the MD5 of the partition key'),
  })
  .refine((r) => (r.data === undefined) !== (r.dataBase64 === undefined), {
    message: 'Give exactly one of data and dataBase64',
  });

/**
 * The Shardline-Batch header of a raw NATS batch: `[partitionKey, byteLength, explicitHashKey?]`
 * per record, the payload being the records' bytes back to back (no JSON, no base64).
 */
export const rawBatchHeader = z
  .array(z.tuple([recordInput.shape.partitionKey, z.number().int().min(0)], recordInput.shape.explicitHashKey.unwrap()))
  .min(1)
  .max(MAX_RECORDS_PER_PUT);

export const putBatchBody = z.object({ records: z.array(recordInput).min(1).max(MAX_RECORDS_PER_PUT) });
/** One record, or many under `records` (answered per record, like PutRecords). */
export const putRecordsBody = z.union([putBatchBody, recordInput]);

export const readQuery = z.object({
  from: startSpec.optional().describe('Where to start (default TRIM_HORIZON); ignored with cursor'),
  cursor: z.string().min(1).max(512).optional().describe('nextCursor of the previous page (never expires)'),
  limit: z.coerce.number().int().min(1).max(10000).optional().describe('Records per page (default 1000)'),
});

export const tailQuery = z.object({
  shard: shardId.optional().describe('Tail one shard (and its children) instead of all'),
  from: startSpec.optional().describe('Where to start (default LATEST); Last-Event-ID overrides it'),
});

/* Responses: documentation only (the handlers build them), so they cannot drift from the types below. */

const hashKeyRange = z.object({ start: z.string(), end: z.string() });

export const shardView = z.object({
  shardId,
  status: z.enum(['OPEN', 'CLOSED']),
  parentShardId: z.string().optional(),
  adjacentParentShardId: z.string().optional(),
  hashKeyRange,
  startingSequenceNumber: z.string(),
  endingSequenceNumber: z.string().optional(),
});

export const streamSummary = z.object({
  name: z.string(),
  arn: z.string(),
  status: z.enum(['CREATING', 'DELETING', 'ACTIVE', 'UPDATING']),
  mode,
  retentionHours: z.number().int(),
  createdAt: z.iso.datetime(),
  encryptionType: z.enum(['NONE', 'KMS']),
  keyId: z.string().optional(),
  maxRecordSizeKiB: z.number().int(),
  openShardCount: z.number().int(),
  consumerCount: z.number().int(),
});

export const streamView = streamSummary.extend({ shards: z.array(shardView), tags });
export const streamList = z.object({ streams: z.array(streamSummary), nextCursor: z.string().nullable() });
export const deletedView = z.object({ name: z.string(), status: z.literal('DELETING') });

export const recordView = z.object({
  shardId,
  sequenceNumber: z.string(),
  partitionKey: z.string(),
  arrivalTimestamp: z.iso.datetime(),
  dataBase64: z.string().describe('The record\'s bytes'),
  data: z.unknown().optional().describe('The bytes parsed as JSON, present when they are UTF-8 JSON text'),
});

const putSuccess = z.object({ shardId, sequenceNumber: z.string() });
const putFailure = z.object({ errorCode: z.enum(['ProvisionedThroughputExceededException', 'InternalFailure']), errorMessage: z.string() });
export const putSingleResult = putSuccess.extend({ encryptionType: z.enum(['NONE', 'KMS']) });
export const putBatchResult = z.object({
  failedRecordCount: z.number().int(),
  records: z.array(z.union([putSuccess, putFailure])),
  encryptionType: z.enum(['NONE', 'KMS']),
});
export const putResult = z.union([putBatchResult, putSingleResult]);

export const readResult = z.object({
  records: z.array(recordView),
  nextCursor: z.string().nullable().describe('Null once a closed shard was read to its end'),
  millisBehindLatest: z.number().int(),
  childShards: z.array(z.string()).optional().describe('Where to continue after a closed shard'),
});

export const problemSchema = z.object({
  type: z.string().describe('Stable URI of the problem, e.g. https://shardline.dev/problems/resource-not-found'),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  line: z.number().int().optional().describe('Analytics SQL problems: the line of the mistake (1-based)'),
  column: z.number().int().optional().describe('Analytics SQL problems: the column of the mistake (1-based)'),
});

export type RecordInput = z.output<typeof recordInput>;
export type StreamSummaryView = z.output<typeof streamSummary>;
export type StreamView = z.output<typeof streamView>;
export type ShardView = z.output<typeof shardView>;
export type RecordView = z.output<typeof recordView>;
export type PutBatchResult = z.output<typeof putBatchResult>;
export type ReadResult = z.output<typeof readResult>;

const groupName = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[a-zA-Z0-9_-]+$/)
  .describe('Consumer group name (1-128 of a-z A-Z 0-9 _ -)');

export const groupParams = z.object({ name: streamName, group: groupName });

/** A stream's consumer groups. */
export const groupList = z.object({
  groups: z.array(z.object({ groupName: z.string(), createdAt: z.string().describe('ISO 8601') })),
});

/** A consumer group: its members, and each shard's holder, checkpoint and lag. */
export const groupView = z.object({
  streamName: z.string(),
  groupName: z.string(),
  createdAt: z.string().describe('ISO 8601'),
  members: z.array(
    z.object({
      memberId: z.string(),
      joinedAt: z.string(),
      lastHeartbeat: z.string(),
      shards: z.array(z.string()),
    }),
  ),
  shards: z.array(
    z.object({
      shardId: z.string(),
      status: z.enum(['OPEN', 'CLOSED']),
      owner: z.string().optional().describe('Member holding the shard'),
      epoch: z.number().int().optional().describe('Fencing token of the lease'),
      checkpoint: z.string().optional().describe('Last sequence number checkpointed'),
      shardEnd: z.boolean().describe('A closed shard read and checkpointed to its end'),
      waitingForParents: z.boolean().describe('Handed out only once its parents are read to their ends'),
      lagRecords: z.number().int().describe('Stored messages after the checkpoint (approximate: one PutRecords call per shard is one message)'),
      lagMillis: z.number().describe('Arrival of the newest record minus that of the oldest not checkpointed'),
    }),
  ),
});


/* Members of a consumer group over REST (member-operations.ts, member-feed.ts). */

const memberId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[a-zA-Z0-9_-]+$/)
  .describe('Member id (1-128 of a-z A-Z 0-9 _ -)');
const epoch = z.number().int().min(0).describe('Fencing token of the lease the batch was delivered under');

export const memberParams = groupParams.extend({ memberId });

export const joinBody = z.object({
  memberId: memberId.optional().describe('Rejoin under a known id (e.g. after this gateway restarted); a new one otherwise'),
});

export const checkpointBody = z.object({
  shardId,
  sequenceNumber: z.string().regex(/^\d{1,129}$/).describe('Last record handled; a batch\'s lastSequenceNumber acknowledges the batch'),
  epoch,
});

const leasedShard = z.object({
  shardId: z.string(),
  epoch: z.number().int(),
  checkpoint: z.string().optional().describe('Where the member starts: just past this sequence number'),
});

/** A member's shards now (what every heartbeat answers). */
export const memberAssignment = z.object({ memberId: z.string(), shards: z.array(leasedShard) });

export const joinResult = memberAssignment.extend({
  streamName: z.string(),
  groupName: z.string(),
  heartbeatMs: z.number().int().describe('How often to heartbeat when no records connection is open'),
  memberTtlMs: z.number().int().describe('A member silent this long is dropped and its shards handed on'),
  links: z.object({
    self: z.string().describe('DELETE to leave'),
    records: z.string().describe('GET: the batches as Server-Sent Events'),
    checkpoints: z.string().describe('POST {shardId, sequenceNumber, epoch}: checkpoint and acknowledge'),
    heartbeat: z.string().describe('POST: keep the member alive without a records connection'),
  }),
});

export const checkpointResult = checkpointBody.extend({
  acknowledged: z.boolean().describe('The shard\'s waiting batch was acknowledged: its next batch follows'),
});

export const leaveResult = memberParams.describe('The member that left');

/** One `batch` event of a member's records stream. */
export const groupBatchEvent = z.object({
  shardId: z.string(),
  epoch: z.number().int(),
  shardEnd: z.boolean().describe('The last batch of a closed shard: its children are handed out once it is acknowledged'),
  millisBehindLatest: z.number(),
  lastSequenceNumber: z.string().describe('Checkpoint this (with the epoch) to acknowledge the batch'),
  records: z.array(recordView),
});

export type MemberAssignmentView = z.output<typeof memberAssignment>;
export type GroupBatchEvent = z.output<typeof groupBatchEvent>;
