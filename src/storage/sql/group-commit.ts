/**
 * Group commit: writes that arrive while a batch is being written wait for the next one,
 * so under load many small writes (one per request on a busy partner API) share one
 * transaction instead of each paying for its own. Every caller's promise settles only
 * after its own item is committed (or has failed); a lone write goes out at once, after
 * the current turn of the event loop, so writes made together travel together.
 *
 * The queues of one SQL store (`sharedGroupCommit`) share more: the batches of every queue
 * that has work in a turn are written in ONE transaction (a partner access records a consent
 * access, an activity entry and a notice bump: one commit, not three). Queues write in the
 * order they first had work, each in its own key order, so two servers' transactions take
 * their locks in the same order.
 *
 * If a shared transaction fails, each queue's batch is written alone; if that fails, its
 * items are written one by one, so one bad item fails alone.
 */
interface Pending<T, R> {
  item: T;
  resolve(r: R): void;
  reject(err: unknown): void;
}

interface Queue<T, R, Q> {
  items: Array<Pending<T, R>>;
  maxBatch: number;
  write(items: T[], q: Q): Promise<R[]>;
  /** The batch in a transaction of its own (the fallback). */
  alone(items: T[]): Promise<R[]>;
}

class TurnCommitter<Q> {
  private readonly ready = new Set<Queue<any, any, Q>>();
  private busy = false;

  constructor(private readonly transaction: <X>(work: (q: Q) => Promise<X>) => Promise<X>) {}

  enqueue<T, R>(queue: Queue<T, R, Q>, p: Pending<T, R>): void {
    queue.items.push(p);
    this.ready.add(queue);
    if (!this.busy) {
      this.busy = true;
      setImmediate(() => void this.drain());
    }
  }

  private async drain(): Promise<void> {
    try {
      while (this.ready.size) {
        const units = [...this.ready].map((queue) => ({ queue, batch: queue.items.splice(0, queue.maxBatch) }));
        this.ready.clear();
        for (const u of units) if (u.queue.items.length) this.ready.add(u.queue);
        let results: unknown[][] | undefined;
        let failure: unknown;
        try {
          results = await this.transaction(async (q) => {
            const out: unknown[][] = [];
            for (const u of units) out.push(await u.queue.write(u.batch.map((p) => p.item), q));
            return out;
          });
        } catch (err) {
          failure = err;
        }
        if (results) {
          units.forEach((u, i) => u.batch.forEach((p, j) => p.resolve(results[i]![j])));
          continue;
        }
        for (const u of units) await settleAlone(u.queue, u.batch, units.length === 1, failure);
      }
    } finally {
      this.busy = false;
      if (this.ready.size) {
        this.busy = true;
        setImmediate(() => void this.drain());
      }
    }
  }
}

async function settleAlone<T, R, Q>(queue: Queue<T, R, Q>, batch: Array<Pending<T, R>>, triedAlone: boolean, failure: unknown): Promise<void> {
  if (!triedAlone) {
    try {
      const results = await queue.alone(batch.map((p) => p.item));
      batch.forEach((p, i) => p.resolve(results[i]!));
      return;
    } catch (err) {
      failure = err;
    }
  }
  if (batch.length === 1) {
    batch[0]!.reject(failure);
    return;
  }
  for (const p of batch) {
    try {
      p.resolve((await queue.alone([p.item]))[0]!);
    } catch (e) {
      p.reject(e);
    }
  }
}

/** The store-wide committer of a database handle (Kysely instance). */
const committers = new WeakMap<object, TurnCommitter<unknown>>();

/**
 * A queue whose batches join the store's one transaction per turn. `write(items, q)` runs
 * its statements on `q` (the shared transaction) and must not open a transaction itself;
 * `alone(items)` (default: `write` in a transaction of its own) is the fallback.
 */
export function sharedGroupCommit<T, R, Db extends { transaction(): { execute<X>(work: (q: Db) => Promise<X>): Promise<X> } }>(
  db: Db,
  write: (items: T[], q: Db) => Promise<R[]>,
  o: { maxBatch?: number; alone?: (items: T[]) => Promise<R[]> } = {},
): (item: T) => Promise<R> {
  let committer = committers.get(db) as TurnCommitter<Db> | undefined;
  if (!committer) {
    committer = new TurnCommitter<Db>((work) => db.transaction().execute(work));
    committers.set(db, committer as TurnCommitter<unknown>);
  }
  const c = committer;
  const queue: Queue<T, R, Db> = { items: [], maxBatch: o.maxBatch ?? 256, write, alone: o.alone ?? ((items) => db.transaction().execute((q) => write(items, q))) };
  return (item) => new Promise<R>((resolve, reject) => c.enqueue(queue, { item, resolve, reject }));
}

/**
 * Splits a batch for multi-row statements into chunks whose sizes are powers of two (at
 * most `max`): a batch of 13 goes out as 8 + 4 + 1. Each statement's SQL text depends on
 * its row count, and SQLite statements are prepared and cached by text, so arbitrary batch
 * sizes would prepare a new statement for nearly every batch and push the hot ones out of
 * the cache; this way a table has at most log2(max) + 1 insert shapes.
 */
export function powerOfTwoChunks<T>(rows: T[], max = 64): T[][] {
  const out: T[][] = [];
  let i = 0;
  while (i < rows.length) {
    let size = max;
    while (size > rows.length - i) size >>= 1;
    out.push(rows.slice(i, i + size));
    i += size;
  }
  return out;
}
