import { useEffect, useRef, useState } from 'preact/hooks';

/** Loads `load()` now and every `intervalMs` (and on `refresh()`), keeping the last answer and the last error. */
export function usePoll<T>(load: () => Promise<T>, intervalMs: number, deps: unknown[] = []): { data?: T; error?: Error; refresh: () => void } {
  const [state, setState] = useState<{ data?: T; error?: Error }>({});
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      try {
        const data = await load();
        if (!stopped) setState({ data });
      } catch (error) {
        if (!stopped) setState((s) => ({ ...s, error: error as Error }));
      }
      if (!stopped) timer = setTimeout(() => void tick(), intervalMs);
    };
    void tick();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [...deps, generation]);
  return { ...state, refresh: () => setGeneration((g) => g + 1) };
}

/** Keeps the newest `max` items an event source pushes (newest first); `open` answers how to stop it. */
export function useFeed<T>(open: (push: (item: T) => void) => () => void, max: number, deps: unknown[]): T[] {
  const [items, setItems] = useState<T[]>([]);
  const openRef = useRef(open);
  openRef.current = open;
  useEffect(() => {
    setItems([]);
    return openRef.current((item) => setItems((list) => [item, ...list].slice(0, max)));
  }, deps);
  return items;
}
