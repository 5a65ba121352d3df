/** How accounts, sessions and activity entries look on the wire (snake_case JSON). */
import { maskMobile } from '../../../domain/accounts/mobile.ts';
import type { Account, StoredSession } from '../../../domain/accounts/ports.ts';
import type { ActivityEntry } from '../../../domain/activity/ports.ts';

export function presentMe(a: Account) {
  return {
    account_id: a.id,
    name: a.name,
    dob: a.dob,
    gender: a.gender,
    mobile: maskMobile(a.mobile),
    email: a.email,
    email_verified: a.emailVerified,
    aadhaar_linked: a.aadhaarLinked,
    must_change_pin: a.mustChangePin,
    created_at: a.createdAt,
  };
}

/** "Chrome on Android", "Firefox on Windows", "API client"… from a User-Agent, for people. */
export function describeDevice(ua: string | null): string {
  if (!ua) return 'Unknown device';
  const os = /Android/i.test(ua)
    ? 'Android'
    : /iPhone|iPad|iOS/i.test(ua)
      ? 'iPhone/iPad'
      : /Windows/i.test(ua)
        ? 'Windows'
        : /Mac OS X|Macintosh/i.test(ua)
          ? 'Mac'
          : /CrOS/i.test(ua)
            ? 'ChromeOS'
            : /Linux/i.test(ua)
              ? 'Linux'
              : null;
  const browser = /Edg\//.test(ua)
    ? 'Edge'
    : /OPR\/|Opera/.test(ua)
      ? 'Opera'
      : /SamsungBrowser/.test(ua)
        ? 'Samsung Internet'
        : /Firefox\//.test(ua)
          ? 'Firefox'
          : /Chrome\/|Chromium\//.test(ua)
            ? 'Chrome'
            : /Safari\//.test(ua)
              ? 'Safari'
              : null;
  if (browser && os) return `${browser} on ${os}`;
  if (browser || os) return (browser ?? os)!;
  return ua.length > 40 ? `${ua.slice(0, 39)}…` : ua;
}

export function presentSession(s: StoredSession, currentId: string) {
  return {
    session_id: s.id,
    current: s.id === currentId,
    device: describeDevice(s.userAgent),
    ip: s.ip,
    created_at: new Date(s.createdAt).toISOString(),
    last_seen_at: new Date(s.lastSeenAt).toISOString(),
    expires_at: new Date(s.expiresAt).toISOString(),
  };
}

export function presentActivity(e: ActivityEntry) {
  return {
    seq: e.seq,
    type: e.type,
    at: e.at,
    actor: e.actor,
    ip: e.ip,
    user_agent: e.userAgent,
    subject: e.subject,
    details: e.details,
    prev_hash: e.prevHash,
    hash: e.hash,
  };
}

const IST_OFFSET_MS = 5.5 * 3600_000;

/** A filter bound: `YYYY-MM-DD` is a whole day in India time; anything else must be an ISO instant. */
export function activityBound(v: string | undefined, edge: 'from' | 'to'): string | undefined | Error {
  if (!v) return undefined;
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) {
    const day = Date.parse(`${v}T00:00:00.000Z`);
    if (Number.isNaN(day) || new Date(day).toISOString().slice(0, 10) !== v) return new Error(v);
    const start = day - IST_OFFSET_MS + (edge === 'to' ? 86_400_000 : 0);
    return new Date(start).toISOString();
  }
  const t = Date.parse(v);
  if (Number.isNaN(t) || !/^\d{4}-\d{2}-\d{2}T/.test(v)) return new Error(v);
  return new Date(t).toISOString();
}
