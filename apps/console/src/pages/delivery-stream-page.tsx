import { api } from '../api';
import { Problem } from '../components/problem';
import { usePoll } from '../hooks';

/** One delivery stream: configuration, buffer state (progress per source), metrics, delivered objects and error output. */
export function DeliveryStreamPage({ name }: { name: string }) {
  const { data: d, error } = usePoll(() => api.deliveryStream(name), 2000, [name]);
  return (
    <section>
      <h1>{name}</h1>
      <Problem error={error} />
      {d && (
        <>
          <p class="muted">
            {d.type} · {d.status} · version {d.versionId} · {d.destination.kind}
            {d.source ? ` · from ${d.source.kinesisStreamArn}` : ''}
          </p>
          <h2>Buffer state</h2>
          <table data-testid="progress">
            <thead>
              <tr>
                <th>Source</th>
                <th>Stored up to message</th>
                <th>Delivered up to message</th>
                <th>Waiting (messages)</th>
                <th>Batch in delivery</th>
              </tr>
            </thead>
            <tbody>
              {d.progress.length === 0 ? (
                <tr>
                  <td colSpan={5} class="muted">
                    Nothing delivered yet.
                  </td>
                </tr>
              ) : (
                d.progress.map((p) => (
                  <tr key={p.source} data-source={p.source} data-committed={p.committedSeq} data-stored={p.storedSeq ?? ''}>
                    <td>{p.source || 'direct put'}</td>
                    <td class="num">{p.storedSeq ?? '?'}</td>
                    <td class="num">{p.committedSeq}</td>
                    <td class="num">{p.storedSeq === undefined ? '?' : Math.max(0, p.storedSeq - p.committedSeq)}</td>
                    <td>{p.pending ? `${p.pending.fromSeq}–${p.pending.toSeq}` : '—'}</td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
          <h2>Metrics</h2>
          {Object.keys(d.metrics).length === 0 && (
            <p class="muted">No Firehose metrics in the gateway’s process: with separate processes they are on the firehose app’s /metrics.</p>
          )}
          <table data-testid="delivery-metrics">
            <tbody>
              {Object.entries(d.metrics).map(([metric, value]) => (
                <tr key={metric}>
                  <td class="mono">{metric}</td>
                  <td class="num">{value}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>
            Delivered objects <span class="muted">{d.bucket ? `in ${d.bucket}` : ''}</span>
          </h2>
          <ul class="objects mono" data-testid="objects">
            {d.objects.length === 0 ? <li class="muted">None yet.</li> : d.objects.map((key) => <li key={key}>{key}</li>)}
          </ul>
          <h2>Failures and error output</h2>
          <ul class="objects mono" data-testid="error-objects">
            {d.errorObjects.length === 0 ? <li class="muted">No error output.</li> : d.errorObjects.map((key) => <li key={key}>{key}</li>)}
          </ul>
          {d.lastError && <pre data-testid="last-error">{d.lastError}</pre>}
          <h2>Configuration</h2>
          <pre data-testid="configuration">{JSON.stringify(d.destination.config, null, 2)}</pre>
        </>
      )}
    </section>
  );
}
