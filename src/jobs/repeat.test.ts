import Fastify from 'fastify';
import { afterEach, expect, it, vi } from 'vitest';
import { repeatWhileServing } from './repeat.ts';

afterEach(() => vi.useRealTimers());

it('never overlaps runs, logs a failure and tries again, and stops when the app closes', async () => {
  vi.useFakeTimers();
  const warnings: string[] = [];
  const app = Fastify({ logger: false });
  app.log.warn = ((_o: unknown, msg: string) => void warnings.push(msg)) as never;
  let runs = 0;
  let release: () => void = () => {};
  repeatWhileServing(app, 1000, 'test job', async () => {
    runs++;
    if (runs === 1) await new Promise<void>((r) => (release = r));
    if (runs === 2) throw new Error('down');
  });
  await vi.advanceTimersByTimeAsync(3500); // first run still going: no second one starts
  expect(runs).toBe(1);
  release();
  await vi.advanceTimersByTimeAsync(1000);
  expect(runs).toBe(2);
  expect(warnings).toEqual(['test job failed; will retry']);
  await vi.advanceTimersByTimeAsync(1000);
  expect(runs).toBe(3);
  await app.close();
  await vi.advanceTimersByTimeAsync(5000);
  expect(runs).toBe(3);
});
