import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { RatePoint } from '../rates';

const WIDTH = 720;
const HEIGHT = 220;

/** Incoming and outgoing records per second of a stream (uPlot, on a canvas); redrawn on every sample. */
export function RateChart({ points }: { points: RatePoint[] }) {
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | undefined>(undefined);
  useEffect(() => {
    chart.current = new uPlot(
      {
        width: WIDTH,
        height: HEIGHT,
        series: [
          {},
          { label: 'incoming records/s', stroke: '#1f77b4', width: 2 },
          { label: 'outgoing records/s', stroke: '#ff7f0e', width: 2 },
        ],
        axes: [{}, { label: 'records/s' }],
        scales: { x: { time: true } },
      },
      [[], [], []],
      container.current!,
    );
    return () => chart.current?.destroy();
  }, []);
  useEffect(() => {
    chart.current?.setData([points.map((p) => p.time), points.map((p) => p.incoming), points.map((p) => p.outgoing)]);
  }, [points]);
  const last = points.at(-1);
  // The data attributes let a reader (and the console test) see what is drawn.
  return (
    <div
      class="chart"
      ref={container}
      data-points={points.length}
      data-incoming={last ? last.incoming.toFixed(2) : ''}
      data-outgoing={last ? last.outgoing.toFixed(2) : ''}
    />
  );
}
