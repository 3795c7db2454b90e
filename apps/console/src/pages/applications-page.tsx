import { api } from '../api';
import { Link } from '../components/link';
import { Problem } from '../components/problem';
import { usePoll } from '../hooks';

/** Every analytics application with its status, input stream and in-application streams. */
export function ApplicationsPage() {
  const { data, error } = usePoll(() => api.applications(), 3000);
  return (
    <section>
      <h1>Analytics applications</h1>
      <Problem error={error} />
      <table data-testid="applications">
        <thead>
          <tr>
            <th>Name</th>
            <th>Status</th>
            <th>Version</th>
            <th>Input stream</th>
            <th>In-application streams</th>
          </tr>
        </thead>
        <tbody>
          {(data?.applications ?? []).map((a) => (
            <tr key={a.name} data-application={a.name}>
              <td>
                <Link to={`/analytics/${encodeURIComponent(a.name)}`}>{a.name}</Link>
              </td>
              <td>{a.status}</td>
              <td class="num">{a.version}</td>
              <td>{a.input.streamName ?? `delivery stream ${a.input.deliveryStreamName ?? ""}`}</td>
              <td>{a.inAppStreams.join(', ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
