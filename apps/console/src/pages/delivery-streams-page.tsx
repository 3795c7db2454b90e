import { api } from '../api';
import { Link } from '../components/link';
import { Problem } from '../components/problem';
import { usePoll } from '../hooks';

/** Every delivery stream (Firehose) with its type, status and destination. */
export function DeliveryStreamsPage() {
  const { data, error } = usePoll(() => api.deliveryStreams(), 3000);
  return (
    <section>
      <h1>Delivery streams</h1>
      <Problem error={error} />
      <table data-testid="delivery-streams">
        <thead>
          <tr>
            <th>Name</th>
            <th>Type</th>
            <th>Status</th>
            <th>Destination</th>
          </tr>
        </thead>
        <tbody>
          {(data?.deliveryStreams ?? []).map((d) => (
            <tr key={d.name} data-delivery-stream={d.name}>
              <td>
                <Link to={`/delivery-streams/${encodeURIComponent(d.name)}`}>{d.name}</Link>
              </td>
              <td>{d.type}</td>
              <td>{d.status}</td>
              <td>{d.destination}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
