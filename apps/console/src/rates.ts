import { useEffect, useState } from 'preact/hooks';
import { api, type StreamMetrics } from './api';

/** One point of a stream's charts: records per second in and out over the last interval, and the iterator age. */
export interface RatePoint {
  /** Unix seconds (uPlot's x unit). */
  time: number;
  incoming: number;
  outgoing: number;
  iteratorAgeMillis: number;
}

const POINTS = 120;

/** The rate between two samples of the gateway's counters: their difference over their sampledAt. */
export function rateBetween(previous: StreamMetrics, next: StreamMetrics): RatePoint {
  const seconds = Math.max(0.001, (Date.parse(next.sampledAt) - Date.parse(previous.sampledAt)) / 1000);
  return {
    time: Date.parse(next.sampledAt) / 1000,
    incoming: Math.max(0, next.incomingRecords - previous.incomingRecords) / seconds,
    outgoing: Math.max(0, next.outgoingRecords - previous.outgoingRecords) / seconds,
    iteratorAgeMillis: next.iteratorAgeMillis,
  };
}

/** Samples a stream's metrics every `intervalMs` and keeps the last two minutes of rates. */
export function useRates(stream: string, intervalMs = 1000): { points: RatePoint[]; latest?: StreamMetrics } {
  const [state, setState] = useState<{ points: RatePoint[]; latest?: StreamMetrics }>({ points: [] });
  useEffect(() => {
    let stopped = false;
    let previous: StreamMetrics | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    setState({ points: [] });
    const tick = async () => {
      const sample = await api.metrics(stream).catch(() => undefined);
      if (stopped) return;
      if (sample) {
        const last = previous;
        previous = sample;
        setState((s) => ({ latest: sample, points: last ? [...s.points, rateBetween(last, sample)].slice(-POINTS) : s.points }));
      }
      timer = setTimeout(() => void tick(), intervalMs);
    };
    void tick();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [stream, intervalMs]);
  return state;
}
