import http2 from 'node:http2';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
const cpu = (pid: number) => { const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' '); return (Number(f[11]) + Number(f[12])) * 10000; };
const N = Number(process.env.N ?? 4000);
(async () => {
  const port = 47000 + Math.floor(Math.random() * 1000);
  const child = spawn(process.execPath, [...(process.env.PROF ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof4'] : []), '-r', '@swc-node/register', 'apps/standalone/src/main.ts'], { env: { ...process.env, PORT: String(port), DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/shardline_bench', SHARDLINE_STREAM_CREATE_DELAY_MS: '0' }, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((r) => child.stdout!.on('data', (c: Buffer) => c.toString().includes('listening') && r()));
  const shared = http2.connect(`http://127.0.0.1:${port}`);
  const call = (fresh: boolean, path: string, op: string, body: object) => new Promise<string>((res, rej) => {
    const s = fresh ? http2.connect(`http://127.0.0.1:${port}`) : shared;
    const r = s.request({ ':method': 'POST', ':path': path, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'Kinesis_20131202.' + op });
    let b = ''; r.setEncoding('utf8'); r.on('data', (c) => (b += c)); r.on('end', () => { if (fresh) s.close(); res(b); }); r.on('error', rej); r.end(JSON.stringify(body));
  });
  const StreamName = 'conn' + Date.now();
  await call(false, '/', 'CreateStream', { StreamName, ShardCount: 1 });
  await new Promise((r) => setTimeout(r, 1500));
  const { ShardIterator } = JSON.parse(await call(false, '/', 'GetShardIterator', { StreamName, ShardId: 'shardId-000000000000', ShardIteratorType: 'LATEST' }));
  for (const fresh of (process.env.FRESH ? [true, true] : [false, true, false, true])) {
    const c0 = cpu(child.pid!); const t = performance.now(); let n = 0;
    const w = async () => { while (n < N) { n++; await call(fresh, '/', 'GetRecords', { ShardIterator }); } };
    await Promise.all([w(), w(), w(), w()]);
    console.log(fresh ? 'new connection each' : 'one connection', Math.round(N / ((performance.now() - t) / 1000)), 'req/s', ((cpu(child.pid!) - c0) / N).toFixed(0), 'µs server CPU/req');
  }
  shared.close(); child.kill();
})();
