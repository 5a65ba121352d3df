/**
 * Flash messages for the post/redirect/get pattern: a form handler that succeeded stores
 * what to confirm ("Class XII Marksheet was added", "shared with ravi@example.in") in a
 * short-lived signed cookie and redirects; the next page shows it once and clears it. The
 * text never travels in the URL, so a link cannot make the locker display words of someone
 * else's choosing in its own confirmation banner, and reloading the page repeats nothing.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';

const FLASH = 'ol_flash';

export type Flash = Record<string, string>;

export function setFlash(reply: FastifyReply, flash: Flash): void {
  reply.setCookie(FLASH, Buffer.from(JSON.stringify(flash)).toString('base64url'), { path: '/', httpOnly: true, sameSite: 'lax', secure: 'auto', signed: true, maxAge: 120 });
}

/** The flash set by the previous response, if any (and clears it). */
export function takeFlash(req: FastifyRequest, reply: FastifyReply): Flash | null {
  const raw = req.cookies?.[FLASH];
  if (!raw) return null;
  reply.clearCookie(FLASH, { path: '/' });
  const u = req.unsignCookie(raw);
  if (!u.valid || !u.value) return null;
  try {
    const parsed = JSON.parse(Buffer.from(u.value, 'base64url').toString('utf8')) as unknown;
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
    const out: Flash = {};
    for (const [k, v] of Object.entries(parsed)) if (typeof v === 'string') out[k] = v.slice(0, 300);
    return out;
  } catch {
    return null;
  }
}
