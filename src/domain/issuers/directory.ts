/**
 * The public issuer directory shipped with the locker (`resources/issuer-directory.json`,
 * derived from the 1,493 real issuers on API Setu; provenance in `resources/README.md`).
 * It is seeded into the registry so the Issuers section is browsable and searchable; its
 * issuers are "not connected" until an operator configures their endpoints.
 *
 * The file is compact (short keys) because it is read at every start-up that finds the
 * registry out of date, and shipped in the repository.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Category, DocFormat, IssuerScope, ProfileField } from './model.ts';
import type { IssuerRecord } from './ports.ts';
import { RESOURCES_DIR } from '../../paths.ts';

export interface DirectoryParameter {
  /** name */ n: string;
  /** label */ l: string;
  /** example */ e?: string;
  /** pattern */ p?: string;
  /** value list */ v?: string[];
}

export interface DirectoryDoctype {
  /** code */ c: string;
  /** name */ n: string;
  /** formats */ f: DocFormat[];
  /** parameters */ p: DirectoryParameter[];
  /** profile fields the issuer takes from the verified profile */ a?: ProfileField[];
}

export interface DirectoryIssuer {
  id: string;
  name: string;
  state?: string;
  scope: IssuerScope;
  category: Category;
  description?: string;
  doctypes: DirectoryDoctype[];
}

export interface DirectoryFile {
  format: 1;
  source: string;
  issuers: DirectoryIssuer[];
}

export const DIRECTORY_FILE = path.join(RESOURCES_DIR, 'issuer-directory.json');

export interface LoadedDirectory {
  /** Content hash: the registry re-seeds only when this changes. */
  version: string;
  issuers: DirectoryIssuer[];
}

let cached: { file: string; loaded: LoadedDirectory } | undefined;

/** Reads and checks the directory file (cached per path for the life of the process). */
export function loadDirectory(file = DIRECTORY_FILE): LoadedDirectory {
  if (cached?.file === file) return cached.loaded;
  const raw = fs.readFileSync(file);
  const parsed = JSON.parse(raw.toString('utf8')) as DirectoryFile;
  if (parsed.format !== 1 || !Array.isArray(parsed.issuers)) throw new Error(`${file} is not an issuer directory (format 1)`);
  const loaded = { version: crypto.createHash('sha256').update(raw).digest('hex').slice(0, 16), issuers: parsed.issuers };
  cached = { file, loaded };
  return loaded;
}

/** The directory version of the code as shipped, without loading the whole file twice. */
export function directoryVersion(file = DIRECTORY_FILE): string {
  return loadDirectory(file).version;
}

/** A directory entry as a registry record: listed, searchable, not connected. */
export function directoryRecord(d: DirectoryIssuer): IssuerRecord {
  return {
    id: d.id,
    name: d.name,
    category: d.category,
    scope: d.scope,
    state: d.state ?? null,
    description: d.description ?? null,
    status: 'active',
    source: 'directory',
    orgId: null,
    pullUriUrl: null,
    pullDocUrl: null,
    hmacEncoding: 'base64-hex',
    timeoutMs: null,
    doctypes: d.doctypes.map((t) => ({
      code: t.c,
      name: t.n,
      formats: t.f,
      profileFields: t.a ?? [],
      pullUriUrl: null,
      pullDocUrl: null,
      parameters: t.p.map((p) => ({
        name: p.n,
        label: p.l,
        ...(p.e ? { example: p.e } : {}),
        ...(p.p ? { pattern: p.p } : {}),
        ...(p.v ? { values: p.v.map((v) => ({ value: v, label: v })) } : {}),
      })),
    })),
  };
}
