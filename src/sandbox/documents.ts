/**
 * Sandbox records → `CertificateDocument` (src/domain/documents/certificate.ts), the model
 * the renderer (and later the signing code) turns into a PDF, certificate XML and QR code.
 * Field keys follow DigiLocker's certificate XML attribute names where one exists
 * (rollNo, result, dlNumber, …) so the XML renderer can place them.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { CertificateDocument, CertificateField, CertificateTable } from '../domain/documents/certificate.ts';
import { sandboxIssuer } from './issuers.ts';
import type { SandboxPerson } from './seed/people.ts';
import type { CbseResult, DrivingLicence, EdistrictCertificate, Subject, Vehicle } from './seed/records.ts';
import type { StoredRecord } from './store.ts';
import { RESOURCES_DIR } from '../paths.ts';

const PHOTOS = path.join(RESOURCES_DIR, 'sandbox');
const photoCache = new Map<number, Buffer>();
export function sandboxPhoto(n: number): Buffer {
  let p = photoCache.get(n);
  if (!p) {
    p = fs.readFileSync(path.join(PHOTOS, `photo-${n}.jpg`));
    photoCache.set(n, p);
  }
  return p;
}

const ADDRESSES: Record<string, string> = {
  'in.gov.uidai': 'UIDAI Headquarters, Bangla Sahib Road, New Delhi 110001',
  'in.gov.cbse': 'Shiksha Kendra, 2 Community Centre, Preet Vihar, Delhi 110092',
  'in.gov.transport': 'Transport Bhawan, 1 Parliament Street, New Delhi 110001',
  'in.gov.pan': 'Income Tax Department, North Block, New Delhi 110001',
  'in.gov.up.edistrict': 'e-District, Government of Uttar Pradesh, Lucknow 226001',
};

const TITLES: Record<string, string> = {
  SSCER: 'Secondary School Examination (Class X) — Marksheet',
  HSCER: 'Senior School Certificate Examination (Class XII) — Marksheet',
  SPCER: 'Secondary School Examination (Class X) — Passing Certificate',
  HPCER: 'Senior School Certificate Examination (Class XII) — Passing Certificate',
  SSMGR: 'Class X — Migration Certificate',
  HSMGR: 'Class XII — Migration Certificate',
  DRVLC: 'Driving Licence',
  RVCER: 'Certificate of Registration (Vehicle RC)',
  PANCR: 'PAN Verification Record',
  INCER: 'Income Certificate',
  CTCER: 'Caste Certificate',
  DMCER: 'Domicile Certificate',
  ADHAR: 'Aadhaar (eAadhaar)',
};
const TITLES_HI: Record<string, string> = {
  SSCER: 'माध्यमिक विद्यालय परीक्षा (कक्षा 10) — अंकपत्र',
  HSCER: 'वरिष्ठ विद्यालय प्रमाणपत्र परीक्षा (कक्षा 12) — अंकपत्र',
  SPCER: 'कक्षा 10 — उत्तीर्ण प्रमाणपत्र',
  HPCER: 'कक्षा 12 — उत्तीर्ण प्रमाणपत्र',
  SSMGR: 'कक्षा 10 — प्रवास प्रमाणपत्र',
  HSMGR: 'कक्षा 12 — प्रवास प्रमाणपत्र',
  DRVLC: 'ड्राइविंग लाइसेंस',
  RVCER: 'वाहन पंजीकरण प्रमाणपत्र',
  PANCR: 'पैन सत्यापन अभिलेख',
  INCER: 'आय प्रमाणपत्र',
  CTCER: 'जाति प्रमाणपत्र',
  DMCER: 'निवास प्रमाणपत्र',
  ADHAR: 'आधार (ई-आधार)',
};

const f = (key: string, label: string, value: string | number, inQr = false): CertificateField => ({ key, label, value: String(value), ...(inQr ? { inQr } : {}) });
const addressText = (p: SandboxPerson) => `${p.address.line}, ${p.address.district}, ${p.address.state} ${p.address.pin}`;
const dmy = (iso: string) => iso.split('-').reverse().join('-');

function grade(total: number): string {
  for (const [min, g] of [[91, 'A1'], [81, 'A2'], [71, 'B1'], [61, 'B2'], [51, 'C1'], [41, 'C2'], [33, 'D']] as const) if (total >= min) return g;
  return 'E';
}

function academic(r: StoredRecord, p: SandboxPerson): { fields: CertificateField[]; tables: CertificateTable[] } {
  const res = r.data as unknown as CbseResult;
  const subjects = res.subjects as Subject[];
  const total = subjects.reduce((n, s) => n + s.theory + s.practical, 0);
  const fields = [
    f('rollNo', 'Roll No', res.rollNo, true),
    f('examination', 'Examination', res.cls === 'X' ? 'Secondary School Examination' : 'Senior School Certificate Examination'),
    f('examYear', 'Year', res.year, true),
    f('examMonth', 'Month', 'MARCH'),
    f('school', 'School', `${res.school.name} (${res.school.code})`),
    f('schoolCode', 'School code', res.school.code),
    f('motherName', "Mother's name", p.motherName),
    f('fatherName', "Father's / Guardian's name", p.fatherName),
  ];
  if (r.doctype === 'HSCER' || r.doctype === 'SSCER') {
    fields.push(f('totalMarks', 'Total marks', `${total} / ${subjects.length * 100}`), f('result', 'Result', 'PASS', true));
    return {
      fields,
      tables: [
        {
          caption: 'Subjects and marks',
          columns: ['Code', 'Subject', 'Theory', 'Practical / IA', 'Total', 'Grade'],
          rows: subjects.map((s) => [s.code, s.name, String(s.theory), String(s.practical), String(s.theory + s.practical), grade(s.theory + s.practical)]),
        },
      ],
    };
  }
  if (r.doctype.endsWith('MGR')) {
    fields.push(f('result', 'Result', 'PASS', true), f('remarks', 'Remarks', 'The Board has no objection to the candidate joining any recognised institution.'));
  } else {
    fields.push(f('result', 'Result', 'PASS', true), f('remarks', 'Remarks', 'Has passed the examination as a regular candidate.'));
  }
  return { fields, tables: [] };
}

function details(r: StoredRecord, p: SandboxPerson): { fields: CertificateField[]; tables: CertificateTable[]; validUntil?: string; photo?: boolean } {
  switch (r.doctype) {
    case 'DRVLC': {
      const dl = r.data as unknown as DrivingLicence;
      return {
        photo: true,
        validUntil: dl.validTill,
        fields: [f('dlNumber', 'Licence number', dl.dlno, true), f('issueDate', 'Date of issue', dmy(dl.issuedOn)), f('validTill', 'Valid till (non-transport)', dmy(dl.validTill), true), f('rto', 'Issuing authority', dl.rto), f('bloodGroup', 'Blood group', dl.bloodGroup), f('address', 'Address', addressText(p))],
        tables: [{ caption: 'Authorised to drive', columns: ['Class of vehicle', 'Issued on'], rows: dl.classes.map(([c, d]) => [c, dmy(d)]) }],
      };
    }
    case 'RVCER': {
      const v = r.data as unknown as Vehicle;
      return {
        fields: [
          f('regNo', 'Registration number', v.regNo, true),
          f('regDate', 'Date of registration', dmy(v.regDate)),
          f('chassisNo', 'Chassis number', v.chassis.slice(0, -5).replace(/./g, 'X') + v.chassis.slice(-5), true),
          f('engineNo', 'Engine number', v.engine.slice(0, -4).replace(/./g, 'X') + v.engine.slice(-4)),
          f('maker', 'Maker', v.maker),
          f('model', 'Model', v.model),
          f('vehicleClass', 'Vehicle class', v.vehicleClass),
          f('fuel', 'Fuel', v.fuel),
          f('colour', 'Colour', v.colour),
          f('rto', 'Registering authority', v.rto),
          f('ownerSerial', 'Owner serial', 1),
          f('address', 'Address', addressText(p)),
        ],
        tables: [],
      };
    }
    case 'PANCR':
      return {
        fields: [f('pan', 'Permanent Account Number', String(r.data.pan), true), f('panName', 'Name as in PAN', p.name.toUpperCase(), true), f('fatherName', "Father's name", p.fatherName.toUpperCase()), f('verifiedOn', 'Verified on', dmy(r.issuedOn))],
        tables: [],
      };
    case 'INCER':
    case 'CTCER':
    case 'DMCER': {
      const c = r.data as unknown as EdistrictCertificate;
      const fields = [f('certificateId', 'Certificate ID', c.certificateId, true), f('applicationNo', 'Application No', c.applicationNo), f('fatherName', "Father's / Husband's name", p.fatherName), f('address', 'Address', addressText(p)), f('tehsil', 'Tehsil', c.tehsil), f('district', 'District', c.district)];
      if (r.doctype === 'INCER') fields.push(f('annualIncome', 'Annual family income (₹)', c.income!.toLocaleString('en-IN'), true), f('purpose', 'Purpose', c.purpose ?? ''));
      if (r.doctype === 'CTCER') fields.push(f('category', 'Category', c.category ?? '', true), f('caste', 'Caste', c.caste ?? ''));
      if (r.doctype === 'DMCER') fields.push(f('residingSince', 'Resident of Uttar Pradesh since', c.residingSince ?? '', true));
      return { fields, tables: [], validUntil: r.doctype === 'INCER' ? `${Number(r.issuedOn.slice(0, 4)) + 3}${r.issuedOn.slice(4)}` : undefined };
    }
    case 'ADHAR':
      return {
        photo: true,
        fields: [f('maskedUid', 'Aadhaar number', `XXXX XXXX ${p.aadhaar!.slice(-4)}`, true), f('address', 'Address', addressText(p)), f('mobile', 'Mobile', `XXXXXX${p.mobile.slice(-4)}`)],
        tables: [],
      };
    default:
      return academic(r, p);
  }
}

/** The document a record describes, marked as sandbox data. */
export function toCertificateDocument(r: StoredRecord, p: SandboxPerson): CertificateDocument {
  const issuer = sandboxIssuer(r.issuerId);
  const d = details(r, p);
  return {
    uri: `${r.issuerId}-${r.doctype}-${r.docId}`,
    issuer: { id: r.issuerId, name: issuer?.name ?? r.issuerId, ...(ADDRESSES[r.issuerId] ? { address: ADDRESSES[r.issuerId] } : {}) },
    doctype: r.doctype,
    title: TITLES[r.doctype] ?? r.doctype,
    ...(TITLES_HI[r.doctype] ? { titleHi: TITLES_HI[r.doctype] } : {}),
    number: r.docId,
    issuedOn: r.issuedOn,
    ...(d.validUntil ? { validUntil: d.validUntil } : {}),
    status: 'A',
    holder: {
      name: p.name,
      nameHi: p.nameHi,
      dob: p.dob,
      gender: p.gender,
      guardianName: p.fatherName,
      address: addressText(p),
      postalAddress: { careOf: `${p.gender === 'F' ? 'D/O' : 'S/O'} ${p.fatherName}`, ...p.address },
      ...(p.aadhaar ? { uidLast4: p.aadhaar.slice(-4) } : {}),
      ...(d.photo ? { photo: sandboxPhoto(p.photo) } : {}),
    },
    fields: d.fields,
    ...(d.tables.length ? { tables: d.tables } : {}),
    sandbox: true,
  };
}
