/**
 * `openlocker backup --verify DIR`: recomputes every hash and reports every problem.
 *
 *  - manifest.json parses, is this format, and (when the master key is at hand: MASTER_KEY,
 *    or the backup's own files/master.key) carries a valid signature;
 *  - SHA256SUMS matches the manifest, and every file it lists is there with that SHA-256;
 *    no file is missing or unexpected;
 *  - deep checks (default): every blob decrypts and matches its content address; the SQLite
 *    snapshot passes `integrity_check` and has the manifest's row counts; each PostgreSQL
 *    table file parses and has its row count.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { masterKeyFromBytes, type MasterKey } from '../../crypto/master-key.ts';
import { checkBlobFile, forEachLimit } from './blob-copy.ts';
import {
  BLOBS_DIR,
  CHECKSUMS,
  checkManifestSignature,
  listFiles,
  MANIFEST,
  parseChecksums,
  readManifest,
  sha256File,
  SQLITE_SNAPSHOT,
  tableFile,
  type BackupManifest,
  type Progress,
} from './format.ts';
import { readJsonlTable } from './postgres-export.ts';
import { inspectSqlite, sqliteIntegrity } from './sqlite-snapshot.ts';

export interface VerifyOptions {
  /** MASTER_KEY from the environment, if set. */
  masterKey?: Buffer;
  /** Decrypt blobs and open the database snapshot, not only hash them (default true). */
  deep?: boolean;
  progress: Progress;
}

export interface VerifyResult {
  manifest: BackupManifest;
  problems: string[];
  filesChecked: number;
  bytesChecked: number;
  /** Whether blob contents were decrypted and checked. */
  deepChecked: boolean;
  signature: 'valid' | 'invalid' | 'unchecked';
  ms: number;
}

/** The key this backup's blobs are under, if available: MASTER_KEY, else the backup's own key file. */
export function backupMasterKey(dir: string, manifest: BackupManifest, env?: Buffer): MasterKey | undefined {
  const candidates: MasterKey[] = [];
  if (env) candidates.push(masterKeyFromBytes(env));
  const file = path.join(dir, 'files', 'master.key');
  if (manifest.files.some((f) => f.path === 'files/master.key') && fs.existsSync(file)) {
    const bytes = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
    if (bytes.length === 32) candidates.push(masterKeyFromBytes(bytes));
  }
  return candidates.find((k) => k.id.toString('hex') === manifest.masterKey.id);
}

export async function verifyBackup(dir: string, opts: VerifyOptions): Promise<VerifyResult> {
  const started = Date.now();
  const abs = path.resolve(dir);
  const manifest = await readManifest(abs);
  const problems: string[] = [];
  const deep = opts.deep ?? true;
  const master = backupMasterKey(abs, manifest, opts.masterKey);
  const signature = checkManifestSignature(manifest, master);
  if (signature === 'invalid') problems.push(`${MANIFEST}: the signature does not match: the manifest was edited.`);

  let sums = new Map<string, string>();
  const sumsFile = path.join(abs, CHECKSUMS);
  if (!fs.existsSync(sumsFile)) problems.push(`${CHECKSUMS} is missing.`);
  else {
    const { sha256 } = await sha256File(sumsFile);
    if (sha256 !== manifest.checksums.sha256) problems.push(`${CHECKSUMS}: SHA-256 does not match the manifest (tampered or damaged).`);
    try {
      sums = parseChecksums(await fsp.readFile(sumsFile, 'utf8'));
    } catch (err) {
      problems.push((err as Error).message);
    }
    if (sums.size !== manifest.checksums.entries) problems.push(`${CHECKSUMS} lists ${sums.size} files; the manifest says ${manifest.checksums.entries}.`);
  }

  const present = new Set((await listFiles(abs)).filter((f) => f !== MANIFEST && f !== CHECKSUMS));
  for (const f of present) if (!sums.has(f)) problems.push(`${f}: not listed in ${CHECKSUMS} (unexpected file).`);
  for (const f of sums.keys()) if (!present.has(f)) problems.push(`${f}: missing.`);
  const blobEntries = [...sums.keys()].filter((f) => f.startsWith(`${BLOBS_DIR}/`));
  if (blobEntries.length !== manifest.blobs.count) problems.push(`The backup holds ${blobEntries.length} blobs; the manifest says ${manifest.blobs.count}.`);
  if (manifest.blobs.missing.length) problems.push(`${manifest.blobs.missing.length} blob(s) referenced by the database were missing from the store when the backup was made.`);
  if (manifest.blobs.corrupt.length) problems.push(`${manifest.blobs.corrupt.length} blob(s) were already damaged in the store when the backup was made.`);

  const checkDeep = deep && master !== undefined;
  const phase = opts.progress.phase('verifying', sums.size, 'files');
  let bytesChecked = 0;
  await forEachLimit([...sums.entries()].filter(([f]) => present.has(f)), 4, async ([f, expected]) => {
    const file = path.join(abs, f);
    const key = f.startsWith(`${BLOBS_DIR}/`) ? path.posix.basename(f) : undefined;
    if (key && checkDeep) {
      const r = await checkBlobFile(file, key, master);
      bytesChecked += r.bytes;
      if (r.sha256 !== expected) problems.push(`${f}: SHA-256 mismatch (tampered or damaged).`);
      else if (!r.contentOk && !manifest.blobs.corrupt.includes(key)) problems.push(`${f}: ${r.problem ?? 'content check failed'}.`);
      phase.tick(1, r.bytes);
      return;
    }
    const { sha256, size } = await sha256File(file);
    bytesChecked += size;
    if (sha256 !== expected) problems.push(`${f}: SHA-256 mismatch (tampered or damaged).`);
    phase.tick(1, size);
  });
  phase.done();

  if (deep && !problems.some((p) => p.startsWith('database/'))) problems.push(...(await checkDatabase(abs, manifest)));
  problems.sort();
  return { manifest, problems, filesChecked: sums.size, bytesChecked, deepChecked: checkDeep, signature, ms: Date.now() - started };
}

async function checkDatabase(dir: string, m: BackupManifest): Promise<string[]> {
  const problems: string[] = [];
  const expected = new Map(m.database.tables.map((t) => [t.name, t.rows]));
  try {
    if (m.database.format === 'sqlite-file') {
      const file = path.join(dir, SQLITE_SNAPSHOT);
      if (!fs.existsSync(file)) return [`${SQLITE_SNAPSHOT}: missing.`];
      const integrity = sqliteIntegrity(file);
      if (integrity.length) problems.push(`${SQLITE_SNAPSHOT}: integrity check failed: ${integrity.slice(0, 3).join('; ')}`);
      const info = inspectSqlite(file);
      for (const t of info.tables) if (expected.get(t.name) !== t.rows) problems.push(`${SQLITE_SNAPSHOT}: table ${t.name} has ${t.rows} rows; the manifest says ${expected.get(t.name) ?? 'none'}.`);
      if (info.migrations.join() !== m.migrations.join()) problems.push(`${SQLITE_SNAPSHOT}: its migrations differ from the manifest's.`);
    } else {
      for (const [name, rows] of expected) {
        const t = await readJsonlTable(path.join(dir, tableFile(name)));
        let n = 0;
        for await (const _row of t.rows) n++;
        if (n !== rows) problems.push(`${tableFile(name)}: ${n} rows; the manifest says ${rows}.`);
      }
    }
  } catch (err) {
    problems.push(`database: cannot be read: ${(err as Error).message}`);
  }
  return problems;
}
