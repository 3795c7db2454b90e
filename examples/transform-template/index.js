// A Firehose transform for Shardline (and, unmodified, for AWS Lambda): JSON records in,
// newline-delimited JSON out, partitioned by customer. No runtime dependencies, so it can
// be published as this one file (`shardline plugins publish <name> index.js`) or packed
// (`npm pack`, then publish the .tgz).
//
// - a record that is not JSON is ProcessingFailed (it goes to the error output);
// - a heartbeat ({"type":"heartbeat"}) is Dropped;
// - anything else is re-serialised with a `source` field and a trailing newline, and keyed
//   by customerId for dynamic partitioning (partitionKeyFromLambda:customerId).

const { Buffer } = require('node:buffer');

/** @type {import('@shardline/plugin-sdk').FirehoseTransformationHandler} */
exports.handler = async (event) => ({
  records: event.records.map((record) => {
    let value;
    try {
      value = JSON.parse(Buffer.from(record.data, 'base64').toString('utf8'));
    } catch {
      return { recordId: record.recordId, result: 'ProcessingFailed', data: record.data };
    }
    if (value && value.type === 'heartbeat') return { recordId: record.recordId, result: 'Dropped', data: record.data };
    const out = { ...value, source: process.env.SOURCE_NAME || 'unknown' };
    return {
      recordId: record.recordId,
      result: 'Ok',
      data: Buffer.from(`${JSON.stringify(out)}\n`).toString('base64'),
      metadata: { partitionKeys: { customerId: String(value.customerId ?? 'none') } },
    };
  }),
});
