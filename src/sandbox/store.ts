/**
 * The sandbox's own database: a SQLite file (DATA_DIR/sandbox/sandbox.db by default, or
 * `:memory:` in tests), separate from the locker's, holding the synthetic people and
 * records, the issuers' HMAC keys, eKYC OTP challenges and (standalone) the SMS it sent.
 * Seeding is deterministic and versioned: a new SEED_VERSION replaces people and records
 * (keys and OTPs are kept). better-sqlite3 is synchronous, so each method is atomic.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import type { SandboxPerson } from './seed/people.ts';
import { buildDataset, type Behaviour, type SandboxRecord } from './seed/records.ts';

export const SEED_VERSION = '2024.1';

export interface StoredRecord extends SandboxRecord {
  uri: string;
}

export interface OtpChallenge {
  txn: string;
  aadhaar: string;
  expiresAt: number;
  tries: number;
}

export type OtpCheck = { ok: true; aadhaar: string } | { ok: false; reason: 'unknown' | 'expired' | 'used' | 'locked' | 'wrong'; triesLeft?: number };

export interface SandboxStore {
  person(id: string): SandboxPerson | null;
  personByAadhaar(aadhaar: string): SandboxPerson | null;
  people(): SandboxPerson[];
  /** Records of one issuer and type with this lookup key. */
  find(issuerId: string, doctype: string, lookup: string): StoredRecord[];
  byUri(uri: string): StoredRecord | null;
  records(issuerId?: string): StoredRecord[];
  studentIds(): string[];
  /**
   * For a record that simulates a pending answer: counts one poll and returns how many
   * pending answers remain before it becomes available (0 = available now).
   */
  pollPending(uri: string): number;
  resetPending(): void;
  /** This issuer's HMAC key, created once (random) and kept across restarts and reseeds. */
  issuerKey(issuerId: string): string;
  setIssuerKey(issuerId: string, key: string): void;
  createOtp(aadhaar: string, otp: string, ttlMs: number, now: number): string;
  /** Checks an OTP: at most 3 wrong tries, single use, expires. Atomic. */
  checkOtp(txn: string, otp: string, now: number): OtpCheck;
  /** OTP requests for `aadhaar` since `since` (rate limit). */
  otpRequestsSince(aadhaar: string, since: number): number;
  recordSms(to: string, message: string, at: Date): void;
  sms(to?: string): Array<{ to: string; message: string; createdAt: string }>;
  close(): void;
}

const PENDING_POLLS = 2;
const MAX_OTP_TRIES = 3;
const hashOtp = (txn: string, otp: string) => crypto.createHash('sha256').update(`${txn}:${otp}`).digest('hex');

export function openSandboxStore(file: string): SandboxStore {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new SQLite(file);
  db.pragma('journal_mode = WAL');
  db.exec(`
    create table if not exists meta (key text primary key, value text not null);
    create table if not exists people (id text primary key, aadhaar text unique, data text not null);
    create table if not exists records (
      uri text primary key, issuer_id text not null, doctype text not null, doc_id text not null,
      person_id text not null references people(id), lookup text not null, issued_on text not null,
      data text not null, behaviour text, polls integer not null default 0);
    create index if not exists records_lookup on records (issuer_id, doctype, lookup);
    create table if not exists students (person_id text primary key);
    create table if not exists issuer_keys (issuer_id text primary key, hmac_key text not null);
    create table if not exists ekyc_otps (txn text primary key, aadhaar text not null, otp_hash text not null,
      created_at integer not null, expires_at integer not null, tries integer not null default 0, consumed_at integer);
    create index if not exists ekyc_otps_aadhaar on ekyc_otps (aadhaar, created_at);
    create table if not exists sms (id integer primary key autoincrement, recipient text not null, message text not null, created_at text not null);
  `);
  const version = db.prepare('select value from meta where key = ?').get('seed_version') as { value: string } | undefined;
  if (version?.value !== SEED_VERSION) seed(db);

  const toRecord = (r: any): StoredRecord => ({
    uri: r.uri,
    issuerId: r.issuer_id,
    doctype: r.doctype,
    docId: r.doc_id,
    personId: r.person_id,
    lookup: r.lookup,
    issuedOn: r.issued_on,
    data: JSON.parse(r.data),
    ...(r.behaviour ? { behaviour: r.behaviour as Behaviour } : {}),
  });
  const toPerson = (r: any): SandboxPerson | null => (r ? (JSON.parse(r.data) as SandboxPerson) : null);
  const q = {
    person: db.prepare('select data from people where id = ?'),
    byAadhaar: db.prepare('select data from people where aadhaar = ?'),
    find: db.prepare('select * from records where issuer_id = ? and doctype = ? and lookup = ?'),
    byUri: db.prepare('select * from records where uri = ?'),
    poll: db.prepare("update records set polls = polls + 1 where uri = ? and behaviour = 'pending' returning polls"),
    key: db.prepare('select hmac_key from issuer_keys where issuer_id = ?'),
    setKey: db.prepare('insert into issuer_keys (issuer_id, hmac_key) values (?, ?) on conflict (issuer_id) do update set hmac_key = excluded.hmac_key'),
    newOtp: db.prepare('insert into ekyc_otps (txn, aadhaar, otp_hash, created_at, expires_at) values (?, ?, ?, ?, ?)'),
    getOtp: db.prepare('select * from ekyc_otps where txn = ?'),
    otpCount: db.prepare('select count(*) as n from ekyc_otps where aadhaar = ? and created_at >= ?'),
  };

  const checkOtp = db.transaction((txn: string, otp: string, now: number): OtpCheck => {
    const row = q.getOtp.get(txn) as { aadhaar: string; otp_hash: string; expires_at: number; tries: number; consumed_at: number | null } | undefined;
    if (!row) return { ok: false, reason: 'unknown' };
    if (row.consumed_at !== null) return { ok: false, reason: 'used' };
    if (row.tries >= MAX_OTP_TRIES) return { ok: false, reason: 'locked' };
    if (row.expires_at <= now) return { ok: false, reason: 'expired' };
    const given = Buffer.from(hashOtp(txn, otp));
    if (!crypto.timingSafeEqual(given, Buffer.from(row.otp_hash))) {
      db.prepare('update ekyc_otps set tries = tries + 1 where txn = ?').run(txn);
      const left = MAX_OTP_TRIES - row.tries - 1;
      return left > 0 ? { ok: false, reason: 'wrong', triesLeft: left } : { ok: false, reason: 'locked' };
    }
    db.prepare('update ekyc_otps set consumed_at = ? where txn = ?').run(now, txn);
    return { ok: true, aadhaar: row.aadhaar };
  });

  return {
    person: (id) => toPerson(q.person.get(id)),
    personByAadhaar: (aadhaar) => toPerson(q.byAadhaar.get(aadhaar)),
    people: () => (db.prepare('select data from people order by rowid').all() as any[]).map((r) => JSON.parse(r.data)),
    find: (issuerId, doctype, lookup) => (q.find.all(issuerId, doctype, lookup) as any[]).map(toRecord),
    byUri: (uri) => {
      const r = q.byUri.get(uri);
      return r ? toRecord(r) : null;
    },
    records: (issuerId) =>
      ((issuerId ? db.prepare('select * from records where issuer_id = ? order by rowid').all(issuerId) : db.prepare('select * from records order by rowid').all()) as any[]).map(toRecord),
    studentIds: () => (db.prepare('select person_id from students order by rowid').all() as Array<{ person_id: string }>).map((r) => r.person_id),
    pollPending(uri) {
      const row = q.poll.get(uri) as { polls: number } | undefined;
      return row ? Math.max(0, PENDING_POLLS - row.polls + 1) : 0;
    },
    resetPending: () => void db.prepare('update records set polls = 0').run(),
    issuerKey(issuerId) {
      const row = q.key.get(issuerId) as { hmac_key: string } | undefined;
      if (row) return row.hmac_key;
      const key = crypto.randomBytes(32).toString('base64url');
      q.setKey.run(issuerId, key);
      return key;
    },
    setIssuerKey: (issuerId, key) => void q.setKey.run(issuerId, key),
    createOtp(aadhaar, otp, ttlMs, now) {
      const txn = crypto.randomUUID();
      q.newOtp.run(txn, aadhaar, hashOtp(txn, otp), now, now + ttlMs);
      return txn;
    },
    checkOtp: (txn, otp, now) => checkOtp(txn, otp, now),
    otpRequestsSince: (aadhaar, since) => (q.otpCount.get(aadhaar, since) as { n: number }).n,
    recordSms: (to, message, at) => void db.prepare('insert into sms (recipient, message, created_at) values (?, ?, ?)').run(to, message, at.toISOString()),
    sms: (to) =>
      ((to ? db.prepare('select * from sms where recipient = ? order by id desc').all(to) : db.prepare('select * from sms order by id desc').all()) as any[]).map((r) => ({ to: r.recipient, message: r.message, createdAt: r.created_at })),
    close: () => db.close(),
  };
}

function seed(db: SQLite.Database): void {
  const { people, records, studentIds } = buildDataset();
  db.transaction(() => {
    db.exec('delete from records; delete from students; delete from people;');
    const person = db.prepare('insert into people (id, aadhaar, data) values (?, ?, ?)');
    for (const p of people) person.run(p.id, p.aadhaar, JSON.stringify(p));
    const record = db.prepare('insert into records (uri, issuer_id, doctype, doc_id, person_id, lookup, issued_on, data, behaviour) values (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    for (const r of records) record.run(`${r.issuerId}-${r.doctype}-${r.docId}`, r.issuerId, r.doctype, r.docId, r.personId, r.lookup, r.issuedOn, JSON.stringify(r.data), r.behaviour ?? null);
    const student = db.prepare('insert into students (person_id) values (?)');
    for (const id of studentIds) student.run(id);
    db.prepare('insert into meta (key, value) values (?, ?) on conflict (key) do update set value = excluded.value').run('seed_version', SEED_VERSION);
  })();
}
