/**
 * `npm run bench`: every scenario measures the locker against a baseline taken in the
 * same run on the same machine, and prints ratios (noise cancels; absolute numbers vary).
 * `npm run bench -- NAME…` runs only the named scenarios. BENCH_SECONDS sets the duration
 * of each load run (default 5).
 */
import { accounts } from './scenarios/accounts.ts';
import { backup } from './scenarios/backup.ts';
import { foundation } from './scenarios/foundation.ts';
import { verification } from './scenarios/verification.ts';
import { issued } from './scenarios/issued.ts';
import { uploads } from './scenarios/uploads.ts';
import { partner } from './scenarios/partner.ts';
import { shares } from './scenarios/shares.ts';
import { printRows, type BenchRow, type Scenario } from './lib/report.ts';

const SCENARIOS: Scenario[] = [foundation, accounts, backup, verification, issued, uploads, shares, partner];

const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const selected = only.length ? SCENARIOS.filter((s) => only.includes(s.name)) : SCENARIOS;
if (only.length && selected.length !== only.length) {
  console.error(`unknown scenario; available: ${SCENARIOS.map((s) => s.name).join(', ')}`);
  process.exit(2);
}

const rows: BenchRow[] = [];
for (const s of selected) {
  process.stderr.write(`running ${s.name}…\n`);
  try {
    const r = await s.run();
    rows.push(...r);
    printRows(r);
  } catch (err) {
    rows.push({ scenario: s.name, measure: 'error', value: (err as Error).message.split('\n')[0]!, bar: 'runs', ok: false });
  }
}
console.log('\n=== summary ===');
printRows(rows);
const failed = rows.filter((r) => r.ok === false);
if (failed.length) {
  console.log(`\n${failed.length} bar(s) not met`);
  process.exitCode = 1;
}
