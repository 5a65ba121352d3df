/**
 * DATA_DIR's own files — the master key file, the admin token, and whatever key files other
 * modules keep there — backed up generically: every regular file under DATA_DIR except the
 * database (and its -wal/-shm/-journal), the blob directory and the backup being written.
 * A file that is itself an SQLite database (a module's own store) is copied with the online
 * backup API like the main one, so it is consistent even while in use. Symbolic links and
 * special files are skipped and named in the manifest's warnings.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import crypto from 'node:crypto';
import { FILES_DIR, safeRelative, sha256File, streamToNewFile, type PhaseProgress } from './format.ts';
import { isSqliteFile, snapshotSqlite } from './sqlite-snapshot.ts';

export interface DataFile {
  /** Relative to DATA_DIR, forward slashes. */
  rel: string;
  abs: string;
  kind: 'file' | 'sqlite';
  mode: number;
  size: number;
}

const SIDECARS = ['-wal', '-shm', '-journal'];

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** Lists DATA_DIR's files, leaving out `exclude` (absolute paths: files or directories). */
export async function collectDataFiles(dataDir: string, exclude: string[]): Promise<{ files: DataFile[]; skipped: string[] }> {
  const root = path.resolve(dataDir);
  const excluded = exclude.map((e) => path.resolve(e));
  const files: DataFile[] = [];
  const skipped: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    let entries: fs.Dirent[];
    try {
      entries = await fsp.readdir(dir, { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const abs = path.join(dir, e.name);
      if (excluded.some((x) => isInside(abs, x) || SIDECARS.some((s) => abs === x + s))) continue;
      const rel = path.relative(root, abs).split(path.sep).join('/');
      if (e.isDirectory()) await walk(abs);
      else if (e.isFile()) {
        const st = await fsp.stat(abs);
        files.push({ rel, abs, kind: isSqliteFile(abs) ? 'sqlite' : 'file', mode: st.mode & 0o777, size: st.size });
      } else skipped.push(`${rel} (${e.isSymbolicLink() ? 'symbolic link' : 'not a regular file'}: not backed up)`);
    }
  };
  await walk(root);
  // The -wal/-shm/-journal of an SQLite file are part of that database, which the backup API copies whole.
  const sqlite = new Set(files.filter((f) => f.kind === 'sqlite').map((f) => f.rel));
  return { files: files.filter((f) => !SIDECARS.some((s) => f.rel.endsWith(s) && sqlite.has(f.rel.slice(0, -s.length)))), skipped };
}

/** Copies data files into `dir/files/…`; returns backup-relative path → SHA-256. */
export async function copyDataFilesOut(files: DataFile[], dir: string, progress: PhaseProgress): Promise<Map<string, string>> {
  const sums = new Map<string, string>();
  for (const f of files) {
    const rel = `${FILES_DIR}/${safeRelative(f.rel)}`;
    const dest = path.join(dir, rel);
    await fsp.mkdir(path.dirname(dest), { recursive: true, mode: 0o700 });
    if (f.kind === 'sqlite') {
      await snapshotSqlite(f.abs, dest);
      await fsp.chmod(dest, 0o600);
    } else {
      await streamToNewFile([fs.createReadStream(f.abs)], dest);
    }
    const { sha256, size } = await sha256File(dest);
    sums.set(rel, sha256);
    progress.tick(1, size);
  }
  return sums;
}

/**
 * Writes backed-up data files into `dataDir` (temp file, fsync, rename; the original mode).
 * `skip` are absolute target paths never to overwrite (the target's database and blob directory).
 */
export async function restoreDataFiles(
  files: Array<{ path: string; kind: 'file' | 'sqlite'; mode: number }>,
  backupDir: string,
  dataDir: string,
  skip: string[],
  progress: PhaseProgress,
): Promise<string[]> {
  const written: string[] = [];
  for (const f of files) {
    const inBackup = safeRelative(f.path);
    if (!inBackup.startsWith(`${FILES_DIR}/`)) continue;
    const rel = safeRelative(inBackup.slice(FILES_DIR.length + 1));
    const target = path.join(path.resolve(dataDir), ...rel.split('/'));
    if (!isInside(target, path.resolve(dataDir)) || skip.some((s) => isInside(target, path.resolve(s)))) continue;
    await fsp.mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
    const tmp = `${target}.restore-${crypto.randomBytes(4).toString('hex')}`;
    await streamToNewFile([fs.createReadStream(path.join(backupDir, inBackup))], tmp, (f.mode & 0o777) || 0o600);
    if (f.kind === 'sqlite') for (const s of SIDECARS) await fsp.rm(target + s, { force: true });
    await fsp.rename(tmp, target);
    written.push(rel);
    progress.tick(1);
  }
  return written;
}
