/* global Buffer, setTimeout */
// The process a transform plugin runs in: plain JavaScript (no build step, no register hook),
// forked by PluginProcess with 'advanced' IPC serialization, an empty environment except what
// the plugin's configuration names, and a V8 heap limit. It loads the handler once (a warm
// Lambda container), then answers one invocation at a time.
//
// Wire (structured clone, so Buffers cross without base64 or JSON):
//   parent -> child  {type:'invoke', id, deadline, awsRequestId, event:{invocationId, deliveryStreamArn,
//                     sourceKinesisStreamArn?, region}, ids[], arrivals[], data: Buffer, ends[], metadata[]|undefined}
//   child  -> parent {type:'ready'} | {type:'init-error', errorType, errorMessage}
//                    {type:'result', id, ids[], results[], data: Buffer, ends[], keys[]}
//                    {type:'error', id, errorType, errorMessage}
// The child builds the Lambda event (base64 data) and decodes the answer's base64, so that
// CPU is spent in the plugin's process, on another core, not in the service.
'use strict';
const { pathToFileURL } = require('node:url');

const config = JSON.parse(process.argv[2]);
const RESULTS = new Set(['Ok', 'Dropped', 'ProcessingFailed']);
let handler;
let current; // id of the invocation in progress

function send(message) {
  if (process.connected) process.send(message);
}

function errorOf(err) {
  if (err instanceof Error) return { errorType: err.name || 'Error', errorMessage: err.message };
  return { errorType: 'Error', errorMessage: typeof err === 'string' ? err : JSON.stringify(err) ?? String(err) };
}

async function load() {
  const mod = await import(pathToFileURL(config.entry).href);
  // CommonJS arrives as the default export (module.exports); named exports of ESM at the top.
  const fn = mod[config.handler] ?? (mod.default && mod.default[config.handler]) ?? (config.handler === 'handler' && typeof mod.default === 'function' ? mod.default : undefined);
  if (typeof fn !== 'function') {
    const err = new Error(`${config.entry} does not export a function named ${config.handler}`);
    err.name = 'Runtime.HandlerNotFound';
    throw err;
  }
  return fn;
}

function lambdaEvent(msg) {
  const records = new Array(msg.ids.length);
  let start = 0;
  for (let i = 0; i < records.length; i++) {
    const end = msg.ends[i];
    const record = { recordId: msg.ids[i], approximateArrivalTimestamp: msg.arrivals[i], data: msg.data.toString('base64', start, end) };
    const metadata = msg.metadata && msg.metadata[i];
    if (metadata) record.kinesisRecordMetadata = metadata;
    records[i] = record;
    start = end;
  }
  const event = { invocationId: msg.event.invocationId, deliveryStreamArn: msg.event.deliveryStreamArn };
  if (msg.event.sourceKinesisStreamArn) event.sourceKinesisStreamArn = msg.event.sourceKinesisStreamArn;
  event.region = msg.event.region;
  event.records = records;
  return event;
}

/** The Lambda Node runtime's context object, as far as a transform can use it. */
function lambdaContext(msg, settle) {
  return {
    functionName: config.functionName,
    functionVersion: config.functionVersion,
    invokedFunctionArn: config.invokedFunctionArn,
    memoryLimitInMB: String(config.memoryMiB),
    awsRequestId: msg.awsRequestId,
    logGroupName: `/aws/lambda/${config.functionName}`,
    logStreamName: `shardline/${config.functionVersion}/${process.pid}`,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, msg.deadline - Date.now()),
    done: (err, value) => settle(err, value),
    succeed: (value) => settle(null, value),
    fail: (err) => settle(err ?? new Error('failed')),
  };
}

/** Runs the handler in any of Lambda's styles: a promise, or the callback (or context.done/succeed/fail). */
function run(msg) {
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (err, value) => {
      if (settled) return;
      settled = true;
      if (err !== null && err !== undefined) reject(err);
      else resolve(value);
    };
    const returned = handler(lambdaEvent(msg), lambdaContext(msg, settle), settle);
    if (returned && typeof returned.then === 'function') returned.then((value) => settle(null, value), (err) => settle(err ?? new Error('rejected')));
  });
}

function malformed(message) {
  const err = new Error(message);
  err.name = 'Lambda.MalformedResponse';
  return err;
}

function stringValues(object) {
  const out = {};
  for (const key of Object.keys(object)) out[key] = String(object[key]);
  return out;
}

/** Checks the answer's shape and decodes its data once; recordId bookkeeping is the host's (contract.ts). */
function encodeResult(id, response) {
  if (typeof response === 'string') {
    try {
      response = JSON.parse(response);
    } catch {
      throw malformed('The transform returned a string that is not JSON');
    }
  }
  if (!response || !Array.isArray(response.records)) throw malformed('The transform returned no records array');
  const n = response.records.length;
  const ids = new Array(n);
  const results = new Array(n);
  const ends = new Array(n);
  const keys = new Array(n);
  const parts = [];
  let size = 0;
  for (let i = 0; i < n; i++) {
    const record = response.records[i];
    if (!record || typeof record.recordId !== 'string') throw malformed(`records[${i}] has no recordId`);
    if (!RESULTS.has(record.result)) throw malformed(`records[${i}].result must be Ok, Dropped or ProcessingFailed, not ${JSON.stringify(record.result)}`);
    if (record.result === 'Ok' && typeof record.data !== 'string') throw malformed(`records[${i}].data must be a base64 string`);
    ids[i] = record.recordId;
    results[i] = record.result;
    const data = typeof record.data === 'string' && record.result === 'Ok' ? Buffer.from(record.data, 'base64') : undefined;
    if (data) {
      parts.push(data);
      size += data.length;
    }
    ends[i] = size;
    const partitionKeys = record.metadata && record.metadata.partitionKeys;
    // Keys are strings in Firehose; copied so that nothing uncloneable reaches process.send.
    keys[i] = partitionKeys && typeof partitionKeys === 'object' ? stringValues(partitionKeys) : undefined;
  }
  return { type: 'result', id, ids, results, data: Buffer.concat(parts, size), ends, keys };
}

async function invoke(msg) {
  current = msg.id;
  try {
    const response = await run(msg);
    send(encodeResult(msg.id, response));
  } catch (err) {
    send({ type: 'error', id: msg.id, ...errorOf(err) });
  } finally {
    current = undefined;
  }
}

// Lambda's runtime fails the invocation and recycles the sandbox on an uncaught error: so do
// we. The host kills the process when it reads the error (exiting here could overtake it).
function crash(err) {
  const { errorMessage } = errorOf(err);
  if (current === undefined || !process.connected) process.exit(1);
  send({ type: 'error', id: current, errorType: 'Runtime.UncaughtException', errorMessage });
  current = undefined;
  setTimeout(() => process.exit(1), 1000).unref();
}
process.on('uncaughtException', crash);
process.on('unhandledRejection', crash);
process.on('disconnect', () => process.exit(0));
process.on('message', (msg) => {
  if (msg.type === 'invoke') void invoke(msg);
});

load().then(
  (fn) => {
    handler = fn;
    send({ type: 'ready' });
  },
  (err) => {
    const { errorType, errorMessage } = errorOf(err);
    send({ type: 'init-error', errorType: errorType === 'Runtime.HandlerNotFound' ? errorType : 'Runtime.ImportModuleError', errorMessage: `${errorType}: ${errorMessage}` });
  },
);
