import { EventEmitter } from 'node:events';
import { JsonLogger } from './logger';
import { stopOnSignals, type SignalTarget } from './shutdown';

function fakeProcess(): SignalTarget & EventEmitter & { codes: number[] } {
  const emitter = new EventEmitter() as SignalTarget & EventEmitter & { codes: number[] };
  emitter.codes = [];
  emitter.exit = (code: number) => emitter.codes.push(code);
  return emitter;
}

describe('stopOnSignals', () => {
  const lines: string[] = [];
  const log = new JsonLogger({ service: 'test', write: (line) => lines.push(line) });

  it.each(['SIGTERM', 'SIGINT'] as const)('runs the closers in order on %s, then exits 0', async (signal) => {
    const target = fakeProcess();
    const steps: string[] = [];
    const stopped = stopOnSignals(
      log,
      [
        async () => {
          await new Promise((resolve) => setTimeout(resolve, 10));
          steps.push('server');
        },
        async () => void steps.push('platform'),
      ],
      target,
    );
    expect(target.listenerCount(signal)).toBe(1);
    target.emit(signal);
    await stopped;
    expect(steps).toEqual(['server', 'platform']);
    expect(target.codes).toEqual([0]);
  });

  it('runs the next steps when one fails, and leaves a second signal to the default handler', async () => {
    const target = fakeProcess();
    const steps: string[] = [];
    const stopped = stopOnSignals(log, [() => Promise.reject(new Error('boom')), async () => void steps.push('after')], target);
    target.emit('SIGTERM');
    expect(target.listenerCount('SIGTERM') + target.listenerCount('SIGINT')).toBe(0);
    await stopped;
    expect(steps).toEqual(['after']);
    expect(target.codes).toEqual([0]);
    expect(lines.some((line) => line.includes('shutdown step failed') && line.includes('boom'))).toBe(true);
  });
});
