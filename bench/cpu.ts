import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** CPU time per record of the bench client, the Shardline server and nats-server, between calls. */
export interface CpuMeter {
  perRecord(records: number): string;
}

const TICK_US = 1e6 / Number(execFileSync('getconf', ['CLK_TCK']).toString().trim() || 100);

/** utime + stime of a process in microseconds, from /proc (Linux). */
function processCpuUs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_US;
  } catch {
    return NaN;
  }
}

function natsServerPid(): number | undefined {
  try {
    return Number(execFileSync('pgrep', ['-o', 'nats-server']).toString().trim()) || undefined;
  } catch {
    return undefined;
  }
}

export function cpuMeter(serverPid?: number): CpuMeter {
  const natsPid = natsServerPid();
  const sample = () => ({
    client: (process.cpuUsage().user + process.cpuUsage().system),
    server: serverPid ? processCpuUs(serverPid) : NaN,
    nats: natsPid ? processCpuUs(natsPid) : NaN,
  });
  let last = sample();
  return {
    perRecord(records) {
      const now = sample();
      const f = (a: number, b: number) => ((a - b) / records).toFixed(1);
      const text = `client ${f(now.client, last.client)} µs, server ${f(now.server, last.server)} µs, nats-server ${f(now.nats, last.nats)} µs`;
      last = now;
      return text;
    },
  };
}
