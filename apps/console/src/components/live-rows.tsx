import { liveRows } from '../api';
import { useFeed } from '../hooks';

/** A cell's text: ROWTIME (epoch milliseconds) as a time, objects as JSON. */
function cell(column: string, value: unknown): string {
  if (column === 'ROWTIME' && typeof value === 'number') return new Date(value).toISOString();
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value ?? '');
}

/** The newest rows a running application produces on one in-application stream (or error_stream). */
export function LiveRows({ application, stream }: { application: string; stream: string }) {
  const rows = useFeed<Record<string, unknown>>((push) => liveRows(application, stream, push), 20, [application, stream]);
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  return (
    <div class="live" data-live-stream={stream}>
      <h3>{stream}</h3>
      {rows.length === 0 ? (
        <p class="muted">No rows yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              {columns.map((c) => (
                <th key={c}>{c}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row, i) => (
              <tr key={i} class="row">
                {columns.map((c) => (
                  <td key={c}>{cell(c, row[c])}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
