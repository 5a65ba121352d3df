/**
 * Synthetic sample documents for the sandbox issuers, one builder per document type:
 * clearly marked `sandbox: true` (printed on the PDF), invented people (some with Hindi
 * names), invented numbers. Used by `openlocker sandbox issue`, tests and benchmarks; the
 * sandbox issuers app can point its catalogue here.
 */
import crypto from 'node:crypto';
import type { CertificateDocument, CertificateField } from '../../domain/documents/certificate.ts';

export interface SandboxIssuer {
  id: string;
  name: string;
  nameHi: string;
  address: string;
  doctypes: Record<string, { title: string; titleHi: string }>;
}

export const SANDBOX_ISSUERS: SandboxIssuer[] = [
  { id: 'in.gov.uidai', name: 'Unique Identification Authority of India', nameHi: 'भारतीय विशिष्ट पहचान प्राधिकरण', address: 'Bangla Sahib Road, New Delhi 110001', doctypes: { ADHAR: { title: 'Aadhaar Card (eAadhaar)', titleHi: 'आधार कार्ड' } } },
  {
    id: 'in.gov.cbse', name: 'Central Board of Secondary Education', nameHi: 'केन्द्रीय माध्यमिक शिक्षा बोर्ड', address: 'Shiksha Kendra, Preet Vihar, Delhi 110092',
    doctypes: {
      SSCER: { title: 'Class X Marksheet', titleHi: 'कक्षा 10 अंकपत्र' },
      HSCER: { title: 'Class XII Marksheet', titleHi: 'कक्षा 12 अंकपत्र' },
      SPCER: { title: 'Class X Passing Certificate', titleHi: 'कक्षा 10 उत्तीर्ण प्रमाणपत्र' },
      HPCER: { title: 'Class XII Passing Certificate', titleHi: 'कक्षा 12 उत्तीर्ण प्रमाणपत्र' },
      SSMGR: { title: 'Class X Migration Certificate', titleHi: 'कक्षा 10 प्रवास प्रमाणपत्र' },
      HSMGR: { title: 'Class XII Migration Certificate', titleHi: 'कक्षा 12 प्रवास प्रमाणपत्र' },
    },
  },
  {
    id: 'in.gov.transport', name: 'Ministry of Road Transport and Highways', nameHi: 'सड़क परिवहन और राजमार्ग मंत्रालय', address: 'Transport Bhawan, 1 Parliament Street, New Delhi 110001',
    doctypes: { DRVLC: { title: 'Driving Licence', titleHi: 'ड्राइविंग लाइसेंस' }, RVCER: { title: 'Registration of Vehicle', titleHi: 'वाहन पंजीकरण प्रमाणपत्र' } },
  },
  { id: 'in.gov.pan', name: 'Income Tax Department', nameHi: 'आयकर विभाग', address: 'Civic Centre, Minto Road, New Delhi 110002', doctypes: { PANCR: { title: 'PAN Verification Record', titleHi: 'पैन सत्यापन अभिलेख' } } },
  {
    id: 'in.gov.up.edistrict', name: 'e-District Uttar Pradesh', nameHi: 'ई-डिस्ट्रिक्ट उत्तर प्रदेश', address: 'Lal Bahadur Shastri Bhawan, Lucknow 226001',
    doctypes: {
      INCER: { title: 'Income Certificate', titleHi: 'आय प्रमाणपत्र' },
      CTCER: { title: 'Caste Certificate', titleHi: 'जाति प्रमाणपत्र' },
      DMCER: { title: 'Domicile Certificate', titleHi: 'निवास प्रमाणपत्र' },
    },
  },
];

const PEOPLE = [
  { name: 'Ananya Sharma', nameHi: 'अनन्या शर्मा', gender: 'F' as const, guardian: 'Rajesh Sharma' },
  { name: 'Rohan Verma', nameHi: 'रोहन वर्मा', gender: 'M' as const, guardian: 'Sunita Verma' },
  { name: 'Priya Iyer', gender: 'F' as const, guardian: 'Venkat Iyer' },
  { name: 'Kiran Yadav', nameHi: 'किरण यादव', gender: 'M' as const, guardian: 'Shanti Devi' },
];

const SUBJECTS = [
  ['301', 'English Core'], ['041', 'Mathematics'], ['042', 'Physics'], ['043', 'Chemistry'], ['083', 'Computer Science'], ['002', 'Hindi'],
] as const;

export function findSandboxIssuer(issuerId: string): SandboxIssuer | undefined {
  return SANDBOX_ISSUERS.find((i) => i.id === issuerId);
}

export interface SampleOptions {
  /** Picks the person and numbers; the same seed gives the same document. */
  seed?: string;
  /** Issue date (default today). */
  issuedOn?: string;
}

/** A synthetic document of `doctype` from sandbox issuer `issuerId`; throws for unknown pairs. */
export function sampleDocument(issuerId: string, doctype: string, opts: SampleOptions = {}): CertificateDocument {
  const issuer = findSandboxIssuer(issuerId);
  const type = issuer?.doctypes[doctype];
  if (!issuer || !type) throw new Error(`no sandbox document type ${doctype} at issuer ${issuerId}`);
  const h = crypto.createHash('sha256').update(opts.seed ?? crypto.randomUUID()).digest();
  const n = (i: number, digits: number) => String(h.readUInt32BE(i) % 10 ** digits).padStart(digits, '0');
  const person = PEOPLE[h[0]! % PEOPLE.length]!;
  const issuedOn = opts.issuedOn ?? new Date().toISOString().slice(0, 10);
  const year = issuedOn.slice(0, 4);
  const docId = `${year}${n(4, 6)}`;
  const dob = `${Number(year) - 17 - (h[1]! % 20)}-${String(1 + (h[2]! % 12)).padStart(2, '0')}-${String(1 + (h[3]! % 28)).padStart(2, '0')}`;
  const f = (key: string, label: string, value: string, inQr = false, labelHi?: string): CertificateField => ({ key, label, value, inQr, ...(labelHi ? { labelHi } : {}) });
  const base: CertificateDocument = {
    uri: `${issuer.id}-${doctype}-${docId}`,
    issuer: { id: issuer.id, name: issuer.name, nameHi: issuer.nameHi, address: issuer.address },
    doctype,
    title: type.title,
    titleHi: type.titleHi,
    number: docId,
    issuedOn,
    status: 'A',
    holder: { name: person.name, ...(person.nameHi ? { nameHi: person.nameHi } : {}), dob, gender: person.gender, guardianName: person.guardian },
    fields: [],
    sandbox: true,
  };
  switch (doctype) {
    case 'ADHAR':
      return { ...base, holder: { ...base.holder, uidLast4: n(8, 4), address: `House ${n(12, 3)}, Sector ${1 + (h[4]! % 60)}, Noida, Uttar Pradesh 201301` }, fields: [f('uidLast4', 'Aadhaar (last 4 digits)', n(8, 4), true), f('dob', 'Date of birth', dob, true, 'जन्म तिथि'), f('gender', 'Gender', person.gender, true)] };
    case 'SSCER':
    case 'HSCER': {
      const marks = SUBJECTS.slice(0, 5).map(([code, name], i) => [code, name, String(60 + (h[10 + i]! % 40))]);
      const total = marks.reduce((s, m) => s + Number(m[2]), 0);
      return {
        ...base,
        fields: [f('rollNo', 'Roll number', n(16, 8), true, 'अनुक्रमांक'), f('year', 'Examination year', year, true), f('school', 'School', `Kendriya Vidyalaya No. ${1 + (h[5]! % 9)}, Delhi`), f('result', 'Result', 'PASS', true, 'परिणाम'), f('total', 'Total marks', `${total} / 500`)],
        tables: [{ caption: 'Subjects and marks', columns: ['Code', 'Subject', 'Marks (100)'], rows: marks }],
      };
    }
    case 'SPCER':
    case 'HPCER':
    case 'SSMGR':
    case 'HSMGR':
      return { ...base, fields: [f('rollNo', 'Roll number', n(16, 8), true, 'अनुक्रमांक'), f('year', 'Examination year', year, true), f('school', 'School', `Sarvodaya Vidyalaya, Delhi`), f('result', 'Result', 'PASS', true)] };
    case 'DRVLC':
      return {
        ...base,
        validUntil: `${Number(year) + 20}${issuedOn.slice(4)}`,
        fields: [f('dlNumber', 'Licence number', `UP14 ${year}${n(20, 7)}`, true), f('validUntil', 'Valid until (non-transport)', `${Number(year) + 20}${issuedOn.slice(4)}`, true), f('bloodGroup', 'Blood group', ['A+', 'B+', 'O+', 'AB+'][h[6]! % 4]!)],
        tables: [{ caption: 'Authorised classes of vehicle', columns: ['Class', 'Issued on'], rows: [['MCWG', issuedOn], ['LMV', issuedOn]] }],
      };
    case 'RVCER':
      return { ...base, fields: [f('regNumber', 'Registration number', `UP16 ${String.fromCharCode(65 + (h[7]! % 26))}${String.fromCharCode(65 + (h[8]! % 26))} ${n(24, 4)}`, true), f('chassis', 'Chassis number', `MA3${n(20, 7)}${n(24, 7)}`, true), f('model', 'Maker and model', 'Maruti Suzuki Swift VXI'), f('fuel', 'Fuel', 'PETROL')] };
    case 'PANCR':
      return { ...base, fields: [f('pan', 'PAN', `${'ABCDE'.slice(0, 3)}P${person.name[0]}${n(24, 4)}${String.fromCharCode(65 + (h[9]! % 26))}`, true), f('verifiedOn', 'Verified on', issuedOn, true)] };
    case 'INCER':
      return { ...base, validUntil: `${Number(year) + 1}${issuedOn.slice(4)}`, fields: [f('annualIncome', 'Annual family income (INR)', String(100000 + h.readUInt16BE(10) * 5), true, 'वार्षिक आय'), f('tehsil', 'Tehsil', 'Sadar, Lucknow', true), f('applicationNo', 'Application number', n(28, 10))] };
    case 'CTCER':
      return { ...base, fields: [f('category', 'Category', 'OBC', true, 'श्रेणी'), f('caste', 'Caste', 'Yadav', true, 'जाति'), f('tehsil', 'Tehsil', 'Sadar, Lucknow', true)] };
    case 'DMCER':
      return { ...base, fields: [f('residentSince', 'Resident since', String(Number(year) - 15), true), f('district', 'District', 'Lucknow', true, 'जिला'), f('tehsil', 'Tehsil', 'Sadar', false)] };
    default:
      throw new Error(`no sample builder for ${doctype}`);
  }
}
