/**
 * The certificate XML (DigiLocker "XML Certificate Formats", DIGILOCKER-APIS.md §9) of a
 * `CertificateDocument`: `Certificate` root with its attributes, `IssuedBy/Organization`,
 * `IssuedTo/Person` and a `CertificateData` block. `CertificateData` starts with the
 * element DigiLocker's format for the document family defines — academic (`School`,
 * `Examination`, `Performance/Subjects`), `DrivingLicense`, `VehicleRegistration`,
 * `PANVerificationRecord`, and for the eAadhaar UIDAI's `KycRes/UidData` (`Poi`, `Poa`,
 * `Pht`) — so clients written for DigiLocker find their data where they look for it;
 * then every field (`Fields/Field@key`) and table, for types without a family format and
 * for claim checks by field name. Built with fast-xml-parser's builder, which escapes
 * every value.
 */
import crypto from 'node:crypto';
import { XMLBuilder } from 'fast-xml-parser';
import type { CertificateDocument } from '../domain/documents/certificate.ts';

/** DigiLocker writes dates as DD-MM-YYYY. */
export function digilockerDate(iso: string | undefined): string | undefined {
  if (!iso) return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[3]}-${m[2]}-${m[1]}` : iso;
}

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@', suppressEmptyNode: true, suppressBooleanAttributes: false, format: false });
// The same, keeping empty attributes (UIDAI writes every address part, empty or not).
const kycBuilder = builder;

function attrs(o: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined && v !== '') out[`@${k}`] = v;
  return out;
}

const ACADEMIC = new Set(['SSCER', 'HSCER', 'SPCER', 'HPCER', 'SSMGR', 'HSMGR']);

/** The family-format element(s) of `CertificateData`, or nothing for types without one. */
function familyData(doc: CertificateDocument): Record<string, unknown> {
  const v = (key: string) => doc.fields.find((f) => f.key === key)?.value;
  const table = doc.tables?.[0];
  if (ACADEMIC.has(doc.doctype)) {
    return {
      School: attrs({ name: v('school'), code: v('schoolCode') }),
      Examination: attrs({ name: v('examination'), month: v('examMonth'), year: v('examYear') }),
      Performance: {
        ...attrs({ result: v('result'), marksTotal: v('totalMarks') }),
        ...(table ? { Subjects: { Subject: table.rows.map((r) => attrs({ code: r[0], name: r[1], marksTheory: r[2], marksPractical: r[3], marksTotal: r[4], grade: r[5] })) } } : {}),
      },
    };
  }
  if (doc.doctype === 'DRVLC') {
    return {
      DrivingLicense: {
        ...attrs({ number: v('dlNumber'), issueDate: v('issueDate'), expiryDate: v('validTill'), issuingAuthority: v('rto'), bloodGroup: v('bloodGroup') }),
        ...(table ? { Categories: { Category: table.rows.map((r) => attrs({ abbreviation: r[0], issueDate: r[1] })) } } : {}),
      },
    };
  }
  if (doc.doctype === 'RVCER') {
    return { VehicleRegistration: attrs({ number: v('regNo'), registrationDate: v('regDate'), chassisNumber: v('chassisNo'), engineNumber: v('engineNo'), maker: v('maker'), model: v('model'), class: v('vehicleClass'), fuelType: v('fuel'), colour: v('colour'), registeringAuthority: v('rto'), ownerSerial: v('ownerSerial') }) };
  }
  if (doc.doctype === 'PANCR') return { PANVerificationRecord: attrs({ num: v('pan'), nameOnCard: v('panName'), verifiedOn: v('verifiedOn') }) };
  if (doc.doctype === 'ADHAR') {
    // UIDAI's e-KYC answer (the spec's EaadharXamlSchema): KycRes@ret,code,ts,ttl,txn with
    // Rar (here: base64 of the UidData it vouches for), UidData@uid,tkn with Poi
    // (DD-MM-YYYY), Poa in parts (every part present, empty when unknown, as UIDAI writes
    // them), LData (the local-language name, Hindi: lang 06), Pht (photo) and Prn (the
    // printable letter's slot). The whole certificate carries the issuer's XML signature;
    // with `signKycRes`, KycRes also carries UIDAI's own, as UIDAI's answer does (see certificateXml).
    const h = doc.holder;
    const pa = h.postalAddress;
    const parts = pa ? pa.line.split(',').map((x) => x.trim()).filter(Boolean) : [];
    const uidData = {
      '@uid': h.uidLast4 ? `xxxxxxxx${h.uidLast4}` : '',
      '@tkn': crypto.createHash('sha256').update(`tkn:${doc.uri}`).digest('hex').slice(0, 32),
      Poi: attrs({ name: h.name, dob: digilockerDate(h.dob), gender: h.gender }),
      Poa: pa
        ? { '@co': pa.careOf ?? '', '@house': parts[0] ?? pa.line, '@street': parts.length > 2 ? parts.slice(1, -1).join(', ') : '', '@lm': '', '@loc': parts.length > 1 ? parts[parts.length - 1]! : '', '@vtc': pa.district, '@subdist': '', '@dist': pa.district, '@state': pa.state, '@country': 'India', '@pc': pa.pin, '@po': '' }
        : { '@co': '', '@house': '', '@lm': '', '@loc': '', '@vtc': '', '@dist': '', '@state': '', '@country': 'India', '@pc': '' },
      LData: h.nameHi ? { '@lang': '06', '@name': h.nameHi } : { '@lang': '' },
      ...(h.photo ? { Pht: h.photo.toString('base64') } : {}),
      Prn: { '@type': 'pdf' },
    };
    const ts = `${doc.issuedOn}T00:00:00.000+05:30`;
    const ttl = `${doc.validUntil ?? `${Number(doc.issuedOn.slice(0, 4)) + 1}${doc.issuedOn.slice(4)}`}T00:00:00.000+05:30`;
    return {
      KycRes: {
        ...attrs({ ret: 'Y', code: doc.number, ts, ttl, txn: `UKC:${doc.number}` }),
        Rar: Buffer.from(kycBuilder.build({ UidData: uidData })).toString('base64'),
        UidData: uidData,
      },
    };
  }
  return {};
}

export interface CertificateXmlOptions {
  /**
   * Signs the eAadhaar's `KycRes` as a document of its own (root `KycRes`, an enveloped
   * signature over `URI=""`), as UIDAI signs its e-KYC answer: a client that takes KycRes out
   * of the certificate can check UIDAI's signature on it alone. Returns the signed XML.
   */
  signKycRes?: (kycResXml: string) => string;
}

const KYCRES_SLOT = 'OpenLockerSignedKycResSlot';

export function certificateXml(doc: CertificateDocument, options: CertificateXmlOptions = {}): string {
  let family = familyData(doc);
  let signedKycRes: string | null = null;
  if (options.signKycRes && family.KycRes) {
    signedKycRes = options.signKycRes(builder.build({ KycRes: family.KycRes }) as string).replace(/^<\?xml[^>]*\?>\s*/, '');
    family = { [KYCRES_SLOT]: '' };
  }
  const tree = {
    Certificate: {
      ...attrs({
        language: '99',
        name: doc.title,
        type: doc.doctype,
        number: doc.number,
        uri: doc.uri,
        issueDate: digilockerDate(doc.issuedOn),
        validFromDate: digilockerDate(doc.validFrom ?? doc.issuedOn),
        validUptoDate: digilockerDate(doc.validUntil),
        status: doc.status,
        sandbox: doc.sandbox ? 'true' : undefined,
      }),
      IssuedBy: {
        Organization: {
          ...attrs({ name: doc.issuer.name, nameHindi: doc.issuer.nameHi, code: doc.issuer.id }),
          ...(doc.issuer.address ? { Address: attrs({ type: 'office', line1: doc.issuer.address, country: 'IN' }) } : {}),
        },
      },
      IssuedTo: {
        Person: {
          ...attrs({
            uid: doc.holder.uidLast4 ? `XXXXXXXX${doc.holder.uidLast4}` : undefined,
            name: doc.holder.name,
            nameHindi: doc.holder.nameHi,
            dob: digilockerDate(doc.holder.dob),
            gender: doc.holder.gender,
            swd: doc.holder.guardianName,
          }),
          ...(doc.holder.address ? { Address: attrs({ type: 'permanent', line1: doc.holder.address, country: 'IN' }) } : {}),
          ...(doc.holder.photo ? { Photo: { '@format': 'jpeg', '#text': doc.holder.photo.toString('base64') } } : {}),
        },
      },
      CertificateData: {
        ...family,
        Fields: { Field: doc.fields.map((f) => attrs({ key: f.key, label: f.label, labelHindi: f.labelHi, value: f.value })) },
        ...(doc.tables?.length
          ? {
              Tables: {
                Table: doc.tables.map((t) => ({
                  '@caption': t.caption,
                  Columns: { Column: t.columns },
                  Row: t.rows.map((r) => ({ Cell: r })),
                })),
              },
            }
          : {}),
      },
    },
  };
  const xml = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>${builder.build(tree) as string}`;
  // The signed KycRes goes in as the signer wrote it (re-serialising could change its bytes).
  return signedKycRes === null ? xml : xml.replace(`<${KYCRES_SLOT}/>`, () => signedKycRes);
}
