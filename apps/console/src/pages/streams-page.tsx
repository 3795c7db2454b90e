import { useRef } from 'preact/hooks';
import { api, type StreamMetrics, type StreamSummary } from '../api';
import { Link } from '../components/link';
import { Problem } from '../components/problem';
import { usePoll } from '../hooks';
import { rateBetween, type RatePoint } from '../rates';

interface Row {
  stream: StreamSummary;
  metrics?: StreamMetrics;
  /** Since the previous refresh's sample of the same stream. */
  rate?: RatePoint;
}

/** Every stream with its status, shards and throughput (records/s in and out since the previous refresh). */
export function StreamsPage() {
  const previous = useRef(new Map<string, StreamMetrics>());
  const { data, error } = usePoll(() => load(previous.current), 2000);
  return (
    <section>
      <h1>Streams</h1>
      <Problem error={error} />
      <table data-testid="streams">
        <thead>
          <tr>
            <th>Name</th>
            <th>Status</th>
            <th>Mode</th>
            <th>Open shards</th>
            <th>Incoming records/s</th>
            <th>Outgoing records/s</th>
            <th>Records in (total)</th>
          </tr>
        </thead>
        <tbody>
          {(data ?? []).map(({ stream, metrics, rate }) => {
            return (
              <tr key={stream.name} data-stream={stream.name}>
                <td>
                  <Link to={`/streams/${encodeURIComponent(stream.name)}`}>{stream.name}</Link>
                </td>
                <td>{stream.status}</td>
                <td>{stream.mode}</td>
                <td>{stream.openShardCount}</td>
                <td class="num">{rate ? rate.incoming.toFixed(1) : '…'}</td>
                <td class="num">{rate ? rate.outgoing.toFixed(1) : '…'}</td>
                <td class="num">{metrics?.incomingRecords ?? '…'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

async function load(previous: Map<string, StreamMetrics>): Promise<Row[]> {
  const { streams } = await api.streams();
  return Promise.all(
    streams.map(async (stream) => {
      const metrics = await api.metrics(stream.name).catch(() => undefined);
      const before = previous.get(stream.name);
      if (metrics) previous.set(stream.name, metrics);
      return { stream, ...(metrics ? { metrics } : {}), ...(metrics && before ? { rate: rateBetween(before, metrics) } : {}) };
    }),
  );
}
