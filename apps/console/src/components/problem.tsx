import { ApiError } from '../api';

/** An API error as the console shows it: the problem's title and detail, and its field errors. */
export function Problem({ error }: { error?: Error }) {
  if (!error) return null;
  const fields = error instanceof ApiError ? (error.problem.errors ?? []) : [];
  return (
    <div class="problem" role="alert">
      {error.message}
      {fields.map((f) => (
        <div key={f.path}>
          {f.path}: {f.message}
        </div>
      ))}
    </div>
  );
}
