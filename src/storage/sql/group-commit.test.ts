import { describe, expect, it } from 'vitest';
import { powerOfTwoChunks, sharedGroupCommit } from './group-commit.ts';

/** One queue on a database handle of its own, whose transactions just run the work. */
function queue<T, R>(write: (items: T[]) => Promise<R[]>, maxBatch?: number): (item: T) => Promise<R> {
  const db = { transaction: () => ({ execute: <X>(work: (q: typeof db) => Promise<X>) => work(db) }) };
  return sharedGroupCommit(db, (items: T[]) => write(items), maxBatch === undefined ? {} : { maxBatch });
}

describe('group commit, one queue', () => {
  it('writes items made together in one batch, in call order; a lone item goes alone', async () => {
    const batches: number[][] = [];
    const write = queue<number, string>(async (items) => {
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
    const write = queue<number, number>(async (items) => {
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
    const write = queue<number, number>(async (items) => {
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

describe('sharedGroupCommit', () => {
  /** A stand-in for a Kysely handle: counts transactions and what each one wrote; a write fails if it includes a bad item. */
  function fakeDb() {
    const txs: string[][] = [];
    const db = {
      transaction: () => ({
        async execute<X>(work: (q: typeof db) => Promise<X>): Promise<X> {
          const tx: string[] = [];
          current = tx;
          const out = await work(db);
          txs.push(tx); // committed
          return out;
        },
      }),
      write(label: string, items: number[]) {
        if (items.some((i) => i < 0)) throw new Error(`bad ${label} item`);
        current.push(`${label}:${items.join(',')}`);
      },
    };
    let current: string[] = [];
    return { db, txs };
  }

  it('the batches of every queue made in one turn commit in one transaction, queue by queue', async () => {
    const { db, txs } = fakeDb();
    const access = sharedGroupCommit(db, async (items: number[], q) => (q.write('access', items), items.map((i) => i * 10)));
    const activity = sharedGroupCommit(db, async (items: number[], q) => (q.write('activity', items), items.map((i) => -i)));
    const r = await Promise.all([access(1), activity(1), access(2), activity(2)]);
    expect(r).toEqual([10, -1, 20, -2]);
    expect(txs).toEqual([['access:1,2', 'activity:1,2']]);
    expect(await activity(3)).toBe(-3); // a lone write goes in a transaction of its own
    expect(txs.length).toBe(2);
  });

  it('when the shared transaction fails, each queue is written alone and only the bad item fails', async () => {
    const { db, txs } = fakeDb();
    const good = sharedGroupCommit(db, async (items: number[], q) => (q.write('good', items), items));
    const mixed = sharedGroupCommit(db, async (items: number[], q) => (q.write('mixed', items), items));
    const settled = await Promise.allSettled([good(1), mixed(2), mixed(-3), good(4), mixed(5)]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect((settled[2] as PromiseRejectedResult).reason).toEqual(new Error('bad mixed item'));
    // The shared attempt never commits; good's batch alone; mixed's batch alone fails, then item by item.
    expect(txs).toEqual([['good:1,4'], ['mixed:2'], ['mixed:5']]);
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
