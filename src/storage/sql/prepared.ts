/**
 * A query built and compiled once, then run with new values: on the hottest paths Kysely's
 * building (node tree, freezing, compiling) costs about as much as SQLite running the
 * statement. `build` receives `slot(name)`, a placeholder to put where a value goes; the
 * result maps a record of values to a CompiledQuery ready for `executeQuery` — on the store
 * or inside a transaction:
 *
 *   const byToken = prepared((slot) => db.selectFrom('shares').selectAll().where('token_hash', '=', slot('hash')));
 *   const { rows } = await db.executeQuery(byToken({ hash }));
 *
 * Placeholders are found by value in the compiled parameters, so their order in the SQL does
 * not matter and a name may appear more than once. Only values can be slots (not columns,
 * not SQL), so the statement's text never changes.
 */
import type { CompiledQuery, Kysely } from 'kysely';
import { powerOfTwoChunks } from './group-commit.ts';

const MARK = '\u0000slot:';

export function prepared<R, K extends string>(build: (slot: (name: K) => never) => { compile(): CompiledQuery<R> }): (values: Record<K, unknown>) => CompiledQuery<R> {
  const compiled = build((name) => `${MARK}${name}` as never).compile();
  const slots: Array<{ name: K } | { value: unknown }> = compiled.parameters.map((p) => (typeof p === 'string' && p.startsWith(MARK) ? { name: p.slice(MARK.length) as K } : { value: p }));
  return (values) => ({ ...compiled, parameters: slots.map((s) => ('name' in s ? values[s.name] : s.value)) });
}

/**
 * Multi-row inserts into `table` of rows given as arrays of values in `columns` order,
 * without Kysely's building per statement: each batch goes out in power-of-two chunks
 * (powerOfTwoChunks), and each chunk size is built and compiled once.
 */
export function preparedInsert<Db>(db: Kysely<Db>, table: keyof Db & string, columns: readonly string[], max = 64): (q: Kysely<Db>, rows: unknown[][]) => Promise<void> {
  const shapes = new Map<number, { compiled: CompiledQuery; at: Array<[number, number]> }>();
  const shape = (n: number) => {
    let s = shapes.get(n);
    if (!s) {
      const values = Array.from({ length: n }, (_, i) => Object.fromEntries(columns.map((c, j) => [c, `${MARK}${i}:${j}`])));
      const compiled = (db.insertInto(table) as any).values(values).compile() as CompiledQuery;
      const at = compiled.parameters.map((p) => (String(p).slice(MARK.length).split(':').map(Number) as [number, number]));
      s = { compiled, at };
      shapes.set(n, s);
    }
    return s;
  };
  return async (q, rows) => {
    for (const chunk of powerOfTwoChunks(rows, max)) {
      const { compiled, at } = shape(chunk.length);
      await q.executeQuery({ ...compiled, parameters: at.map(([r, c]) => chunk[r]![c]) });
    }
  };
}
