/**
 * Fonts for rendered documents: Noto Sans Devanagari (SIL Open Font License 1.1, from the
 * npm package @expo-google-fonts/noto-sans-devanagari; its LICENSE_FONT ships beside the
 * files). It covers Latin and Devanagari, so one family renders English and Hindi. Loaded
 * from node_modules, never from the operating system (a fresh machine may have no Noto).
 *
 * @pdf-lib/fontkit's Indic shaper was compiled with Babel's generator transform and calls
 * a global `regeneratorRuntime`; without it, shaping Devanagari throws. Importing the
 * runtime here installs that global before any text is laid out.
 */
import 'regenerator-runtime/runtime.js';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const PACKAGE_DIR = path.dirname(require.resolve('@expo-google-fonts/noto-sans-devanagari/package.json'));

let cache: { regular: Buffer; bold: Buffer } | undefined;

export function documentFonts(): { regular: Buffer; bold: Buffer } {
  cache ??= {
    regular: fs.readFileSync(path.join(PACKAGE_DIR, '400Regular', 'NotoSansDevanagari_400Regular.ttf')),
    bold: fs.readFileSync(path.join(PACKAGE_DIR, '700Bold', 'NotoSansDevanagari_700Bold.ttf')),
  };
  return cache;
}

/** True when `s` has Devanagari letters (which need shaping, and ActualText for extraction). */
export function hasDevanagari(s: string): boolean {
  return /[\u0900-\u097F\uA8E0-\uA8FF]/.test(s);
}
