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
import type { CompiledQuery } from 'kysely';

const MARK = '\u0000slot:';

export function prepared<R, K extends string>(build: (slot: (name: K) => never) => { compile(): CompiledQuery<R> }): (values: Record<K, unknown>) => CompiledQuery<R> {
  const compiled = build((name) => `${MARK}${name}` as never).compile();
  const slots: Array<{ name: K } | { value: unknown }> = compiled.parameters.map((p) => (typeof p === 'string' && p.startsWith(MARK) ? { name: p.slice(MARK.length) as K } : { value: p }));
  return (values) => ({ ...compiled, parameters: slots.map((s) => ('name' in s ? values[s.name] : s.value)) });
}
