/**
 * What a person trying the locker needs to know about the sandbox: the demo identities
 * (who they are, their mobile and Aadhaar, and what to type to fetch each of their
 * documents), and the CBSE pre-provisioning list — the students (mobile + roll number +
 * year) the board pushes so they can sign in with that mobile, an OTP and the last six
 * digits of their roll number as first PIN, and find their documents already issued.
 */
import { sandboxIssuer } from './issuers.ts';
import type { SandboxStore, StoredRecord } from './store.ts';

export interface DemoDocument {
  issuer_id: string;
  doctype: string;
  name: string;
  uri: string;
  /** The search parameters to type (profile fields such as DOB come from the verified profile). */
  find_with: Record<string, string>;
  note?: string;
}

export interface DemoIdentity {
  id: string;
  name: string;
  name_hi: string;
  dob: string;
  gender: string;
  mobile: string;
  aadhaar: string | null;
  documents: DemoDocument[];
}

const NOTES = {
  pending: 'answers "pending" (Status 9) twice, then the document is available',
  slow: 'the issuer answers after 15 seconds (longer than the locker waits)',
  error: 'the issuer fails with HTTP 500',
} as const;

function findWith(r: StoredRecord): Record<string, string> {
  const d = r.data as Record<string, string>;
  switch (r.issuerId) {
    case 'in.gov.cbse':
      return { rollno: String(d.rollNo), year: String(d.year) };
    case 'in.gov.transport':
      return r.doctype === 'DRVLC' ? { dlno: d.dlno! } : { reg_no: d.regNo!, chasis_no: String(d.chassis).slice(-5) };
    case 'in.gov.pan':
      return { panno: d.pan! };
    case 'in.gov.up.edistrict':
      return { ApplicationNo: d.applicationNo!, CertificateID: d.certificateId! };
    default:
      return {};
  }
}

function describe(store: SandboxStore, r: StoredRecord): DemoDocument {
  const name = sandboxIssuer(r.issuerId)?.doctypes.find((d) => d.code === r.doctype)?.name ?? r.doctype;
  const params = findWith(r);
  if (r.doctype === 'PANCR') params.PANFullName = (store.person(r.personId)?.name ?? '').toUpperCase();
  return { issuer_id: r.issuerId, doctype: r.doctype, name, uri: r.uri, find_with: params, ...(r.behaviour ? { note: NOTES[r.behaviour] } : {}) };
}

export function demoIdentities(store: SandboxStore): DemoIdentity[] {
  const students = new Set(store.studentIds());
  const byPerson = new Map<string, StoredRecord[]>();
  for (const r of store.records()) {
    if (students.has(r.personId)) continue;
    byPerson.set(r.personId, [...(byPerson.get(r.personId) ?? []), r]);
  }
  return store
    .people()
    .filter((p) => !students.has(p.id))
    .map((p) => ({
      id: p.id,
      name: p.name,
      name_hi: p.nameHi,
      dob: p.dob,
      gender: p.gender,
      mobile: p.mobile,
      aadhaar: p.aadhaar,
      documents: (byPerson.get(p.id) ?? []).map((r) => describe(store, r)),
    }));
}

export interface ProvisionedStudent {
  name: string;
  dob: string;
  gender: string;
  /** The mobile registered with the board (10 digits). */
  mobile: string;
  roll_no: string;
  year: number;
  class: 'X' | 'XII';
  /** Last 6 digits of the roll number: the first PIN, to be changed at first sign-in. */
  first_pin: string;
  /** The URIs the board pushes for this student. */
  uris: string[];
}

/** The board's pre-provisioning list (only CBSE pre-provisions in the sandbox). */
export function preProvisioningList(store: SandboxStore, issuerId = 'in.gov.cbse'): ProvisionedStudent[] {
  if (issuerId !== 'in.gov.cbse') return [];
  const records = store.records('in.gov.cbse');
  return store.studentIds().flatMap((id) => {
    const p = store.person(id);
    const mine = records.filter((r) => r.personId === id);
    if (!p || mine.length === 0) return [];
    const d = mine[0]!.data as { rollNo: string; year: number; cls: 'X' | 'XII' };
    return [{ name: p.name, dob: p.dob, gender: p.gender, mobile: p.mobile, roll_no: d.rollNo, year: d.year, class: d.cls, first_pin: d.rollNo.slice(-6), uris: mine.map((r) => r.uri) }];
  });
}
