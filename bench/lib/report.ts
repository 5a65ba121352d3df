/** Every scenario reports rows; the harness prints them as one table at the end. */
export interface BenchRow {
  scenario: string;
  measure: string;
  value: string;
  /** The bar this measure must meet, if any, and whether it did. */
  bar?: string;
  ok?: boolean;
}

export interface Scenario {
  name: string;
  /** Runs the scenario and returns its rows. */
  run(): Promise<BenchRow[]>;
}

export function printRows(rows: BenchRow[]): void {
  const cols = ['scenario', 'measure', 'value', 'bar'] as const;
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c] ?? '').length)));
  const line = (vals: string[]) => vals.map((v, i) => v.padEnd(widths[i]!)).join('  ');
  console.log('\n' + line([...cols]));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line([r.scenario, r.measure, r.value, r.bar ? `${r.bar} ${r.ok ? '✓' : '✗'}` : '']));
}

export const ms = (n: number) => `${n.toFixed(2)} ms`;
export const ratio = (a: number, b: number) => (b === 0 ? NaN : a / b);

/**
 * What bounds a hot route's ratio, from rates measured in the same slices: the locker's own
 * /healthz (the per-request protections every route pays) and the ceiling it implies with the
 * recording floor. Costs per request add, so a route paying only those protections and the
 * floor's recording answers at most bare ÷ (healthz⁻¹ + floor⁻¹ − 1) of the bare route.
 */
export function boundRows(scenario: string, rps: { bare: number; health: number; logged: number }): BenchRow[] {
  return [
    { scenario, measure: "the locker's /healthz ÷ bare route", value: `${(rps.health / rps.bare).toFixed(2)} (${Math.round(rps.health)} req/s; the app's per-request protections and nothing else)` },
    { scenario, measure: "ceiling: /healthz + the floor's recording, nothing else", value: (1 / (rps.bare / rps.health + rps.bare / rps.logged - 1)).toFixed(2) },
  ];
}
