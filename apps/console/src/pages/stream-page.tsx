import { api } from '../api';
import { GroupLag } from '../components/group-lag';
import { Problem } from '../components/problem';
import { RateChart } from '../components/rate-chart';
import { RecordTail } from '../components/record-tail';
import { ShardMap } from '../components/shard-map';
import { usePoll } from '../hooks';
import { useRates } from '../rates';

/** One stream: its shards over the hash-key space, live throughput, iterator age, consumer groups and a tail. */
export function StreamPage({ name }: { name: string }) {
  const { data: stream, error } = usePoll(() => api.stream(name), 3000, [name]);
  const { points, latest } = useRates(name);
  const last = points.at(-1);
  return (
    <section>
      <h1>{name}</h1>
      <Problem error={error} />
      {stream && (
        <p class="muted">
          {stream.status} · {stream.mode} · {stream.openShardCount} open shards · retention {stream.retentionHours} h
        </p>
      )}
      <h2>Shards by hash-key range</h2>
      {stream && <ShardMap shards={stream.shards} />}
      {stream && (
        <table data-testid="shards">
          <thead>
            <tr>
              <th>Shard</th>
              <th>Status</th>
              <th>Parents</th>
              <th>Starting hash key</th>
              <th>Ending hash key</th>
            </tr>
          </thead>
          <tbody>
            {stream.shards.map((s) => (
              <tr key={s.shardId} data-shard-id={s.shardId}>
                <td>{s.shardId}</td>
                <td>{s.status}</td>
                <td>{[s.parentShardId, s.adjacentParentShardId].filter(Boolean).join(', ') || '—'}</td>
                <td class="mono">{s.hashKeyRange.start}</td>
                <td class="mono">{s.hashKeyRange.end}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Throughput</h2>
      <div class="stats" data-testid="stats">
        <span>
          In: <b class="incoming-rate">{last ? last.incoming.toFixed(1) : '…'}</b> records/s
        </span>
        <span>
          Out: <b>{last ? last.outgoing.toFixed(1) : '…'}</b> records/s
        </span>
        <span>
          Iterator age: <b class="iterator-age">{latest ? `${latest.iteratorAgeMillis} ms` : '…'}</b>
        </span>
        <span>
          Throttled: <b>{latest ? `${latest.writeThrottled} writes, ${latest.readThrottled} reads` : '…'}</b>
        </span>
      </div>
      <RateChart points={points} />
      <h2>Consumer groups</h2>
      <GroupLag stream={name} />
      <h2>Live tail</h2>
      <RecordTail stream={name} />
    </section>
  );
}
