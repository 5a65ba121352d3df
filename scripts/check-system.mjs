#!/usr/bin/env node
// Runs before `npm test`: makes sure the Debian packages the tests need are present.
// As root it installs what is missing with apt-get; otherwise it stops with the exact
// command to run, instead of letting a browser or PDF test fail confusingly later.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';

// binary -> Debian package
const NEEDED = [
  ['/usr/bin/chromium', 'chromium', 'browser tests (playwright-core drives Debian Chromium)'],
  ['/usr/bin/pdfsig', 'poppler-utils', 'PDF signature and rendering checks (pdfsig, pdftoppm)'],
  ['/usr/bin/certutil', 'libnss3-tools', 'trust stores for pdfsig (certutil)'],
  ['/usr/bin/mutool', 'mupdf-tools', 'PDF signature checks with a second tool (mutool)'],
  ['/usr/bin/zbarimg', 'zbar-tools', 'QR code decoding (zbarimg)'],
];

const missing = NEEDED.filter(([bin]) => !fs.existsSync(bin));
if (missing.length === 0) process.exit(0);

const pkgs = [...new Set(missing.map(([, pkg]) => pkg))];
const cmd = `apt-get update && apt-get install -y ${pkgs.join(' ')}`;
for (const [bin, pkg, why] of missing) console.error(`missing ${bin} (Debian package ${pkg}): needed for ${why}`);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (!isRoot) {
  console.error(`\nInstall them first, as root:\n\n  sudo sh -c '${cmd}'\n`);
  process.exit(1);
}
console.error(`installing: ${pkgs.join(' ')}`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
const r = spawnSync('apt-get', ['install', '-y', '-qq', ...pkgs], { stdio: 'inherit', env });
if (r.status !== 0) {
  console.error(`\napt-get failed. Run it yourself:\n\n  ${cmd}\n`);
  process.exit(1);
}
