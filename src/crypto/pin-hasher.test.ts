import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { HASH_THREAD_NICE } from './hash-threads.ts';
import { argon2PinHasher, Limiter } from './pin-hasher.ts';

const cheap = { memoryKib: 1024, iterations: 1, concurrency: 2, pepper: Buffer.alloc(32, 7) };

describe('argon2id PIN hasher', () => {
  it('hashes with argon2id and the configured cost, and verifies', async () => {
    const h = argon2PinHasher(cheap);
    const hash = await h.hash('583914');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=1024,t=1,p=1\$/);
    expect(await h.verify(hash, '583914')).toBe(true);
    expect(await h.verify(hash, '583915')).toBe(false);
    expect(await h.verify('not a hash', '583914')).toBe(false);
    expect(await h.verifyDummy('583914')).toBe(false);
  });

  it('needs the pepper: the same hash does not verify under another master key', async () => {
    const hash = await argon2PinHasher(cheap).hash('583914');
    expect(await argon2PinHasher({ ...cheap, pepper: Buffer.alloc(32, 8) }).verify(hash, '583914')).toBe(false);
  });

  it('never runs more hashes at once than allowed, and keeps the event loop free', async () => {
    const h = argon2PinHasher({ ...cheap, memoryKib: 8192, concurrency: 2 });
    let peak = 0;
    let ticks = 0;
    const timer = setInterval(() => {
      ticks++;
      peak = Math.max(peak, h.limiter.running);
    }, 1);
    await Promise.all(Array.from({ length: 12 }, (_, i) => h.hash(`58391${i % 10}`)));
    clearInterval(timer);
    expect(peak).toBeLessThanOrEqual(2);
    expect(peak).toBeGreaterThanOrEqual(1);
    // The timer kept firing while hashes ran: they are not on the event loop.
    expect(ticks).toBeGreaterThan(3);
    // Two threads at most, each running at a lower CPU priority than the process.
    expect(h.threads.running).toBe(2);
    const process = os.getPriority();
    for (const nice of await h.threads.priorities()) expect(nice).toBe(Math.max(process, HASH_THREAD_NICE));
    expect(os.getPriority()).toBe(process);
    await h.threads.close();
  });

  it('a hashing thread that dies fails only its own calls; the next call gets a new thread', async () => {
    // Costly enough (tens of ms) that the thread is surely still hashing when it is stopped.
    const h = argon2PinHasher({ ...cheap, memoryKib: 32768, iterations: 3, concurrency: 1 });
    const hash = await h.hash('583914');
    const thread = (h.threads as unknown as { threads: Array<{ worker: { terminate(): Promise<number> } }> }).threads[0]!;
    // Dies mid-check: the answer is "busy, try again", never "wrong PIN" (which would count towards a lock).
    const during = h.verify(hash, '583914');
    await thread.worker.terminate();
    await expect(during).rejects.toMatchObject({ code: 'server_busy' });
    expect(await h.verify(hash, '583914')).toBe(true);
    expect(h.threads.running).toBe(1);
    await h.threads.close();
    expect(h.threads.running).toBe(0);
  });
});

describe('Limiter', () => {
  it('queues beyond its limit in order and refuses past the queue bound', async () => {
    const l = new Limiter(1, 2);
    const order: number[] = [];
    let release!: () => void;
    const first = l.run(() => new Promise<void>((r) => (release = r)).then(() => void order.push(1)));
    const second = l.run(async () => void order.push(2));
    const third = l.run(async () => void order.push(3));
    await expect(l.run(async () => 4)).rejects.toMatchObject({ code: 'server_busy' });
    expect(l.queued).toBe(2);
    release();
    await Promise.all([first, second, third]);
    expect(order).toEqual([1, 2, 3]);
    expect(l.running).toBe(0);
  });
});
