/**
 * importPushCsv: mass issuance from a CSV file (a board's results day), streamed line by
 * line and pushed in batches of BATCH rows, so memory stays flat for any number of rows.
 * Header (any order, case-insensitive): `uri` and one of `digilockerid` / `mobile`, and
 * optionally `docname`, `issuedate` (DDMMYYYY or YYYY-MM-DD), `action` (A/U/D, default A).
 * Fields may be double-quoted (RFC 4180, without line breaks inside a field).
 */
import readline from 'node:readline';
import type { Readable } from 'node:stream';
import { AppError } from '../errors.ts';
import type { IssuedDeps } from './deps.ts';
import { pushBatch, type BulkResult, type PushRow } from './push-uri.ts';

/** A line quoted back in an error, safe for a terminal: control and non-text bytes become '?'. */
function printable(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f\ufffd]/g, '?');
}

export const BATCH = 1000;
const COLUMNS = ['digilockerid', 'mobile', 'uri', 'docname', 'issuedate', 'action'] as const;

export function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"' && cur === '') quoted = true;
    else if (c === ',') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out.map((s) => s.trim());
}

export interface ImportSummary {
  rows: number;
  written: number;
  deleted: number;
  rejected: number;
  /** The first rejections (at most 100), for the operator to fix. */
  firstRejections: BulkResult['rejected'];
}

export async function importPushCsv(
  deps: Pick<IssuedDeps, 'issuers' | 'docs' | 'activity' | 'clock'>,
  issuer: { issuerId: string; issuerName: string },
  input: Readable,
  onBatch?: (rowsDone: number, bytesDone: number) => void,
): Promise<ImportSummary> {
  const lines = readline.createInterface({ input, crlfDelay: Infinity });
  let header: Array<(typeof COLUMNS)[number] | null> | null = null;
  let batch: PushRow[] = [];
  let batchBytes = 0;
  let firstRow = 1;
  const sum: ImportSummary = { rows: 0, written: 0, deleted: 0, rejected: 0, firstRejections: [] };
  const flush = async () => {
    if (!batch.length) return;
    const r = await pushBatch(deps, issuer, batch, firstRow);
    sum.written += r.written;
    sum.deleted += r.deleted;
    sum.rejected += r.rejected.length;
    for (const x of r.rejected) if (sum.firstRejections.length < 100) sum.firstRejections.push(x);
    firstRow += batch.length;
    onBatch?.(batch.length, batchBytes);
    batch = [];
    batchBytes = 0;
  };
  for await (const line of lines) {
    batchBytes += Buffer.byteLength(line) + 1;
    if (line.trim() === '') continue;
    const cells = splitCsvLine(line);
    if (!header) {
      header = cells.map((c) => {
        const k = c.toLowerCase().replace(/^\ufeff/, '');
        return (COLUMNS as readonly string[]).includes(k) ? (k as (typeof COLUMNS)[number]) : null;
      });
      if (!header.includes('uri') || (!header.includes('digilockerid') && !header.includes('mobile'))) {
        throw new AppError('invalid', 'invalid_csv', `The first line must name the columns, including uri and digilockerid or mobile (got: ${printable(line.slice(0, 200))}).`);
      }
      continue;
    }
    const row: PushRow = { uri: '' };
    header.forEach((k, i) => {
      const v = cells[i];
      if (k && v !== undefined && v !== '') row[k] = v;
    });
    batch.push(row);
    sum.rows += 1;
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  return sum;
}
