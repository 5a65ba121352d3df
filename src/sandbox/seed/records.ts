/**
 * The sandbox issuers' records: CBSE results, driving licences, vehicle registrations,
 * PAN records, e-District certificates and eAadhaar, each tied to a synthetic person and
 * findable the way the real issuer finds it (`lookup`). A few records simulate trouble for
 * demos: a result that is pending twice before it is available, one that answers slowly,
 * one whose issuer fails with HTTP 500.
 */
import crypto from 'node:crypto';
import { DEMO_PEOPLE, generatedStudents, prng, type SandboxPerson } from './people.ts';

export type Behaviour = 'pending' | 'slow' | 'error';

export interface SandboxRecord {
  issuerId: string;
  doctype: string;
  docId: string;
  personId: string;
  /** The normalised search key the issuer's Pull URI finder looks up. */
  lookup: string;
  /** YYYY-MM-DD */
  issuedOn: string;
  data: Record<string, unknown>;
  behaviour?: Behaviour;
}

export interface Subject {
  code: string;
  name: string;
  theory: number;
  practical: number;
}

export interface CbseResult {
  cls: 'X' | 'XII';
  year: number;
  rollNo: string;
  school: { name: string; code: string };
  subjects: Subject[];
  behaviour?: Behaviour;
}

const SCHOOLS = [
  { name: 'Sandbox Public School, Lucknow', code: '70001' },
  { name: 'Demo Vidyalaya, Dwarka, New Delhi', code: '70002' },
  { name: 'Test Convent School, Pune', code: '70003' },
];

const X_SUBJECTS = [['184', 'English Language and Literature'], ['002', 'Hindi Course A'], ['041', 'Mathematics Standard'], ['086', 'Science'], ['087', 'Social Science']] as const;
const XII_SCIENCE = [['301', 'English Core'], ['041', 'Mathematics'], ['042', 'Physics'], ['043', 'Chemistry'], ['083', 'Computer Science']] as const;
const XII_COMMERCE = [['301', 'English Core'], ['030', 'Economics'], ['054', 'Business Studies'], ['055', 'Accountancy'], ['041', 'Mathematics']] as const;

function marks(rand: () => number, list: ReadonlyArray<readonly [string, string]>): Subject[] {
  return list.map(([code, name]) => ({ code, name, theory: 48 + Math.floor(rand() * 32), practical: 15 + Math.floor(rand() * 6) }));
}

export const CBSE_DOCTYPES = { X: ['SSCER', 'SPCER', 'SSMGR'], XII: ['HSCER', 'HPCER', 'HSMGR'] } as const;

/** Demo CBSE results (see README); rolls 2499001/2299002/2199003 are the failure demos. */
function demoResults(rand: () => number): Array<[string, CbseResult]> {
  return [
    ['asha', { cls: 'X', year: 2022, rollNo: '2210001', school: SCHOOLS[0]!, subjects: marks(rand, X_SUBJECTS) }],
    ['asha', { cls: 'XII', year: 2024, rollNo: '2410001', school: SCHOOLS[0]!, subjects: marks(rand, XII_SCIENCE) }],
    ['gurpreet', { cls: 'X', year: 2023, rollNo: '2310002', school: SCHOOLS[1]!, subjects: marks(rand, X_SUBJECTS) }],
    ['arjun', { cls: 'X', year: 2021, rollNo: '2110003', school: SCHOOLS[2]!, subjects: marks(rand, X_SUBJECTS) }],
    ['arjun', { cls: 'XII', year: 2023, rollNo: '2310003', school: SCHOOLS[2]!, subjects: marks(rand, XII_COMMERCE) }],
    ['kavya', { cls: 'X', year: 2022, rollNo: '2210010', school: SCHOOLS[2]!, subjects: marks(rand, X_SUBJECTS) }],
    ['kavya', { cls: 'XII', year: 2024, rollNo: '2410010', school: SCHOOLS[2]!, subjects: marks(rand, XII_SCIENCE) }],
    ['deepak', { cls: 'XII', year: 2024, rollNo: '2499001', school: SCHOOLS[0]!, subjects: marks(rand, XII_COMMERCE), behaviour: 'pending' }],
    ['deepak', { cls: 'X', year: 2022, rollNo: '2299002', school: SCHOOLS[0]!, subjects: marks(rand, X_SUBJECTS), behaviour: 'slow' }],
    ['deepak', { cls: 'X', year: 2021, rollNo: '2199003', school: SCHOOLS[0]!, subjects: marks(rand, X_SUBJECTS), behaviour: 'error' }],
  ];
}

/** Class XII 2024 results of the generated students (rolls 2410101…). */
function studentResults(rand: () => number, students: SandboxPerson[]): Array<[string, CbseResult]> {
  return students.map((s, i) => [
    s.id,
    { cls: 'XII', year: 2024, rollNo: String(2410101 + i), school: SCHOOLS[i % SCHOOLS.length]!, subjects: marks(rand, i % 2 ? XII_COMMERCE : XII_SCIENCE) },
  ]);
}

const normaliseId = (s: string) => s.toUpperCase().replace(/[\s-]/g, '');

export interface DrivingLicence { dlno: string; issuedOn: string; validTill: string; rto: string; classes: Array<[string, string]>; bloodGroup: string }
export interface Vehicle { regNo: string; chassis: string; engine: string; maker: string; model: string; fuel: string; colour: string; regDate: string; rto: string; vehicleClass: string }

const LICENCES: Array<[string, DrivingLicence]> = [
  ['rahul', { dlno: 'UP7820109990001', issuedOn: '2010-09-01', validTill: '2030-07-21', rto: 'RTO Kanpur', classes: [['MCWG', '2010-09-01'], ['LMV', '2010-09-01']], bloodGroup: 'B+' }],
  ['priya', { dlno: 'UP3220159990002', issuedOn: '2015-12-10', validTill: '2035-11-01', rto: 'RTO Lucknow', classes: [['LMV', '2015-12-10']], bloodGroup: 'O+' }],
  ['irfan', { dlno: 'DL0920089990003', issuedOn: '2008-03-15', validTill: '2028-01-29', rto: 'Zonal Office Dwarka', classes: [['MCWG', '2008-03-15'], ['LMV', '2008-03-15']], bloodGroup: 'A+' }],
  ['lakshmi', { dlno: 'MH1220019990004', issuedOn: '2001-06-20', validTill: '2029-05-08', rto: 'RTO Pune', classes: [['LMV', '2001-06-20']], bloodGroup: 'AB+' }],
  ['arjun', { dlno: 'MH1220249990005', issuedOn: '2024-01-15', validTill: '2044-11-30', rto: 'RTO Pune', classes: [['MCWG', '2024-01-15'], ['LMV', '2024-01-15']], bloodGroup: 'O-' }],
];

const VEHICLES: Array<[string, Vehicle]> = [
  ['rahul', { regNo: 'UP78ZZ9001', chassis: 'MA3ESBXZZ9K012345', engine: 'K12MSBX9001', maker: 'Maruti Suzuki India Ltd', model: 'Swift VXI', fuel: 'Petrol', colour: 'Pearl White', regDate: '2018-04-12', rto: 'RTO Kanpur', vehicleClass: 'Motor Car (LMV)' }],
  ['irfan', { regNo: 'DL9CZZ9002', chassis: 'ME4SBXZZ9L054321', engine: 'JF50SBX9002', maker: 'Honda Motorcycle and Scooter India', model: 'Activa 6G', fuel: 'Petrol', colour: 'Matte Grey', regDate: '2020-08-03', rto: 'Zonal Office Dwarka', vehicleClass: 'Motor Cycle/Scooter (2WN)' }],
  ['irfan', { regNo: 'DL3CZZ9003', chassis: 'MALSBXZZ9M067890', engine: 'D4FCSBX9003', maker: 'Hyundai Motor India Ltd', model: 'i20 Asta', fuel: 'Diesel', colour: 'Fiery Red', regDate: '2021-02-19', rto: 'Zonal Office Sheikh Sarai', vehicleClass: 'Motor Car (LMV)' }],
  ['lakshmi', { regNo: 'MH12ZZ9004', chassis: 'MAKSBXZZ9N024680', engine: 'EVSBX9004', maker: 'Tata Motors Ltd', model: 'Nexon EV', fuel: 'Electric (BOV)', colour: 'Teal Blue', regDate: '2022-10-27', rto: 'RTO Pune', vehicleClass: 'Motor Car (LMV)' }],
];

const PANS: Array<[string, string]> = [['rahul', 'TSTPS0001A'], ['priya', 'TSTPS0002B'], ['irfan', 'TSTPI0003C'], ['lakshmi', 'TSTPI0004D'], ['sunita', 'TSTPD0005E']];

export interface EdistrictCertificate { applicationNo: string; certificateId: string; tehsil: string; district: string; income?: number; category?: string; caste?: string; residingSince?: string; purpose?: string }

const EDISTRICT: Array<[string, string, EdistrictCertificate]> = [
  ['sunita', 'INCER', { applicationNo: '2400000101', certificateId: 'INC24SBX0101', tehsil: 'Kanpur Sadar', district: 'Kanpur Nagar', income: 96_000, purpose: 'Scholarship application' }],
  ['sunita', 'CTCER', { applicationNo: '2400000102', certificateId: 'CST24SBX0102', tehsil: 'Kanpur Sadar', district: 'Kanpur Nagar', category: 'Other Backward Class (OBC)', caste: 'Sandbox caste A' }],
  ['sunita', 'DMCER', { applicationNo: '2400000103', certificateId: 'DOM24SBX0103', tehsil: 'Kanpur Sadar', district: 'Kanpur Nagar', residingSince: '1995' }],
  ['rahul', 'INCER', { applicationNo: '2400000201', certificateId: 'INC24SBX0201', tehsil: 'Kanpur Sadar', district: 'Kanpur Nagar', income: 480_000, purpose: 'Education loan' }],
  ['priya', 'CTCER', { applicationNo: '2400000301', certificateId: 'CST24SBX0301', tehsil: 'Lucknow Sadar', district: 'Lucknow', category: 'Scheduled Caste (SC)', caste: 'Sandbox caste B' }],
  ['priya', 'DMCER', { applicationNo: '2400000302', certificateId: 'DOM24SBX0302', tehsil: 'Lucknow Sadar', district: 'Lucknow', residingSince: '1995' }],
];

/** eAadhaar's DocId: a digest of the Aadhaar number (the URI never shows the number). */
export function eaadhaarDocId(aadhaar: string): string {
  return crypto.createHash('sha256').update(`openlocker-sandbox-eaadhaar:${aadhaar}`).digest('hex').slice(0, 32);
}

export interface SandboxDataset {
  people: SandboxPerson[];
  records: SandboxRecord[];
  /** Generated students the board pre-provisions (ids from `people`). */
  studentIds: string[];
}

/** Builds the whole sandbox dataset from the fixed seed. */
export function buildDataset(): SandboxDataset {
  const rand = prng(4);
  const students = generatedStudents();
  const people = [...DEMO_PEOPLE, ...students];
  const records: SandboxRecord[] = [];
  for (const [personId, r] of [...demoResults(rand), ...studentResults(rand, students)]) {
    const issuedOn = `${r.year}-05-${r.cls === 'X' ? '12' : '13'}`;
    for (const doctype of CBSE_DOCTYPES[r.cls]) {
      records.push({ issuerId: 'in.gov.cbse', doctype, docId: `${r.year}${r.rollNo}`, personId, lookup: `${r.rollNo}|${r.year}`, issuedOn, data: { ...r }, ...(r.behaviour ? { behaviour: r.behaviour } : {}) });
    }
  }
  for (const [personId, dl] of LICENCES) {
    records.push({ issuerId: 'in.gov.transport', doctype: 'DRVLC', docId: dl.dlno, personId, lookup: normaliseId(dl.dlno), issuedOn: dl.issuedOn, data: { ...dl } });
  }
  for (const [personId, v] of VEHICLES) {
    records.push({ issuerId: 'in.gov.transport', doctype: 'RVCER', docId: v.regNo, personId, lookup: normaliseId(v.regNo), issuedOn: v.regDate, data: { ...v } });
  }
  for (const [personId, pan] of PANS) {
    records.push({ issuerId: 'in.gov.pan', doctype: 'PANCR', docId: pan, personId, lookup: pan, issuedOn: '2024-01-15', data: { pan } });
  }
  for (const [personId, doctype, c] of EDISTRICT) {
    records.push({ issuerId: 'in.gov.up.edistrict', doctype, docId: c.certificateId, personId, lookup: `${c.applicationNo}|${normaliseId(c.certificateId)}`, issuedOn: '2024-02-20', data: { ...c } });
  }
  for (const p of people) {
    if (!p.aadhaar) continue;
    records.push({ issuerId: 'in.gov.uidai', doctype: 'ADHAR', docId: eaadhaarDocId(p.aadhaar), personId: p.id, lookup: p.aadhaar, issuedOn: '2024-01-01', data: {} });
  }
  return { people, records, studentIds: students.map((s) => s.id) };
}

export { normaliseId };
