/**
 * A document as its issuer describes it: what its PDF shows, what its certificate XML
 * (DigiLocker "XML Certificate Formats") carries, and what its QR code vouches for. The
 * sandbox issuers build these from their records; the signing code (crypto/) renders,
 * signs and encodes them; the verifier reads them back.
 */
export type Gender = 'M' | 'F' | 'T';

export interface CertificateField {
  /** Stable machine name (goes into the QR payload and the XML), e.g. "rollNo", "result". */
  key: string;
  /** Human label in English, e.g. "Roll number". */
  label: string;
  /** Human label in Hindi, when the issuer provides one. */
  labelHi?: string;
  value: string;
  /** Whether the QR code vouches for this field (keep QR payloads small: key facts only). */
  inQr?: boolean;
}

export interface CertificateTable {
  caption: string;
  columns: string[];
  rows: string[][];
}

export interface CertificateDocument {
  /** `IssuerId-DocType-DocId`, e.g. `in.gov.cbse-HSCER-2024123456`. */
  uri: string;
  issuer: {
    id: string;
    name: string;
    nameHi?: string;
    /** Postal address line shown on the document. */
    address?: string;
  };
  /** DigiLocker's 5-letter document type code, e.g. HSCER, DRVLC. */
  doctype: string;
  /** Document title, e.g. "Class XII Marksheet". */
  title: string;
  titleHi?: string;
  /** The certificate number as the issuer prints it (often the DocId). */
  number: string;
  /** Issue date, YYYY-MM-DD. */
  issuedOn: string;
  validFrom?: string;
  validUntil?: string;
  /** DigiLocker certificate status: A = active. */
  status: 'A' | 'R' | 'S';
  holder: {
    name: string;
    nameHi?: string;
    /** YYYY-MM-DD */
    dob?: string;
    gender?: Gender;
    /** Parent/guardian name where the document type prints one. */
    guardianName?: string;
    address?: string;
    /** The same address in parts, where a format has fields for them (the eAadhaar `Poa`). */
    postalAddress?: { careOf?: string; line: string; district: string; state: string; pin: string };
    /** Last 4 digits of the holder's Aadhaar, when the document shows it masked. */
    uidLast4?: string;
    /** JPEG photo (UIDAI eKYC, driving licence). */
    photo?: Buffer;
  };
  /** Key facts shown on the document, in display order. */
  fields: CertificateField[];
  /** Tabular content (subjects and marks, vehicle classes…). */
  tables?: CertificateTable[];
  /** Marks the document as synthetic sandbox data, printed visibly on it. */
  sandbox?: boolean;
}

/** Parses `IssuerId-DocType-DocId` into parts. The issuer id may itself contain dashes, so the
 * caller should confirm `issuerId` against the registry (DESIGN.md: never by fixed offsets). */
export function splitDocumentUri(uri: string): { issuerId: string; doctype: string; docId: string } | null {
  const m = /^(.+?)-([A-Z0-9]{5})-(.+)$/.exec(uri);
  if (!m) return null;
  return { issuerId: m[1]!, doctype: m[2]!, docId: m[3]! };
}
