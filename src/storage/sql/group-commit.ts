/**
 * Group commit: writes that arrive while a batch is being written wait for the next one,
 * so under load many small writes (one per request on a busy partner API) share one
 * transaction instead of each paying for its own. Every caller's promise settles only
 * after its own item is committed (or has failed); a lone write goes out at once, after
 * the current turn of the event loop, so writes made together travel together.
 *
 * `write(items)` commits a batch in one transaction and returns one result per item, in
 * order. If a batch fails, its items are written one by one, so one bad item fails alone.
 */
export function groupCommit<T, R>(write: (items: T[]) => Promise<R[]>, maxBatch = 256): (item: T) => Promise<R> {
  const queue: Array<{ item: T; resolve(r: R): void; reject(err: unknown): void }> = [];
  let draining = false;

  async function drain(): Promise<void> {
    try {
      while (queue.length) {
        const batch = queue.splice(0, maxBatch);
        try {
          const results = await write(batch.map((b) => b.item));
          batch.forEach((b, i) => b.resolve(results[i]!));
        } catch (err) {
          if (batch.length === 1) {
            batch[0]!.reject(err);
            continue;
          }
          for (const b of batch) {
            try {
              b.resolve((await write([b.item]))[0]!);
            } catch (e) {
              b.reject(e);
            }
          }
        }
      }
    } finally {
      draining = false;
    }
  }

  return (item) =>
    new Promise<R>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      if (!draining) {
        draining = true;
        setImmediate(() => void drain());
      }
    });
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
