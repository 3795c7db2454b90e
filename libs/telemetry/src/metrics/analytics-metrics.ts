/**
 * Analytics application metrics, after CloudWatch's for Kinesis Data Analytics (namespace
 * AWS/KinesisAnalytics: MillisBehindLatest, Records by flow) in Prometheus style. Every series
 * has an `application` label and the input stream or output it measures. Runners report once
 * per source message (a producer's batch of records) and once per output write, never per row.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { MetricDefinition } from './kinesis-metrics';

/** Every analytics metric Shardline exports (docs/observability.md lists the same). */
export const ANALYTICS_METRICS = {
  millisBehindLatest: {
    name: 'analytics_input_millis_behind_latest',
    cloudwatchName: 'MillisBehindLatest',
    help: "How far behind the newest record of its input stream an application read (ms; 0 at the tip): the slowest shard's, the largest since the previous scrape.",
  },
  inputRecords: {
    name: 'analytics_input_records_total',
    cloudwatchName: 'Records (Flow=Input)',
    help: 'Records an application read from its input stream.',
  },
  outputRecords: {
    name: 'analytics_output_records_total',
    cloudwatchName: 'Records (Flow=Output)',
    help: 'Rows an application wrote to an output (stream, delivery stream, Postgres table, webhook).',
  },
} as const satisfies Record<string, MetricDefinition>;

/** The analytics metric families of one registry; shared by the runners of a process. */
export class AnalyticsMetrics {
  readonly millisBehindLatest: Gauge<string>;
  readonly inputRecords: Counter<string>;
  readonly outputRecords: Counter<string>;
  /** The running applications' meters, whose lag each scrape reads. */
  private readonly running = new Set<ApplicationMeters>();

  private constructor(registry: Registry) {
    const m = ANALYTICS_METRICS;
    const registers = [registry];
    const running = this.running;
    this.millisBehindLatest = new Gauge({
      name: m.millisBehindLatest.name,
      help: m.millisBehindLatest.help,
      labelNames: ['application', 'input'],
      registers,
      // At each scrape: a lag spike between two scrapes (a burst caught up within seconds) still shows once.
      collect() {
        for (const meters of running) meters.scraped();
      },
    });
    this.inputRecords = new Counter({ name: m.inputRecords.name, help: m.inputRecords.help, labelNames: ['application', 'input'], registers });
    this.outputRecords = new Counter({ name: m.outputRecords.name, help: m.outputRecords.help, labelNames: ['application', 'output'], registers });
  }

  private static readonly byRegistry = new WeakMap<Registry, AnalyticsMetrics>();

  /** The families on `registry`, registered once however many analytics runtimes share it. */
  static on(registry: Registry): AnalyticsMetrics {
    let metrics = AnalyticsMetrics.byRegistry.get(registry);
    if (!metrics) AnalyticsMetrics.byRegistry.set(registry, (metrics = new AnalyticsMetrics(registry)));
    return metrics;
  }

  /** The meters of one running application reading `input`. */
  application(application: string, input: string): ApplicationMeters {
    const meters = new ApplicationMeters(this, application, input);
    this.running.add(meters);
    return meters;
  }

  /** An application's runner stopped: its lag series goes (another process may run it now); counters stay. */
  closed(meters: ApplicationMeters, application: string, input: string): void {
    this.running.delete(meters);
    this.millisBehindLatest.remove({ application, input });
  }
}

/** One running application's meters: its input lag (slowest shard) and its record counts. */
export class ApplicationMeters {
  private readonly behind = new Map<string, number>();
  /** The slowest shard's lag now, and the largest since the last scrape. */
  private current = 0;
  private peak = 0;
  private readonly lag: Gauge.Internal<string>;
  private readonly read: Counter.Internal;
  private readonly outputs = new Map<string, Counter.Internal>();

  constructor(
    private readonly metrics: AnalyticsMetrics,
    private readonly application: string,
    private readonly input: string,
  ) {
    this.lag = metrics.millisBehindLatest.labels({ application, input });
    this.read = metrics.inputRecords.labels({ application, input });
  }

  /**
   * A shard's reader took a message of `records` records that arrived at `arrival`, with
   * `pending` messages after it (0: at the tip, 0 ms behind).
   */
  readMessage(shardId: string, records: number, arrival: number, pending: number, now: number): void {
    this.read.inc(records);
    this.behind.set(shardId, pending > 0 ? Math.max(0, now - arrival) : 0);
    let slowest = 0;
    for (const ms of this.behind.values()) slowest = Math.max(slowest, ms);
    this.current = slowest;
    this.peak = Math.max(this.peak, slowest);
  }

  /** A scrape reads the lag: the peak since the previous one, then the peak starts again from now. */
  scraped(): void {
    this.lag.set(this.peak);
    this.peak = this.current;
  }

  /** `rows` rows were written to an output. */
  wrote(output: string, rows: number): void {
    let counter = this.outputs.get(output);
    if (!counter) this.outputs.set(output, (counter = this.metrics.outputRecords.labels({ application: this.application, output })));
    counter.inc(rows);
  }

  /** The application stopped here. */
  close(): void {
    this.metrics.closed(this, this.application, this.input);
  }
}
