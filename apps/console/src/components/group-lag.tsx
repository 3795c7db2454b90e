import { api, type GroupView } from '../api';
import { usePoll } from '../hooks';
import { Problem } from './problem';

/** A stream's consumer groups: each shard's holder, checkpoint and lag (GET …/groups/{group}). */
export function GroupLag({ stream }: { stream: string }) {
  const { data, error } = usePoll(async () => {
    const { groups } = await api.groups(stream);
    return Promise.all(groups.map((g) => api.group(stream, g.groupName)));
  }, 2000, [stream]);
  if (data && data.length === 0) return <p class="muted">No consumer groups.</p>;
  return (
    <div data-testid="groups">
      <Problem error={error} />
      {(data ?? []).map((group: GroupView) => (
        <div key={group.groupName} class="group" data-group={group.groupName}>
          <h3>
            {group.groupName} <span class="muted">({group.members.length} members)</span>
          </h3>
          <table>
            <thead>
              <tr>
                <th>Shard</th>
                <th>Status</th>
                <th>Owner</th>
                <th>Checkpoint</th>
                <th>Lag (records)</th>
                <th>Lag (ms)</th>
              </tr>
            </thead>
            <tbody>
              {group.shards.map((s) => (
                <tr key={s.shardId} data-shard-id={s.shardId}>
                  <td>{s.shardId}</td>
                  <td>{s.shardEnd ? 'SHARD_END' : s.status}</td>
                  <td>{s.owner ?? '—'}</td>
                  <td class="mono">{s.checkpoint ?? '—'}</td>
                  <td class="num lag-records">{s.lagRecords}</td>
                  <td class="num">{Math.round(s.lagMillis)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
    </div>
  );
}
