import { useEffect, useState } from 'preact/hooks';

/** The console's base path: every page lives under it, so deep links reload to the same page. */
export const BASE = '/console';

/** The path after /console, e.g. /streams/orders. */
function currentPath(): string {
  const path = decodeURI(location.pathname);
  return path.startsWith(BASE) ? path.slice(BASE.length) || '/' : '/';
}

export function navigate(path: string): void {
  history.pushState(null, '', BASE + path);
  dispatchEvent(new PopStateEvent('popstate'));
}

/** The current path, following links and the back button. */
export function usePath(): string {
  const [path, setPath] = useState(currentPath);
  useEffect(() => {
    const update = () => setPath(currentPath());
    addEventListener('popstate', update);
    return () => removeEventListener('popstate', update);
  }, []);
  return path;
}

/** Matches `/streams/:name` style patterns; answers the decoded parameters or undefined. */
export function match(pattern: string, path: string): Record<string, string> | undefined {
  const names: string[] = [];
  const regex = new RegExp(`^${pattern.replace(/:(\w+)/g, (_m, name: string) => (names.push(name), '([^/]+)'))}/?$`);
  const found = regex.exec(path);
  return found ? Object.fromEntries(names.map((name, i) => [name, found[i + 1]!])) : undefined;
}
