/**
 * Reads the signatures of a PDF the way a validator must: from the raw bytes, so that a
 * file too damaged for a PDF parser still gets an answer ("tampered", not "unreadable").
 * For each `/ByteRange`, it checks that the range is well-formed, whether it covers the
 * whole file (anything appended — an incremental update — is outside the signature), and
 * verifies the CMS (pkijs): the message digest against the signed bytes and the signer's
 * signature over the signed attributes.
 */
import crypto from 'node:crypto';
import * as pkijs from 'pkijs';
import { OID } from './pades.ts';

export interface PdfSignature {
  byteRange: [number, number, number, number];
  /** The signed ranges start at 0 and end at the end of the file, with only /Contents between. */
  coversWholeFile: boolean;
  subFilter: string | null;
  /** /M of the signature dictionary (the claimed signing time). */
  signingTime: Date | null;
  /** The CMS parsed; false when /Contents is not a SignedData. */
  parsed: boolean;
  digestMatches: boolean;
  signatureValid: boolean;
  /** DER of the signer's certificate, as found in the CMS. */
  signerCertificate: Buffer | null;
  /** Every certificate in the CMS, DER. */
  certificates: Buffer[];
  /** End offset of the signed revision (c + d). */
  revisionEnd: number;
  problem?: string;
}

const HASH_BY_OID: Record<string, string> = {
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

const ab = (b: Buffer): ArrayBuffer => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;

export async function readPdfSignatures(pdf: Buffer): Promise<PdfSignature[]> {
  const text = pdf.toString('latin1');
  const out: PdfSignature[] = [];
  for (const m of text.matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)) {
    const br = m.slice(1, 5).map(Number) as [number, number, number, number];
    out.push(await checkOne(pdf, text, br, m.index!));
  }
  return out;
}

function emptyResult(br: PdfSignature['byteRange'], problem: string): PdfSignature {
  return { byteRange: br, coversWholeFile: false, subFilter: null, signingTime: null, parsed: false, digestMatches: false, signatureValid: false, signerCertificate: null, certificates: [], revisionEnd: br[2] + br[3], problem };
}

async function checkOne(pdf: Buffer, text: string, br: PdfSignature['byteRange'], at: number): Promise<PdfSignature> {
  const [a, l1, c, l2] = br;
  if (a !== 0 || l1 <= 0 || c <= l1 + 1 || c + l2 > pdf.length || pdf[l1] !== 0x3c /* < */ || pdf[c - 1] !== 0x3e /* > */) {
    return emptyResult(br, 'the signature byte range does not match the file');
  }
  const dict = signatureDictionary(text, at, l1, c);
  const hex = pdf.subarray(l1 + 1, c - 1).toString('latin1').replace(/\s+/g, '');
  const base: PdfSignature = {
    ...emptyResult(br, ''),
    coversWholeFile: c + l2 === pdf.length,
    subFilter: /\/SubFilter\s*\/([A-Za-z0-9.#_-]+)/.exec(dict)?.[1] ?? null,
    signingTime: parsePdfDate(/\/M\s*\(([^)]*)\)/.exec(dict)?.[1]),
  };
  delete base.problem;
  if (!/^[0-9a-fA-F]*$/.test(hex) || hex.length % 2) return { ...base, problem: 'the signature contents are not hexadecimal' };
  const signed = Buffer.concat([pdf.subarray(0, l1), pdf.subarray(c, c + l2)]);
  let sd: pkijs.SignedData;
  try {
    const ci = pkijs.ContentInfo.fromBER(ab(stripPadding(Buffer.from(hex, 'hex'))));
    if (ci.contentType !== OID.signedData) return { ...base, problem: 'the signature is not a CMS SignedData' };
    sd = new pkijs.SignedData({ schema: ci.content });
  } catch {
    return { ...base, problem: 'the signature contents cannot be parsed' };
  }
  const certificates = (sd.certificates ?? []).filter((x): x is pkijs.Certificate => x instanceof pkijs.Certificate).map((x) => Buffer.from(x.toSchema().toBER(false)));
  const si = sd.signerInfos[0];
  if (!si || sd.signerInfos.length !== 1) return { ...base, parsed: true, certificates, problem: 'the signature must have exactly one signer' };
  const signerIndex = (sd.certificates ?? []).findIndex(
    (x) => x instanceof pkijs.Certificate && si.sid instanceof pkijs.IssuerAndSerialNumber && x.issuer.isEqual(si.sid.issuer) && x.serialNumber.isEqual(si.sid.serialNumber),
  );
  const signerCertificate = signerIndex >= 0 ? certificates[signerIndex] ?? null : null;
  const hashName = HASH_BY_OID[si.digestAlgorithm.algorithmId];
  const mdAttr = si.signedAttrs?.attributes.find((x) => x.type === OID.messageDigest);
  const claimed = mdAttr?.values[0]?.valueBlock?.valueHexView as Uint8Array | undefined;
  const digestMatches = Boolean(hashName && claimed && crypto.createHash(hashName).update(signed).digest().equals(Buffer.from(claimed)));
  let signatureValid = false;
  if (digestMatches && signerCertificate) {
    try {
      signatureValid = await sd.verify({ signer: 0, data: ab(signed), checkChain: false });
    } catch {
      signatureValid = false;
    }
  }
  return {
    ...base,
    parsed: true,
    digestMatches,
    signatureValid,
    signerCertificate,
    certificates,
    ...(signerCertificate ? {} : { problem: 'the signer certificate is not in the signature' }),
  };
}

/** The text of the object holding the signature dictionary, without the /Contents hex. */
function signatureDictionary(text: string, at: number, contentsStart: number, contentsEnd: number): string {
  const start = Math.max(text.lastIndexOf(' obj', Math.min(at, contentsStart)), 0);
  const end = text.indexOf('endobj', Math.max(at, contentsEnd));
  const from = Math.min(start, contentsStart);
  const to = end < 0 ? Math.min(text.length, Math.max(at, contentsEnd) + 4096) : end;
  return text.slice(from, contentsStart) + text.slice(contentsEnd, to);
}

/** DER ends where its outer length says; the placeholder's zero padding follows. */
function stripPadding(der: Buffer): Buffer {
  if (der.length < 2 || der[0] !== 0x30) return der;
  const first = der[1]!;
  if (first < 0x80) return der.subarray(0, 2 + first);
  const n = first & 0x7f;
  if (n === 0 || n > 4 || der.length < 2 + n) return der;
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + der[2 + i]!;
  return der.subarray(0, Math.min(der.length, 2 + n + len));
}

/** `D:YYYYMMDDHHmmSS+HH'mm'` → Date (null if absent or malformed). */
export function parsePdfDate(s: string | undefined): Date | null {
  if (!s) return null;
  const m = /^D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(Z|[+-]\d{2}'?\d{2}'?)?/.exec(s.trim());
  if (!m) return null;
  const [, y, mo = '01', d = '01', h = '00', mi = '00', se = '00', tz = 'Z'] = m;
  const offset = tz === 'Z' ? 'Z' : `${tz.slice(0, 3)}:${tz.replace(/'/g, '').slice(3, 5) || '00'}`;
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${se}${offset}`);
  return Number.isNaN(date.getTime()) ? null : date;
}
