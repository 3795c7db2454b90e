import { useEffect, useState } from 'preact/hooks';
import { api, type ApplicationView } from '../api';
import { LiveRows } from '../components/live-rows';
import { Problem } from '../components/problem';
import { usePoll } from '../hooks';

/** The error stream every application has (rows the SQL could not process). */
const ERROR_STREAM = 'error_stream';

/** One analytics application: a SQL editor that saves a new version, and live results of each stream. */
export function ApplicationPage({ name }: { name: string }) {
  const { data: app, error, refresh } = usePoll(() => api.application(name), 3000, [name]);
  return (
    <section>
      <h1>{name}</h1>
      <Problem error={error} />
      {app && (
        <>
          <p class="muted">
            {app.status} · version {app.version} · reads {app.input.streamName ?? `delivery stream ${app.input.deliveryStreamName ?? ""}`} ({app.input.format})
            {app.checkpoint ? ` · checkpoint ${new Date(app.checkpoint.savedAt).toLocaleTimeString()}` : ''}
          </p>
          <SqlEditor app={app} onSaved={refresh} />
          <h2>Live results</h2>
          {[...app.inAppStreams, ERROR_STREAM].map((stream) => (
            <LiveRows key={stream} application={name} stream={stream} />
          ))}
        </>
      )}
    </section>
  );
}

function SqlEditor({ app, onSaved }: { app: ApplicationView; onSaved: () => void }) {
  const [sql, setSql] = useState(app.sql);
  const [state, setState] = useState<{ saving?: boolean; saved?: number; error?: Error }>({});
  // A new version (saved here or elsewhere) replaces the text.
  useEffect(() => setSql(app.sql), [app.version]);
  const save = async () => {
    setState({ saving: true });
    try {
      const updated = await api.updateSql(app.name, sql);
      setState({ saved: updated.version });
      onSaved();
    } catch (error) {
      setState({ error: error as Error });
    }
  };
  return (
    <div class="sql-editor">
      <h2>SQL</h2>
      <textarea data-testid="sql" rows={12} spellcheck={false} value={sql} onInput={(e) => setSql(e.currentTarget.value)} />
      <div>
        <button data-testid="save-sql" disabled={state.saving || sql === app.sql} onClick={() => void save()}>
          Save (new version)
        </button>
        {state.saved !== undefined && <span class="saved"> Saved as version {state.saved}.</span>}
      </div>
      <Problem error={state.error} />
    </div>
  );
}
