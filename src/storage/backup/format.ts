/**
 * The on-disk backup format, version 1. A backup is a directory:
 *
 *   manifest.json        what this is (below); written last, so a directory without it is
 *                        an unfinished backup and is refused by restore and --verify
 *   SHA256SUMS           `sha256sum -c`-compatible list of every other file
 *   database/
 *     openlocker.sqlite  SQLite source: a page copy made with the online backup API
 *     tables/NAME.jsonl  PostgreSQL source: one table per file, exported in one
 *                        REPEATABLE READ snapshot; first line a header
 *                        {"table","columns":[{"name","type"}]}, then one JSON array per row
 *                        with every value in PostgreSQL's text form (null for NULL)
 *   blobs/ab/cd/KEY      every blob, byte for byte as stored (encrypted), same layout as
 *                        the filesystem blob store
 *   files/…              DATA_DIR's own files (master.key, admin.token, other modules' key
 *                        files), except the database and the blob directory
 *
 * The manifest is signed with an HMAC under a key derived from the master key, so a
 * restore or --verify that has the key (MASTER_KEY, or the backup's own master.key) also
 * detects a manifest edited to match tampered files.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { MasterKey } from '../../crypto/master-key.ts';

export const BACKUP_FORMAT = 'openlocker-backup';
export const BACKUP_VERSION = 1;
export const MANIFEST = 'manifest.json';
export const CHECKSUMS = 'SHA256SUMS';
export const SQLITE_SNAPSHOT = 'database/openlocker.sqlite';
export const TABLES_DIR = 'database/tables';
export const BLOBS_DIR = 'blobs';
export const FILES_DIR = 'files';

export interface TableSummary {
  name: string;
  rows: number;
}

export interface SequenceValue {
  name: string;
  lastValue: string;
  isCalled: boolean;
}

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  version: number;
  createdAt: string;
  completedAt: string;
  openlockerVersion: string;
  source: {
    dialect: 'sqlite' | 'postgres';
    database: string;
    schema?: string;
    blobKind: 'file' | 's3';
    blobStore: string;
    dataDir: string;
  };
  masterKey: {
    /** Where the source locker's key came from; `env` means the backup holds no usable key file. */
    source: 'env' | 'file';
    /** Public fingerprint of the key (not the key). */
    id: string;
  };
  /** Schema migrations applied in the snapshot, in order. */
  migrations: string[];
  database: {
    format: 'sqlite-file' | 'jsonl';
    tables: TableSummary[];
    sequences: SequenceValue[];
  };
  blobs: {
    count: number;
    /** Encrypted bytes as stored. */
    bytes: number;
    plainBytes: number;
    /** Keys referenced by the snapshot (blob_refs) that were not in the blob store. */
    missing: string[];
    /** Keys whose stored bytes failed decryption or did not match their content address. */
    corrupt: string[];
  };
  files: Array<{ path: string; kind: 'file' | 'sqlite'; mode: number }>;
  counts: { tables: number; rows: number; blobs: number; files: number };
  checksums: { file: typeof CHECKSUMS; sha256: string; entries: number };
  warnings: string[];
  signature?: { alg: 'HMAC-SHA256'; keyId: string; value: string };
}

/** A clear, expected failure: printed as one line, exit code 1, never a stack trace. */
export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupError';
  }
}

/** Phase-by-phase progress; the CLI draws bars, tests pass `silentProgress`. */
export interface Progress {
  phase(name: string, total: number, unit: string): PhaseProgress;
  note(message: string): void;
}

export interface PhaseProgress {
  tick(n?: number, bytes?: number): void;
  setTotal(total: number): void;
  done(): void;
}

export const silentProgress: Progress = {
  phase: () => ({ tick() {}, setTotal() {}, done() {} }),
  note() {},
};

export async function sha256File(file: string): Promise<{ sha256: string; size: number }> {
  const hash = crypto.createHash('sha256');
  let size = 0;
  for await (const chunk of fs.createReadStream(file)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), size };
}

/** Flushes a written file to disk. */
export async function fsyncFile(file: string): Promise<void> {
  const fd = await fsp.open(file, 'r');
  try {
    await fd.sync();
  } finally {
    await fd.close();
  }
}

/**
 * Streams `streams` (a source and optional transforms) into a new file (`wx`: never over an
 * existing one) and fsyncs it. On failure the partial file is removed.
 */
export async function streamToNewFile(streams: Array<NodeJS.ReadableStream | NodeJS.ReadWriteStream>, file: string, mode = 0o600): Promise<void> {
  try {
    await pipeline([...streams, fs.createWriteStream(file, { flags: 'wx', mode })] as never);
    await fsyncFile(file);
  } catch (err) {
    await fsp.rm(file, { force: true });
    throw err;
  }
}

/** Writes `data` to `file` durably (temp file, fsync, rename). */
export async function writeFileDurably(file: string, data: string | Buffer, mode = 0o600): Promise<void> {
  await fsp.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.partial-${process.pid}`;
  const fd = await fsp.open(tmp, 'w', mode);
  try {
    await fd.writeFile(data);
    await fd.sync();
  } finally {
    await fd.close();
  }
  await fsp.rename(tmp, file);
}

/** Paths inside the backup use forward slashes; refuse anything that could escape it. */
export function safeRelative(p: string): string {
  const norm = path.posix.normalize(p);
  if (norm.startsWith('../') || norm === '..' || path.posix.isAbsolute(norm) || norm.includes('\0') || norm === '.') {
    throw new BackupError(`The backup names a file outside itself: ${JSON.stringify(p).slice(0, 100)}`);
  }
  return norm;
}

export function blobPath(key: string): string {
  return `${BLOBS_DIR}/${key.slice(0, 2)}/${key.slice(2, 4)}/${key}`;
}

export function tableFile(name: string): string {
  return `${TABLES_DIR}/${encodeURIComponent(name)}.jsonl`;
}

function signingKey(master: MasterKey): Buffer {
  return master.derive('backup-manifest');
}

function unsigned(m: BackupManifest): string {
  const { signature: _drop, ...rest } = m;
  return JSON.stringify(rest);
}

export function signManifest(m: BackupManifest, master: MasterKey): BackupManifest {
  const value = crypto.createHmac('sha256', signingKey(master)).update(unsigned(m)).digest('hex');
  return { ...m, signature: { alg: 'HMAC-SHA256', keyId: master.id.toString('hex'), value } };
}

/** 'valid', 'invalid', or 'unchecked' when `master` is not the key that signed it. */
export function checkManifestSignature(m: BackupManifest, master: MasterKey | undefined): 'valid' | 'invalid' | 'unchecked' {
  if (!m.signature || !master || m.signature.keyId !== master.id.toString('hex')) return 'unchecked';
  const expected = crypto.createHmac('sha256', signingKey(master)).update(unsigned(m)).digest();
  const given = Buffer.from(m.signature.value, 'hex');
  return given.length === expected.length && crypto.timingSafeEqual(given, expected) ? 'valid' : 'invalid';
}

export async function readManifest(dir: string): Promise<BackupManifest> {
  const file = path.join(dir, MANIFEST);
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      const exists = fs.existsSync(dir);
      throw new BackupError(exists ? `${dir} has no ${MANIFEST}: it is not a backup, or the backup did not finish.` : `${dir} does not exist.`);
    }
    throw err;
  }
  let m: BackupManifest;
  try {
    m = JSON.parse(text) as BackupManifest;
  } catch {
    throw new BackupError(`${file} is not valid JSON: the backup is damaged.`);
  }
  if (m?.format !== BACKUP_FORMAT) throw new BackupError(`${file} is not an OpenLocker backup manifest.`);
  if (m.version !== BACKUP_VERSION) throw new BackupError(`${file} is format version ${m.version}; this OpenLocker reads version ${BACKUP_VERSION}.`);
  if (!Array.isArray(m.migrations) || !m.database || !Array.isArray(m.database.tables) || !m.blobs || !Array.isArray(m.files) || !m.checksums) {
    throw new BackupError(`${file} is incomplete: the backup is damaged.`);
  }
  return m;
}

/** Parses SHA256SUMS lines `HEX  PATH`. */
export function parseChecksums(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (!line) continue;
    const m = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);
    if (!m) throw new BackupError(`${CHECKSUMS} has a malformed line: ${JSON.stringify(line.slice(0, 80))}`);
    out.set(safeRelative(m[2]!), m[1]!);
  }
  return out;
}

export function formatChecksums(entries: Map<string, string>): string {
  return [...entries.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([p, h]) => `${h}  ${p}\n`)
    .join('');
}

/** Every regular file under `dir`, relative with forward slashes, sorted. */
export async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  let entries: fs.Dirent[];
  try {
    entries = await fsp.readdir(path.join(dir, prefix), { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  for (const e of entries) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await listFiles(dir, rel)));
    else out.push(rel);
  }
  return out.sort();
}
