import { GetRecordsCommand, GetShardIteratorCommand, type KinesisClient, type _Record } from '@aws-sdk/client-kinesis';

/** Reads a shard from TRIM_HORIZON until a call returns nothing and the reader is at the tip. */
export async function readShard(kinesis: KinesisClient, StreamName: string, ShardId: string): Promise<_Record[]> {
  const { ShardIterator } = await kinesis.send(
    new GetShardIteratorCommand({ StreamName, ShardId, ShardIteratorType: 'TRIM_HORIZON' }),
  );
  const records: _Record[] = [];
  let iterator = ShardIterator;
  for (;;) {
    const page = await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator }));
    records.push(...page.Records!);
    iterator = page.NextShardIterator;
    if (page.Records!.length === 0 && page.MillisBehindLatest === 0) return records;
  }
}
