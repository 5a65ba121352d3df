/**
 * A read cache that is never stale: values are kept only while the store's change feed says
 * none of their tables can have changed (storage/sql/database.ts `ChangeFeed`). A write to
 * those tables by this process empties it before the next read; a commit by another
 * connection to the database file (the CLI suspending a partner, a second server) before
 * the next request begins, or the next turn of the event loop — so no request ever sees a
 * value older than its own arrival. Meant for small, hot look-ups read on every request and
 * written rarely: the session, the partner API's token, partner and consent, the issuer
 * registry, the Issued list's version.
 *
 * A value loaded while a write happened is returned (as an uncached read would be) but not
 * kept. Only found values are kept (an unknown key stays a query, so guessing cannot fill
 * the cache), at most `max` of them, oldest out first. Kept values are frozen, deeply: they
 * are shared by every request, so a caller that changed one would fail loudly rather than
 * change it for the others. Without a change feed (PostgreSQL, where other servers write
 * too) every read goes to the database.
 */
import type { ChangeFeed } from './database.ts';

export interface ReadCache<K, V> {
  get(key: K, load: () => Promise<V | null>): Promise<V | null>;
}

export function readCache<K, V>(feed: ChangeFeed | undefined, tables: readonly string[], max = 10_000): ReadCache<K, V> {
  if (!feed) return { get: (_key, load) => load() };
  const values = new Map<K, V>();
  let stamp = '';
  return {
    async get(key, load) {
      let now: string;
      try {
        now = feed.stamp(tables);
      } catch {
        return load(); // the database is failing: let the read report it
      }
      if (now !== stamp) {
        values.clear();
        stamp = now;
      }
      const hit = values.get(key);
      if (hit !== undefined) return hit;
      const v = await load();
      if (v !== null && safeStamp(feed, tables) === now) {
        if (values.size >= max) values.delete(values.keys().next().value!);
        values.set(key, deepFreeze(v));
      }
      return v;
    },
  };
}

/** The feed's stamp of `tables`, or null when the database cannot answer. */
export function safeStamp(feed: ChangeFeed, tables: readonly string[]): string | null {
  try {
    return feed.stamp(tables);
  } catch {
    return null;
  }
}

function deepFreeze<V>(v: V): V {
  if (typeof v !== 'object' || v === null || Object.isFrozen(v) || ArrayBuffer.isView(v)) return v;
  for (const x of Object.values(v)) deepFreeze(x);
  return Object.freeze(v);
}
