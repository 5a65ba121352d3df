import { describe, expect, it } from 'vitest';
import { groupCommit, powerOfTwoChunks } from './group-commit.ts';

describe('groupCommit', () => {
  it('writes items made together in one batch, in call order; a lone item goes alone', async () => {
    const batches: number[][] = [];
    const write = groupCommit<number, string>(async (items) => {
      batches.push(items);
      return items.map((i) => `ok${i}`);
    });
    expect(await Promise.all([1, 2, 3].map(write))).toEqual(['ok1', 'ok2', 'ok3']);
    expect(await write(4)).toBe('ok4');
    expect(batches).toEqual([[1, 2, 3], [4]]);
  });

  it('items arriving while a batch is written wait for the next one; batches never exceed the maximum', async () => {
    const batches: number[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const write = groupCommit<number, number>(async (items) => {
      batches.push(items);
      if (batches.length === 1) await gate;
      return items;
    }, 4);
    const first = write(0);
    await new Promise((r) => setImmediate(r)); // the first batch is now being written
    const rest = Array.from({ length: 9 }, (_, i) => write(i + 1));
    release();
    expect(await Promise.all([first, ...rest])).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(batches).toEqual([[0], [1, 2, 3, 4], [5, 6, 7, 8], [9]]);
  });

  it('a failed batch is retried one item at a time, so only the bad item fails', async () => {
    const calls: number[][] = [];
    const write = groupCommit<number, number>(async (items) => {
      calls.push(items);
      if (items.includes(13)) throw new Error('bad item');
      return items.map((i) => i * 2);
    });
    const settled = await Promise.allSettled([12, 13, 14].map(write));
    expect(settled).toEqual([
      { status: 'fulfilled', value: 24 },
      { status: 'rejected', reason: new Error('bad item') },
      { status: 'fulfilled', value: 28 },
    ]);
    expect(calls).toEqual([[12, 13, 14], [12], [13], [14]]);
    expect(await write(1)).toBe(2); // and the queue goes on
  });
});

describe('powerOfTwoChunks', () => {
  it('splits into power-of-two sizes, largest first, at most max, keeping order', () => {
    expect(powerOfTwoChunks([]).length).toBe(0);
    const rows = Array.from({ length: 141 }, (_, i) => i);
    const chunks = powerOfTwoChunks(rows, 64);
    expect(chunks.map((c) => c.length)).toEqual([64, 64, 8, 4, 1]);
    expect(chunks.flat()).toEqual(rows);
    expect(powerOfTwoChunks([1, 2, 3], 64).map((c) => c.length)).toEqual([2, 1]);
  });
});
