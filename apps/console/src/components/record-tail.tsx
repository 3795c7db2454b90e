import { tailStream, type RecordView } from '../api';
import { useFeed } from '../hooks';

/** Text of a record: its JSON, or its bytes as UTF-8. */
function text(record: RecordView): string {
  if (record.data !== undefined) return JSON.stringify(record.data);
  const bytes = Uint8Array.from(atob(record.dataBase64), (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

/** The newest records put to a stream since the page opened (the tail's Server-Sent Events). */
export function RecordTail({ stream }: { stream: string }) {
  const records = useFeed<RecordView>((push) => tailStream(stream, push), 25, [stream]);
  return (
    <table class="tail" data-testid="tail">
      <thead>
        <tr>
          <th>Arrival</th>
          <th>Shard</th>
          <th>Partition key</th>
          <th>Sequence number</th>
          <th>Data</th>
        </tr>
      </thead>
      <tbody>
        {records.length === 0 ? (
          <tr>
            <td colSpan={5} class="muted">
              Waiting for records…
            </td>
          </tr>
        ) : (
          records.map((r) => (
            <tr key={r.sequenceNumber + r.shardId} class="record">
              <td>{new Date(r.arrivalTimestamp).toLocaleTimeString()}</td>
              <td>{r.shardId}</td>
              <td>{r.partitionKey}</td>
              <td class="mono">{r.sequenceNumber}</td>
              <td class="mono data">{text(r)}</td>
            </tr>
          ))
        )}
      </tbody>
    </table>
  );
}
