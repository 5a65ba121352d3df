/**
 * Where the project's own files are (static assets, resources, package.json), found from
 * this module's location by walking up to package.json — so the same code works run from
 * the TypeScript sources (tsx, vitest) and from the precompiled build in dist/.
 */
import fs from 'node:fs';
import path from 'node:path';

function findRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`package.json not found above ${from}`);
  }
}

export const ROOT = findRoot(import.meta.dirname);
export const RESOURCES_DIR = path.join(ROOT, 'resources');
