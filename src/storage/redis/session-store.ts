/**
 * SessionStore on Redis (REDIS_URL), so many locker instances share sessions.
 *
 * Keys (prefix `ol:sess:` by default):
 *   t:<tokenHash>  hash  — the session; the hot path is one HGETALL
 *   i:<id>         string — tokenHash of session <id> (for ending one by id)
 *   a:<accountId>  set   — ids of the account's sessions
 *   seen, exp      zsets — session ids by last-seen and by absolute expiry (for the sweeper)
 * Ending runs as a Lua script (atomic): exactly one caller ends a session. Ended sessions
 * expire from Redis after `retentionMs`; live ones after their lifetime plus retention.
 * The keys share no hash tag: use a single Redis (or Sentinel), not Redis Cluster.
 */
import type { Redis } from 'ioredis';
import type { NewSession, SessionEndReason, SessionStore, StoredSession } from '../../domain/accounts/ports.ts';

const END_BODY = `
redis.call('HSET', KEYS[1], 'endedAt', ARGV[1], 'endReason', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
redis.call('ZREM', KEYS[3], ARGV[4])
redis.call('ZREM', KEYS[4], ARGV[4])
return redis.call('HGETALL', KEYS[1])`;

// KEYS: t, i, seen, exp. ARGV: at, reason, retentionMs, id
const END = `
if redis.call('EXISTS', KEYS[1]) == 0 or redis.call('HEXISTS', KEYS[1], 'endedAt') == 1 then return nil end
${END_BODY}`;

// KEYS: t, i, seen, exp. ARGV: now, (unused), retentionMs, id, idleMs
const SWEEP_ONE = `
if redis.call('EXISTS', KEYS[1]) == 0 or redis.call('HEXISTS', KEYS[1], 'endedAt') == 1 then
  redis.call('ZREM', KEYS[3], ARGV[4])
  redis.call('ZREM', KEYS[4], ARGV[4])
  return nil
end
local now = tonumber(ARGV[1])
local seen = tonumber(redis.call('HGET', KEYS[1], 'lastSeenAt'))
local exp = tonumber(redis.call('HGET', KEYS[1], 'expiresAt'))
if exp <= now then ARGV[2] = 'expired' elseif seen + tonumber(ARGV[5]) <= now then ARGV[2] = 'idle' else return nil end
${END_BODY}`;

// KEYS: t, seen. ARGV: at, id
const TOUCH = `
if redis.call('EXISTS', KEYS[1]) == 0 or redis.call('HEXISTS', KEYS[1], 'endedAt') == 1 then return 0 end
if tonumber(redis.call('HGET', KEYS[1], 'lastSeenAt')) >= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'lastSeenAt', ARGV[1])
redis.call('ZADD', KEYS[2], ARGV[1], ARGV[2])
return 1`;

function fromHash(h: Record<string, string>): StoredSession | null {
  if (!h || !h.id) return null;
  return {
    id: h.id,
    tokenHash: h.tokenHash!,
    accountId: h.accountId!,
    name: h.name ?? '',
    mustChangePin: h.mustChangePin === '1',
    createdAt: Number(h.createdAt),
    lastSeenAt: Number(h.lastSeenAt),
    expiresAt: Number(h.expiresAt),
    ip: h.ip ?? null,
    userAgent: h.userAgent ?? null,
    endedAt: h.endedAt ? Number(h.endedAt) : null,
    endReason: (h.endReason as SessionEndReason | undefined) ?? null,
  };
}

function pairsToHash(arr: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!Array.isArray(arr)) return out;
  for (let i = 0; i + 1 < arr.length; i += 2) out[String(arr[i])] = String(arr[i + 1]);
  return out;
}

export function redisSessionStore(redis: Redis, opts: { prefix?: string; retentionMs?: number } = {}): SessionStore {
  const p = opts.prefix ?? 'ol:sess:';
  const retention = opts.retentionMs ?? 24 * 3600_000;
  const k = {
    t: (tokenHash: string) => `${p}t:${tokenHash}`,
    i: (id: string) => `${p}i:${id}`,
    a: (accountId: string) => `${p}a:${accountId}`,
    seen: `${p}seen`,
    exp: `${p}exp`,
  };

  async function endById(id: string, reason: SessionEndReason, atMs: number): Promise<StoredSession | null> {
    const tokenHash = await redis.get(k.i(id));
    if (!tokenHash) return null;
    const r = await redis.eval(END, 4, k.t(tokenHash), k.i(id), k.seen, k.exp, String(atMs), reason, String(retention), id);
    return r ? fromHash(pairsToHash(r)) : null;
  }

  async function sessionsOf(accountId: string): Promise<StoredSession[]> {
    const ids = await redis.smembers(k.a(accountId));
    if (ids.length === 0) return [];
    const hashes = await redis.mget(ids.map(k.i));
    const out: StoredSession[] = [];
    const gone: string[] = [];
    const pipe = redis.pipeline();
    ids.forEach((id, n) => (hashes[n] ? pipe.hgetall(k.t(hashes[n]!)) : gone.push(id)));
    const results = (await pipe.exec()) ?? [];
    for (const [, h] of results) {
      const s = fromHash(h as Record<string, string>);
      if (s) out.push(s);
    }
    if (gone.length) await redis.srem(k.a(accountId), ...gone);
    return out;
  }

  return {
    async create(s: NewSession) {
      const fields: Record<string, string> = {
        id: s.id,
        tokenHash: s.tokenHash,
        accountId: s.accountId,
        name: s.name,
        mustChangePin: s.mustChangePin ? '1' : '0',
        createdAt: String(s.createdAt),
        lastSeenAt: String(s.lastSeenAt),
        expiresAt: String(s.expiresAt),
        ...(s.ip !== null ? { ip: s.ip } : {}),
        ...(s.userAgent !== null ? { userAgent: s.userAgent } : {}),
      };
      // Relative TTLs (the session's lifetime plus retention), so Redis's clock and ours need not agree.
      const ttl = Math.max(1, s.expiresAt - s.createdAt) + retention;
      await redis
        .multi()
        .hset(k.t(s.tokenHash), fields)
        .pexpire(k.t(s.tokenHash), ttl)
        .set(k.i(s.id), s.tokenHash, 'PX', ttl)
        .sadd(k.a(s.accountId), s.id)
        .pexpire(k.a(s.accountId), ttl)
        .zadd(k.seen, s.lastSeenAt, s.id)
        .zadd(k.exp, s.expiresAt, s.id)
        .exec();
    },
    async findByTokenHash(tokenHash) {
      return fromHash(await redis.hgetall(k.t(tokenHash)));
    },
    async touch(id, atMs) {
      const tokenHash = await redis.get(k.i(id));
      if (tokenHash) await redis.eval(TOUCH, 2, k.t(tokenHash), k.seen, String(atMs), id);
    },
    end: endById,
    async endAllForAccount(accountId, reason, atMs, exceptId) {
      const ended: StoredSession[] = [];
      for (const s of await sessionsOf(accountId)) {
        if (s.id === exceptId || s.endedAt !== null) continue;
        const e = await endById(s.id, reason, atMs);
        if (e) ended.push(e);
      }
      return ended;
    },
    async listLive(accountId) {
      const live = (await sessionsOf(accountId)).filter((s) => s.endedAt === null);
      return live.sort((a, b) => b.lastSeenAt - a.lastSeenAt || a.id.localeCompare(b.id));
    },
    async sweep(nowMs, idleMs) {
      const candidates = new Set([...(await redis.zrangebyscore(k.seen, '-inf', nowMs - idleMs)), ...(await redis.zrangebyscore(k.exp, '-inf', nowMs))]);
      const ended: StoredSession[] = [];
      for (const id of candidates) {
        const tokenHash = await redis.get(k.i(id));
        if (!tokenHash) {
          await redis.zrem(k.seen, id);
          await redis.zrem(k.exp, id);
          continue;
        }
        const r = await redis.eval(SWEEP_ONE, 4, k.t(tokenHash), k.i(id), k.seen, k.exp, String(nowMs), '', String(retention), id, String(idleMs));
        const s = r ? fromHash(pairsToHash(r)) : null;
        if (s) ended.push(s);
      }
      return ended;
    },
    async deleteAllForAccount(accountId) {
      const ids = await redis.smembers(k.a(accountId));
      for (const id of ids) {
        const tokenHash = await redis.get(k.i(id));
        const m = redis.multi().del(k.i(id)).zrem(k.seen, id).zrem(k.exp, id);
        if (tokenHash) m.del(k.t(tokenHash));
        await m.exec();
      }
      await redis.del(k.a(accountId));
    },
  };
}
