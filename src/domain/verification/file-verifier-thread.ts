/**
 * The worker thread of file-verifier-threads.ts: verifies one uploaded file at a time with
 * verifyUpload. The key directory stays with the main thread (it owns the database): each
 * lookup is a message there and back. Errors go back as data — an AppError keeps its kind,
 * code, message and details, so the client gets the same answer as before.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { AppError } from '../errors.ts';
import { KeyDirectoryUnavailable, type IssuerKey, type KeyDirectory } from './ports.ts';
import { verifyUpload } from './verify-upload.ts';

export type DirectoryMethod = 'findByKid' | 'findByCertificate' | 'findByDid';
export type ToThread = { type: 'verify'; file: Uint8Array; now: number } | { type: 'key'; id: number; key?: IssuerKey | null; error?: SerializedError };
export type FromThread = { type: 'ready' } | { type: 'lookup'; id: number; method: DirectoryMethod; arg: string } | { type: 'done'; result?: unknown; error?: SerializedError };
export interface SerializedError {
  name: string;
  message: string;
  kind?: string;
  code?: string;
  details?: Record<string, unknown>;
}

export function serializeError(err: unknown): SerializedError {
  const e = err instanceof Error ? err : new Error(String(err));
  return e instanceof AppError ? { name: 'AppError', message: e.message, kind: e.kind, code: e.code, ...(e.details ? { details: e.details } : {}) } : { name: e.name, message: e.message };
}

export function reviveError(s: SerializedError): Error {
  if (s.name === 'AppError') return new AppError(s.kind as AppError['kind'], s.code!, s.message, s.details);
  if (s.name === 'KeyDirectoryUnavailable') return new KeyDirectoryUnavailable(new Error(s.message));
  const e = new Error(s.message);
  e.name = s.name;
  return e;
}

/** Buffers arrive as plain Uint8Arrays: make them Buffers again. */
export function reviveKey(k: IssuerKey | null | undefined): IssuerKey | null {
  if (!k) return null;
  const buf = (u: Uint8Array) => Buffer.from(u.buffer, u.byteOffset, u.byteLength);
  return { ...k, certificate: k.certificate ? buf(k.certificate) : null, chain: k.chain.map(buf) };
}

/** workerData marking a thread started by file-verifier-threads.ts (this module is also imported elsewhere, e.g. inside test runners' own threads). */
export const THREAD_MARK = 'openlocker-file-verifier';

const port = (workerData as { mark?: string } | null)?.mark === THREAD_MARK ? parentPort : null;
if (port) {
  let seq = 0;
  const waiting = new Map<number, { resolve(k: IssuerKey | null): void; reject(e: Error): void }>();
  const lookup = (method: DirectoryMethod) => (arg: string) =>
    new Promise<IssuerKey | null>((resolve, reject) => {
      const id = ++seq;
      waiting.set(id, { resolve, reject });
      port.postMessage({ type: 'lookup', id, method, arg } satisfies FromThread);
    });
  const directory: KeyDirectory = { findByKid: lookup('findByKid'), findByCertificate: lookup('findByCertificate'), findByDid: lookup('findByDid') };

  port.on('message', (m: ToThread) => {
    if (m.type === 'key') {
      const w = waiting.get(m.id);
      waiting.delete(m.id);
      if (m.error) w?.reject(reviveError(m.error));
      else w?.resolve(reviveKey(m.key));
      return;
    }
    const file = Buffer.from(m.file.buffer, m.file.byteOffset, m.file.byteLength);
    verifyUpload({ directory, now: () => new Date(m.now) }, file).then(
      (result) => port.postMessage({ type: 'done', result } satisfies FromThread),
      (err: unknown) => port.postMessage({ type: 'done', error: serializeError(err) } satisfies FromThread),
    );
  });
  port.postMessage({ type: 'ready' } satisfies FromThread);
}
