/**
 * A Kinesis endpoint that does no work: an h2c server (prior knowledge, as the SDK's
 * default Kinesis client speaks to http:// endpoints) answering every call with a canned
 * body chosen by its X-Amz-Target, the request body read and dropped. The bench drives the
 * unmodified SDK against it (bench/wire-floor.ts) in its own process, as it drives Shardline:
 * what the SDK and the transport cost on this machine with no server work at all.
 *
 * Answers: PutRecords, 500 entries for a large body and 10 for a small one (the SDK does not
 * count them); GetRecords, a 10,000-record page of 1 KiB records when the iterator is
 * `full`, else an empty page; GetShardIterator, the iterator `empty`. SubscribeToShard holds
 * its event stream open, and a small PutRecords pushes its records to the subscriptions at
 * once, spread over them as shards would (each record stamped with its arrival, as a shard
 * actor stamps it): enhanced fan-out with no storage at all.
 */
import { createServer, type ServerHttp2Stream } from 'node:http2';
import { encodeEvent, encodeInitialResponse, EVENT_STREAM_CONTENT_TYPE } from '@shardline/protocol';

const data = Buffer.alloc(1024, 7).toString('base64');
const putAnswer = (n: number) =>
  Buffer.from(JSON.stringify({ FailedRecordCount: 0, Records: Array.from({ length: n }, (_, i) => ({ SequenceNumber: `4${String(i).padStart(39, '0')}`, ShardId: 'shardId-000000000000' })) }));
const answers = {
  bigPut: putAnswer(500),
  smallPut: putAnswer(10),
  fullPage: Buffer.from(
    JSON.stringify({
      Records: Array.from({ length: 10_000 }, (_, i) => ({ SequenceNumber: `4${String(i).padStart(39, '0')}`, ApproximateArrivalTimestamp: 1.7e9, Data: data, PartitionKey: `pk-${i}` })),
      NextShardIterator: 'full',
      MillisBehindLatest: 0,
    }),
  ),
  emptyPage: Buffer.from(JSON.stringify({ Records: [], NextShardIterator: 'empty', MillisBehindLatest: 0 })),
  iterator: Buffer.from(JSON.stringify({ ShardIterator: 'empty' })),
};

const subscriptions = new Set<ServerHttp2Stream>();
let sequence = 0;

function subscribe(stream: ServerHttp2Stream): void {
  stream.respond({ ':status': 200, 'content-type': EVENT_STREAM_CONTENT_TYPE });
  stream.write(encodeInitialResponse());
  subscriptions.add(stream);
  stream.once('close', () => subscriptions.delete(stream));
}

/** A small put's records, pushed to the subscriptions (record i to subscription i mod n). */
function push(body: Buffer): void {
  const targets = [...subscriptions];
  if (targets.length === 0) return;
  const arrival = Date.now() / 1000;
  const events = targets.map(() => [] as object[]);
  const { Records } = JSON.parse(body.toString()) as { Records: Array<{ Data: string; PartitionKey: string }> };
  Records.forEach(({ Data, PartitionKey }, i) =>
    events[i % targets.length]!.push({ SequenceNumber: String(++sequence), ApproximateArrivalTimestamp: arrival, Data, PartitionKey, EncryptionType: 'NONE' }),
  );
  targets.forEach((stream, i) => {
    if (events[i]!.length === 0) return;
    const event = { Records: events[i], ContinuationSequenceNumber: String(sequence), MillisBehindLatest: 0 };
    stream.write(encodeEvent('SubscribeToShardEvent', JSON.stringify(event)));
  });
}

function answer(target: string, body: Buffer): Buffer {
  if (target.endsWith('.PutRecords')) {
    if (body.length > 64 * 1024) return answers.bigPut;
    push(body);
    return answers.smallPut;
  }
  if (target.endsWith('.GetRecords')) return body.includes('"full"') ? answers.fullPage : answers.emptyPage;
  return answers.iterator;
}

const server = createServer({ settings: { initialWindowSize: 16 * 1024 * 1024 } });
server.on('stream', (stream, headers) => {
  stream.on('error', () => undefined);
  if (String(headers['x-amz-target']).endsWith('.SubscribeToShard')) return subscribe(stream);
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => {
    if (stream.destroyed) return;
    stream.respond({ ':status': 200, 'content-type': 'application/x-amz-json-1.1' });
    stream.end(answer(String(headers['x-amz-target'] ?? ''), Buffer.concat(chunks)));
  });
});
server.on('sessionError', () => undefined);
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  console.log(`listening ${typeof address === 'object' && address ? address.port : 0}`);
});
process.on('SIGTERM', () => process.exit(0));
