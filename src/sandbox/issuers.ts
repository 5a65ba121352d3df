/**
 * The five sandbox issuers: their registry entries (ids, names, document types and search
 * parameters as in the real API Setu directory) and, for each document type, how its Pull
 * URI request finds a record — the same rules the real department applies: CBSE by roll
 * number and year, a driving licence by number and date of birth, a vehicle by
 * registration number and the last five characters of the chassis number, a PAN by number
 * and the name on the card, an e-District certificate by application number and
 * certificate id, eAadhaar by Aadhaar number.
 */
import type { Doctype, DoctypeParameter, IssuerScope, Category } from '../domain/issuers/model.ts';
import type { PullUriRequestMessage } from '../integrations/issuer-api/wire.ts';
import { normaliseId } from './seed/records.ts';
import type { SandboxStore, StoredRecord } from './store.ts';

export interface SandboxIssuer {
  id: string;
  name: string;
  category: Category;
  scope: IssuerScope;
  state: string | null;
  description: string;
  doctypes: Array<Omit<Doctype, 'pullUriUrl' | 'pullDocUrl'>>;
}

const SANDBOX_NOTE = 'Sandbox: synthetic people and documents for trying the locker; nothing here is real.';
const rollno: DoctypeParameter = { name: 'rollno', label: 'Roll No', example: '2410001', pattern: '[0-9]{7,8}' };
const year: DoctypeParameter = { name: 'year', label: 'Year', example: '2024', pattern: '(19|20)[0-9]{2}' };
const both: Doctype['formats'] = ['pdf', 'xml'];
const cbse = (code: string, name: string) => ({ code, name, formats: both, parameters: [rollno, year], profileFields: ['FullName' as const] });
const edistrict = (code: string, name: string) => ({
  code,
  name,
  formats: ['pdf' as const],
  parameters: [
    { name: 'ApplicationNo', label: 'Application No', example: '2400000101', pattern: '[0-9]{6,16}' },
    { name: 'CertificateID', label: 'Certificate ID', example: 'INC24SBX0101', pattern: '[A-Za-z0-9\\/\\-]{4,30}' },
  ],
  profileFields: [],
});

export const SANDBOX_ISSUERS: SandboxIssuer[] = [
  {
    id: 'in.gov.uidai',
    name: 'Unique Identification Authority of India (UIDAI)',
    category: 'identity',
    scope: 'central',
    state: null,
    description: `eAadhaar, available once your locker is linked with Aadhaar (OTP to the Aadhaar-linked mobile). ${SANDBOX_NOTE}`,
    doctypes: [{ code: 'ADHAR', name: 'Aadhaar Card', formats: both, parameters: [], profileFields: ['UID', 'FullName', 'DOB'] }],
  },
  {
    id: 'in.gov.cbse',
    name: 'Central Board of Secondary Education',
    category: 'education',
    scope: 'central',
    state: 'Delhi',
    description: `Class X and XII marksheets, passing and migration certificates, by roll number and year. ${SANDBOX_NOTE}`,
    doctypes: [
      cbse('SSCER', 'Class X Marksheet'),
      cbse('SPCER', 'Class X / Matriculation Passing Certificate'),
      cbse('SSMGR', 'Class X Migration Certificate'),
      cbse('HSCER', 'Class XII Marksheet'),
      cbse('HPCER', 'Class XII Passing Certificate'),
      cbse('HSMGR', 'Class XII Migration Certificate'),
    ],
  },
  {
    id: 'in.gov.transport',
    name: 'Ministry of Road Transport and Highways',
    category: 'transport',
    scope: 'central',
    state: null,
    description: `Driving licences and vehicle registration certificates from the national register. ${SANDBOX_NOTE}`,
    doctypes: [
      { code: 'DRVLC', name: 'Driving License', formats: both, parameters: [{ name: 'dlno', label: 'Driving License No', example: 'UP7820109990001', pattern: '[A-Za-z0-9 \\-]{10,20}' }], profileFields: ['UID', 'FullName', 'DOB'] },
      {
        code: 'RVCER',
        name: 'Registration of Vehicles',
        formats: both,
        parameters: [
          { name: 'reg_no', label: 'Registration No', example: 'UP78ZZ9001', pattern: '[A-Za-z0-9 \\-]{6,13}' },
          { name: 'chasis_no', label: 'Chassis No (last 5 characters)', example: '12345', pattern: '[A-Za-z0-9]{5,17}' },
        ],
        profileFields: ['UID', 'FullName'],
      },
    ],
  },
  {
    id: 'in.gov.pan',
    name: 'Income Tax Department',
    category: 'identity',
    scope: 'central',
    state: null,
    description: `PAN verification records. ${SANDBOX_NOTE}`,
    doctypes: [
      {
        code: 'PANCR',
        name: 'PAN Verification Record',
        formats: both,
        parameters: [
          { name: 'panno', label: 'PAN No.', example: 'TSTPS0001A', pattern: '[A-Za-z]{5}[0-9]{4}[A-Za-z]' },
          { name: 'PANFullName', label: 'Name as in PAN Card', example: 'RAHUL SHARMA' },
        ],
        profileFields: ['UID', 'FullName', 'DOB', 'GENDER'],
      },
    ],
  },
  {
    id: 'in.gov.up.edistrict',
    name: 'eDistrict Uttar Pradesh',
    category: 'revenue',
    scope: 'state',
    state: 'Uttar Pradesh',
    description: `Income, caste and domicile certificates issued by the e-District portal. ${SANDBOX_NOTE}`,
    doctypes: [edistrict('INCER', 'Income Certificate'), edistrict('CTCER', 'Caste Certificate'), edistrict('DMCER', 'Domicile Certificate')],
  },
];

export const sandboxIssuer = (id: string) => SANDBOX_ISSUERS.find((i) => i.id === id);

const param = (m: PullUriRequestMessage, name: string) => m.params.find(([k]) => k === name)?.[1]?.trim() ?? '';
/** DD-MM-YYYY (as sent) → YYYY-MM-DD (as stored). */
const isoDob = (d: string | undefined) => {
  const m = /^(\d{2})[-/](\d{2})[-/](\d{4})$/.exec(d ?? '');
  return m ? `${m[3]}-${m[2]}-${m[1]}` : '';
};
const sameName = (a: string, b: string) => a.toUpperCase().replace(/[^A-Z]/g, '') === b.toUpperCase().replace(/[^A-Z]/g, '');

/** Finds the record a Pull URI request asks for, by the real issuer's rules; null = Status 0. */
export function findRecord(store: SandboxStore, issuerId: string, m: PullUriRequestMessage): StoredRecord | null {
  const one = (lookup: string) => store.find(issuerId, m.docType, lookup)[0] ?? null;
  switch (`${issuerId} ${m.docType}`) {
    case 'in.gov.uidai ADHAR':
      return m.uid ? one(m.uid.replace(/\s/g, '')) : null;
    case 'in.gov.transport DRVLC': {
      const r = one(normaliseId(param(m, 'dlno')));
      const person = r && store.person(r.personId);
      return r && person && person.dob === isoDob(m.dob) ? r : null;
    }
    case 'in.gov.transport RVCER': {
      const r = one(normaliseId(param(m, 'reg_no')));
      const tail = normaliseId(param(m, 'chasis_no'));
      return r && tail.length >= 5 && String(r.data.chassis).toUpperCase().endsWith(tail) ? r : null;
    }
    case 'in.gov.pan PANCR': {
      const r = one(normaliseId(param(m, 'panno')));
      const person = r && store.person(r.personId);
      return r && person && sameName(person.name, param(m, 'PANFullName')) ? r : null;
    }
    default:
      if (issuerId === 'in.gov.cbse') return one(`${param(m, 'rollno')}|${param(m, 'year')}`);
      if (issuerId === 'in.gov.up.edistrict') return one(`${param(m, 'ApplicationNo')}|${normaliseId(param(m, 'CertificateID'))}`);
      return null;
  }
}
