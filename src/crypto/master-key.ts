/**
 * The master key wraps every per-blob data key and seeds other derived keys. It comes from
 * `MASTER_KEY`, or from `DATA_DIR/master.key`, created once with mode 0600 on first start.
 * Subkeys are derived with HKDF-SHA256 and a purpose label, so no two uses share a key.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const MASTER_KEY_FILE = 'master.key';

export interface MasterKey {
  /** Short public fingerprint stored beside wrapped keys, to name the key that wrapped them. */
  readonly id: Buffer;
  /** A 32-byte key for `purpose`, derived from the master key. */
  derive(purpose: string): Buffer;
}

export function masterKeyFromBytes(bytes: Buffer): MasterKey {
  if (bytes.length !== 32) throw new Error('the master key must be 32 bytes');
  const secret = Buffer.from(bytes);
  const id = crypto.createHash('sha256').update('openlocker master key id').update(secret).digest().subarray(0, 8);
  const cache = new Map<string, Buffer>();
  return {
    id,
    derive(purpose) {
      let k = cache.get(purpose);
      if (!k) {
        k = Buffer.from(crypto.hkdfSync('sha256', secret, Buffer.alloc(0), `openlocker/${purpose}`, 32));
        cache.set(purpose, k);
      }
      return k;
    },
  };
}

/**
 * Returns the configured key, or reads the key file in `dataDir`, creating it if absent.
 * Creation uses O_EXCL, so two processes starting together agree on one key.
 */
export function loadOrCreateMasterKey(configured: Buffer | undefined, dataDir: string): { key: MasterKey; source: 'env' | 'file' | 'created' } {
  if (configured) return { key: masterKeyFromBytes(configured), source: 'env' };
  const file = path.join(dataDir, MASTER_KEY_FILE);
  fs.mkdirSync(dataDir, { recursive: true });
  try {
    const fresh = crypto.randomBytes(32);
    fs.writeFileSync(file, fresh.toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
    return { key: masterKeyFromBytes(fresh), source: 'created' };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const text = fs.readFileSync(file, 'utf8').trim();
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length !== 32) throw new Error(`${file} does not hold a 32-byte base64 key`);
  const mode = fs.statSync(file).mode & 0o777;
  if (mode & 0o077) fs.chmodSync(file, 0o600);
  return { key: masterKeyFromBytes(bytes), source: 'file' };
}

/**
 * The key `loadOrCreateMasterKey` would use, without creating one: `MASTER_KEY`, else the key
 * file in `dataDir`, else undefined (tools such as backup and restore must not invent a key).
 */
export function readMasterKey(configured: Buffer | undefined, dataDir: string): { key: MasterKey; source: 'env' | 'file' } | undefined {
  if (configured) return { key: masterKeyFromBytes(configured), source: 'env' };
  const file = path.join(dataDir, MASTER_KEY_FILE);
  if (!fs.existsSync(file)) return undefined;
  const bytes = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
  if (bytes.length !== 32) throw new Error(`${file} does not hold a 32-byte base64 key`);
  return { key: masterKeyFromBytes(bytes), source: 'file' };
}
