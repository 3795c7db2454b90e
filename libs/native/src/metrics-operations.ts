/**
 * A stream's Kinesis metrics as this gateway's Prometheus registry holds them (the same
 * series GET /metrics serves), summed over shard labels: what the console charts.
 */
import { unavailable } from '@shardline/protocol';
import { streamMetricsView } from './console-schemas';
import { defineOperation } from './operation';
import { noQuery, streamParams } from './schemas';

const SUMMED = {
  incomingRecords: ['kinesis_incoming_records_total'],
  incomingBytes: ['kinesis_incoming_bytes_total'],
  outgoingRecords: ['kinesis_get_records_records_total', 'kinesis_subscribe_to_shard_event_records_total'],
  writeThrottled: ['kinesis_write_provisioned_throughput_exceeded_total'],
  readThrottled: ['kinesis_read_provisioned_throughput_exceeded_total'],
} as const;

export const streamMetrics = defineOperation({
  name: 'streamMetrics',
  method: 'GET',
  path: '/v1/streams/{name}/metrics',
  summary: "A stream's metrics on this gateway (totals since it started, and the largest iterator age)",
  params: streamParams,
  query: noQuery,
  response: streamMetricsView,
  async run(services, { params }) {
    if (!services.metrics) throw unavailable('Metrics are not available on this server');
    await services.activeStream(params.name); // 404 for a stream that does not exist
    const samples = (await services.metrics()).filter((s) => s.labels.stream === params.name);
    const sum = (names: readonly string[]) => samples.filter((s) => names.includes(s.name)).reduce((total, s) => total + s.value, 0);
    const ages = samples.filter((s) => s.name === 'kinesis_get_records_iterator_age_milliseconds').map((s) => s.value);
    return {
      stream: params.name,
      sampledAt: new Date(services.now()).toISOString(),
      ...Object.fromEntries(Object.entries(SUMMED).map(([key, names]) => [key, sum(names)])),
      iteratorAgeMillis: Math.max(0, ...ages),
    };
  },
});
