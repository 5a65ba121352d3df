/**
 * provisionStudents: a board pre-provisions its students (DigiLocker's CBSE flow). For each
 * student — the mobile registered with the board, name, date of birth, gender, roll number
 * and the URIs of their documents — a locker is created if the mobile has none, with the
 * last 6 digits of the roll number as first PIN (which must be changed at the first
 * sign-in: accounts/provision-account.ts), and the documents are put in Issued.
 * An existing locker keeps its PIN and just receives the documents. Idempotent.
 */
import { provisionAccount } from '../accounts/provision-account.ts';
import type { PinHasher } from '../accounts/ports.ts';
import { AppError } from '../errors.ts';
import type { IssuedDeps } from './deps.ts';
import { pushBatch } from './push-uri.ts';

export interface Student {
  mobile: string;
  name: string;
  /** YYYY-MM-DD */
  dob: string;
  gender: 'M' | 'F' | 'T';
  rollNo: string;
  uris: string[];
}

export async function provisionStudents(
  deps: Pick<IssuedDeps, 'accounts' | 'issuers' | 'docs' | 'activity' | 'clock'> & { pinHasher: PinHasher },
  issuer: { issuerId: string; issuerName: string },
  students: Student[],
): Promise<{ created: number; existing: number; documents: number; rejected: Array<{ mobile: string; error: string }> }> {
  const out = { created: 0, existing: 0, documents: 0, rejected: [] as Array<{ mobile: string; error: string }> };
  for (const s of students) {
    const roll = String(s.rollNo ?? '').replace(/\D/g, '');
    if (roll.length < 6) {
      out.rejected.push({ mobile: s.mobile, error: 'invalid_roll_no' });
      continue;
    }
    let accountId: string;
    try {
      const r = await provisionAccount(deps, { mobile: s.mobile, name: s.name, dob: s.dob, gender: s.gender, firstPin: roll.slice(-6) });
      accountId = r.account.id;
      out[r.created ? 'created' : 'existing'] += 1;
    } catch (err) {
      out.rejected.push({ mobile: s.mobile, error: err instanceof AppError ? err.code : 'invalid' });
      continue;
    }
    // Only what the locker does not hold yet: running the provisioning again adds nothing.
    const missing: string[] = [];
    for (const uri of s.uris) if (!(await deps.docs.get(accountId, uri))) missing.push(uri);
    if (missing.length === 0) continue;
    const r = await pushBatch(deps, issuer, missing.map((uri) => ({ digilockerid: accountId, uri, action: 'U' })), 1, 'preprovision');
    out.documents += r.written;
    for (const x of r.rejected) out.rejected.push({ mobile: s.mobile, error: `${x.error} ${x.uri}` });
  }
  return out;
}
