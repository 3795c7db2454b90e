import { setFlagsFromString } from 'node:v8';

/**
 * Lets the heap grow to three times what survived the last full collection (V8's default is
 * 1.1-4 times, chosen from measured GC speed, and stays near the low end for a small heap).
 * Every PutRecords body becomes one string of up to ~7 MB for JSON.parse, allocated in the
 * large-object space that counts against the old generation: at ~100 requests/s the
 * default limit brought a full mark-compact every ~150 ms (`--trace-gc`), and the put
 * path's server CPU per record fell from ~22 to ~16 µs with this setting (`npm run bench`,
 * put phase). The cost is memory: a heap of ~75 MB live may reach ~225 MB before collecting.
 * SHARDLINE_HEAP_GROWING_PERCENT sets the growth (0: V8's own choice).
 */
export function tuneHeapGrowth(env: NodeJS.ProcessEnv = process.env): void {
  const percent = Number(env.SHARDLINE_HEAP_GROWING_PERCENT ?? 200);
  // V8 reads the flag at every full collection, so setting it at start-up takes effect.
  if (Number.isInteger(percent) && percent > 0) setFlagsFromString(`--heap-growing-percent=${percent}`);
}
