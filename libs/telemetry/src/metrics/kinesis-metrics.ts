/**
 * Kinesis Data Streams metrics, named after CloudWatch's (AWS/Kinesis namespace) in
 * Prometheus style. Every series has a `stream` label; the shard-level ones (those
 * EnableEnhancedMonitoring can turn on) carry a `shard` label too, but only for streams
 * whose enhanced monitoring includes them, so `sum by (stream)` is the stream-level value
 * either way. Hot paths keep a `StreamMeters` per stream and add per batch, never per record.
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

type CounterChild = Counter.Internal;
type GaugeChild = Gauge.Internal<string>;
type HistogramChild = Histogram.Internal<string>;

/** A metric's Prometheus name, its CloudWatch name, and whether enhanced monitoring splits it by shard. */
export interface MetricDefinition {
  name: string;
  cloudwatchName: string;
  help: string;
  /** The ShardLevelMetrics value that adds a `shard` label (absent: stream level only). */
  shardLevel?: string;
}

/** Every Kinesis metric Shardline exports (docs/observability.md lists the same). */
export const KINESIS_METRICS = {
  incomingRecords: {
    name: 'kinesis_incoming_records_total',
    cloudwatchName: 'IncomingRecords',
    help: 'Records successfully put (PutRecord, PutRecords).',
    shardLevel: 'IncomingRecords',
  },
  incomingBytes: {
    name: 'kinesis_incoming_bytes_total',
    cloudwatchName: 'IncomingBytes',
    help: 'Bytes of data successfully put (PutRecord, PutRecords).',
    shardLevel: 'IncomingBytes',
  },
  putRecordsLatency: {
    name: 'kinesis_put_records_latency_seconds',
    cloudwatchName: 'PutRecords.Latency',
    help: 'Time a PutRecord or PutRecords call takes on the server, in seconds.',
  },
  getRecordsRecords: {
    name: 'kinesis_get_records_records_total',
    cloudwatchName: 'GetRecords.Records',
    help: 'Records returned by GetRecords calls.',
    shardLevel: 'OutgoingRecords',
  },
  iteratorAge: {
    name: 'kinesis_get_records_iterator_age_milliseconds',
    cloudwatchName: 'GetRecords.IteratorAgeMilliseconds',
    help: 'Age of the last record the latest GetRecords call returned (0 when it returned none at the tip).',
    shardLevel: 'IteratorAgeMilliseconds',
  },
  writeThrottled: {
    name: 'kinesis_write_provisioned_throughput_exceeded_total',
    cloudwatchName: 'WriteProvisionedThroughputExceeded',
    help: 'Records refused by a shard write limit (ProvisionedThroughputExceededException).',
    shardLevel: 'WriteProvisionedThroughputExceeded',
  },
  readThrottled: {
    name: 'kinesis_read_provisioned_throughput_exceeded_total',
    cloudwatchName: 'ReadProvisionedThroughputExceeded',
    help: 'GetRecords calls refused by a shard read limit (ProvisionedThroughputExceededException).',
    shardLevel: 'ReadProvisionedThroughputExceeded',
  },
  subscribeMillisBehind: {
    name: 'kinesis_subscribe_to_shard_event_millis_behind_latest',
    cloudwatchName: 'SubscribeToShardEvent.MillisBehindLatest',
    help: 'MillisBehindLatest of the latest SubscribeToShard event sent to a consumer.',
  },
  subscribeRecords: {
    name: 'kinesis_subscribe_to_shard_event_records_total',
    cloudwatchName: 'SubscribeToShardEvent.Records',
    help: 'Records sent to consumers in SubscribeToShard events.',
  },
} as const satisfies Record<string, MetricDefinition>;

/** What the meters need to know of a stream: its id (to forget it once deleted), name and shard-level metrics. */
export interface MeteredStream {
  id: string;
  name: string;
  enhancedMonitoring: readonly string[];
}

/** The Kinesis metric families of one registry, and the meters of each stream. */
export class KinesisMetrics {
  readonly incomingRecords: Counter<string>;
  readonly incomingBytes: Counter<string>;
  readonly putRecordsLatency: Histogram<string>;
  readonly getRecordsRecords: Counter<string>;
  readonly iteratorAge: Gauge<string>;
  readonly writeThrottled: Counter<string>;
  readonly readThrottled: Counter<string>;
  readonly subscribeMillisBehind: Gauge<string>;
  readonly subscribeRecords: Counter<string>;
  private readonly streams = new Map<string, StreamMeters>();
  /** Every family above, each with a `stream` label. */
  private readonly families: ReadonlyArray<Counter<string> | Gauge<string> | Histogram<string>>;

  constructor(registry: Registry) {
    const m = KINESIS_METRICS;
    const perShard = ['stream', 'shard'];
    const registers = [registry];
    const counter = (d: MetricDefinition, labelNames: string[]) => new Counter({ name: d.name, help: d.help, labelNames, registers });
    const gauge = (d: MetricDefinition, labelNames: string[]) => new Gauge({ name: d.name, help: d.help, labelNames, registers });
    this.incomingRecords = counter(m.incomingRecords, perShard);
    this.incomingBytes = counter(m.incomingBytes, perShard);
    this.putRecordsLatency = new Histogram({
      name: m.putRecordsLatency.name,
      help: m.putRecordsLatency.help,
      labelNames: ['stream'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.getRecordsRecords = counter(m.getRecordsRecords, perShard);
    this.iteratorAge = gauge(m.iteratorAge, perShard);
    this.writeThrottled = counter(m.writeThrottled, perShard);
    this.readThrottled = counter(m.readThrottled, perShard);
    this.subscribeMillisBehind = gauge(m.subscribeMillisBehind, ['stream', 'consumer']);
    this.subscribeRecords = counter(m.subscribeRecords, ['stream', 'consumer']);
    this.families = [
      this.incomingRecords,
      this.incomingBytes,
      this.putRecordsLatency,
      this.getRecordsRecords,
      this.iteratorAge,
      this.writeThrottled,
      this.readThrottled,
      this.subscribeMillisBehind,
      this.subscribeRecords,
    ];
  }

  /** Whether this process has meters of the stream (by id). */
  tracks(streamId: string): boolean {
    for (const meters of this.streams.values()) if (meters.streamId === streamId) return true;
    return false;
  }

  /**
   * Drops a deleted stream's meters and every series labelled with its name, which would
   * otherwise stay on /metrics for the life of the process (a stream made again under the
   * name starts from zero, as CloudWatch's metrics of a new stream do).
   */
  async forget(streamId: string): Promise<void> {
    for (const [name, meters] of this.streams) {
      if (meters.streamId !== streamId) continue;
      this.streams.delete(name);
      for (const family of this.families) {
        const labelSets = new Map<string, Record<string, string | number>>();
        for (const { labels } of (await family.get()).values) {
          if (labels.stream !== name) continue;
          const { le: _bucket, ...series } = labels as Record<string, string | number>; // a histogram's buckets are one series
          labelSets.set(JSON.stringify(series), series);
        }
        for (const labels of labelSets.values()) family.remove(labels);
      }
    }
  }

  /** The meters of a stream, cached; rebuilt when its enhanced monitoring changed. */
  of(stream: MeteredStream): StreamMeters {
    const cached = this.streams.get(stream.name);
    if (cached && cached.follows(stream.enhancedMonitoring)) return cached;
    const meters = new StreamMeters(this, stream);
    this.streams.set(stream.name, meters);
    return meters;
  }
}

/** Put latencies: 0.5 ms to 10 s. */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** A metric of one stream: one series, or one per shard when enhanced monitoring covers it. */
class StreamSeries<Child> {
  private readonly shards?: Map<string, Child>;
  private readonly whole?: Child;

  constructor(
    private readonly family: { labels(labels: Record<string, string>): Child },
    private readonly stream: string,
    perShard: boolean,
  ) {
    // The label object form leaves `shard` off the stream-level series.
    if (perShard) this.shards = new Map();
    else this.whole = family.labels({ stream });
  }

  /** The series a shard's numbers go to (children are cached: prom-client makes a new one per labels() call). */
  of(shardId: string): Child {
    if (this.whole !== undefined) return this.whole;
    let child = this.shards!.get(shardId);
    if (child === undefined) this.shards!.set(shardId, (child = this.family.labels({ stream: this.stream, shard: shardId })));
    return child;
  }
}

/** One stream's meters: what the write, read and fan-out paths call. */
export class StreamMeters {
  private readonly monitoring: readonly string[];
  private readonly records: StreamSeries<CounterChild>;
  private readonly bytes: StreamSeries<CounterChild>;
  private readonly outgoing: StreamSeries<CounterChild>;
  private readonly age: StreamSeries<GaugeChild>;
  private readonly writeLimit: StreamSeries<CounterChild>;
  private readonly readLimit: StreamSeries<CounterChild>;
  private readonly latency: HistogramChild;
  private readonly consumers = new Map<string, { behind: GaugeChild; records: CounterChild }>();

  constructor(
    private readonly metrics: KinesisMetrics,
    private readonly stream: MeteredStream,
  ) {
    const m = KINESIS_METRICS;
    this.monitoring = stream.enhancedMonitoring;
    const shardLevel = (definition: MetricDefinition) =>
      definition.shardLevel !== undefined && this.monitoring.includes(definition.shardLevel);
    this.records = new StreamSeries(metrics.incomingRecords, stream.name, shardLevel(m.incomingRecords));
    this.bytes = new StreamSeries(metrics.incomingBytes, stream.name, shardLevel(m.incomingBytes));
    this.outgoing = new StreamSeries(metrics.getRecordsRecords, stream.name, shardLevel(m.getRecordsRecords));
    this.age = new StreamSeries(metrics.iteratorAge, stream.name, shardLevel(m.iteratorAge));
    this.writeLimit = new StreamSeries(metrics.writeThrottled, stream.name, shardLevel(m.writeThrottled));
    this.readLimit = new StreamSeries(metrics.readThrottled, stream.name, shardLevel(m.readThrottled));
    this.latency = metrics.putRecordsLatency.labels({ stream: stream.name });
  }

  get streamId(): string {
    return this.stream.id;
  }

  /** True while the stream's shard-level metrics are those these meters were built for. */
  follows(monitoring: readonly string[]): boolean {
    return monitoring === this.monitoring || (monitoring.length === this.monitoring.length && monitoring.every((m, i) => m === this.monitoring[i]));
  }

  /** A shard stored `records` records of `bytes` bytes of data. */
  written(shardId: string, records: number, bytes: number): void {
    this.records.of(shardId).inc(records);
    this.bytes.of(shardId).inc(bytes);
  }

  /** A shard's write limit refused `records` records. */
  writeThrottled(shardId: string, records: number): void {
    this.writeLimit.of(shardId).inc(records);
  }

  /** A shard's read limit refused a GetRecords call. */
  readThrottled(shardId: string): void {
    this.readLimit.of(shardId).inc(1);
  }

  /** A GetRecords call on a shard answered `records` records, the last of them this old (ms). */
  read(shardId: string, records: number, ageMs: number): void {
    if (records > 0) this.outgoing.of(shardId).inc(records);
    this.age.of(shardId).set(ageMs);
  }

  /** A PutRecord(s) call took this long. */
  putLatency(seconds: number): void {
    this.latency.observe(seconds);
  }

  /** A SubscribeToShard event went to a consumer. */
  subscribeEvent(consumer: string, records: number, millisBehindLatest: number): void {
    let series = this.consumers.get(consumer);
    if (!series) {
      series = {
        behind: this.metrics.subscribeMillisBehind.labels({ stream: this.stream.name, consumer }),
        records: this.metrics.subscribeRecords.labels({ stream: this.stream.name, consumer }),
      };
      this.consumers.set(consumer, series);
    }
    series.behind.set(millisBehindLatest);
    series.records.inc(records);
  }
}
