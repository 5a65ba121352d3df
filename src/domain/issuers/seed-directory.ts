/**
 * Seeds the public directory (1,493 real issuers) into the registry when the shipped
 * directory differs from what the registry last recorded. A no-op costs one indexed read,
 * so it runs at every start; a full seed is one transaction of batched inserts.
 */
import type { IssuerDeps } from './deps.ts';
import { directoryRecord, loadDirectory } from './directory.ts';
import type { SeedResult } from './ports.ts';

export async function seedIssuerDirectory(deps: Pick<IssuerDeps, 'issuers' | 'clock'>, options: { file?: string; force?: boolean } = {}): Promise<SeedResult & { version: string; changed: boolean }> {
  const dir = loadDirectory(options.file);
  if (!options.force && (await deps.issuers.directoryVersion()) === dir.version) {
    return { version: dir.version, changed: false, inserted: 0, updated: 0, skipped: 0 };
  }
  const result = await deps.issuers.seedDirectory(dir.issuers.map(directoryRecord), dir.version, deps.clock.now());
  return { ...result, version: dir.version, changed: true };
}
