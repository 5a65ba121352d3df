/**
 * DigiLocker certificate XML ("DigiLocker XML Certificate Formats", DIGILOCKER-APIS.md §9)
 * for a CertificateDocument, without the XMLDSig signature (the signing renderer adds it).
 * Root `Certificate` with `IssuedBy/Organization`, `IssuedTo/Person` and a
 * `CertificateData` shaped by the document family: academic (School, Examination,
 * Performance/Subjects), driving licence, vehicle registration, PAN verification record,
 * and a plain list of fields for the rest.
 */
import type { CertificateDocument } from '../../domain/documents/certificate.ts';
import { xmlEscape } from '../../integrations/issuer-api/wire.ts';

const dmy = (iso: string | undefined) => (iso ? iso.split('-').reverse().join('-') : '');
const a = (attrs: Record<string, string | undefined>) =>
  Object.entries(attrs)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${xmlEscape(v!)}"`)
    .join('');

function certificateData(doc: CertificateDocument): string {
  const v = (key: string) => doc.fields.find((f) => f.key === key)?.value;
  const table = doc.tables?.[0];
  if (['SSCER', 'HSCER', 'SPCER', 'HPCER', 'SSMGR', 'HSMGR'].includes(doc.doctype)) {
    const subjects = table
      ? `<Subjects>${table.rows.map((r) => `<Subject${a({ code: r[0], name: r[1], marksTheory: r[2], marksPractical: r[3], marksTotal: r[4], grade: r[5] })}/>`).join('')}</Subjects>`
      : '';
    return (
      `<School${a({ name: v('school'), code: v('schoolCode') })}/>` +
      `<Examination${a({ name: v('examination'), month: v('examMonth'), year: v('examYear') })}/>` +
      `<Performance${a({ result: v('result'), marksTotal: v('totalMarks') })}>${subjects}</Performance>`
    );
  }
  if (doc.doctype === 'DRVLC') {
    const cats = table ? `<Categories>${table.rows.map((r) => `<Category${a({ abbreviation: r[0], issueDate: r[1] })}/>`).join('')}</Categories>` : '';
    return `<DrivingLicense${a({ number: v('dlNumber'), issueDate: v('issueDate'), expiryDate: v('validTill'), issuingAuthority: v('rto'), bloodGroup: v('bloodGroup') })}>${cats}</DrivingLicense>`;
  }
  if (doc.doctype === 'RVCER') {
    return `<VehicleRegistration${a({ number: v('regNo'), registrationDate: v('regDate'), chassisNumber: v('chassisNo'), engineNumber: v('engineNo'), maker: v('maker'), model: v('model'), class: v('vehicleClass'), fuelType: v('fuel'), colour: v('colour'), registeringAuthority: v('rto'), ownerSerial: v('ownerSerial') })}/>`;
  }
  if (doc.doctype === 'PANCR') {
    return `<PANVerificationRecord${a({ num: v('pan'), nameOnCard: v('panName'), verifiedOn: v('verifiedOn') })}/>`;
  }
  return `<Fields>${doc.fields.map((f) => `<Field${a({ key: f.key, label: f.label, value: f.value })}/>`).join('')}</Fields>`;
}

export function certificateXml(doc: CertificateDocument): string {
  const h = doc.holder;
  const photo = h.photo ? `<Photo format="jpeg">${h.photo.toString('base64')}</Photo>` : '';
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
    `<Certificate${a({ language: '99', name: doc.title, type: doc.doctype, number: doc.number, issuedAt: doc.issuer.address, issueDate: dmy(doc.issuedOn), validFromDate: dmy(doc.validFrom ?? doc.issuedOn), expiryDate: doc.validUntil ? dmy(doc.validUntil) : undefined, status: doc.status })}>` +
    `<IssuedBy><Organization${a({ name: doc.issuer.name, code: doc.issuer.id, type: 'CG' })}>${doc.issuer.address ? `<Address${a({ line1: doc.issuer.address, country: 'IN' })}/>` : ''}</Organization></IssuedBy>` +
    `<IssuedTo><Person${a({ uid: h.uidLast4 ? `XXXXXXXX${h.uidLast4}` : undefined, name: h.name, dob: dmy(h.dob), gender: h.gender, swd: h.guardianName, swdIndicator: h.guardianName ? 'S' : undefined })}>` +
    `${h.address ? `<Address${a({ line1: h.address, country: 'IN' })}/>` : ''}${photo}</Person></IssuedTo>` +
    `<CertificateData${a({ sandbox: doc.sandbox ? 'true' : undefined })}>${certificateData(doc)}</CertificateData>` +
    '</Certificate>'
  );
}
