import { describe, expect, it } from 'vitest';
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
