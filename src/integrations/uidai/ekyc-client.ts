/**
 * Client for the (sandbox) UIDAI eKYC API (src/sandbox/ekyc-routes.ts): request an OTP to
 * the Aadhaar-linked mobile, then verify it to get the resident's verified details and
 * their eAadhaar URI. Requests are signed like Issuer API calls (`x-digilocker-hmac` over
 * the body with the UIDAI key) and answers are accepted only with a valid signature.
 * Errors keep the API's codes, as AppErrors a citizen can read.
 */
import { AppError } from '../../domain/errors.ts';
import { HMAC_HEADER, issuerHmac, verifyIssuerHmac } from '../../crypto/issuer-hmac.ts';

export interface EkycClientOptions {
  /** e.g. http://127.0.0.1:3001/uidai/ekyc */
  baseUrl: string;
  hmacKey: Buffer | string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export interface EkycOtp {
  txn: string;
  maskedMobile: string;
  expiresIn: number;
}

export interface EkycResult {
  uidLast4: string;
  name: string;
  nameHi: string | null;
  /** YYYY-MM-DD */
  dob: string;
  gender: 'M' | 'F' | 'T';
  careOf: string | null;
  address: { line: string; district: string; state: string; pin: string };
  maskedMobile: string;
  /** The Aadhaar-linked mobile (10 digits), when UIDAI returns it. */
  mobile: string | null;
  /** JPEG */
  photo: Buffer;
  eaadhaarUri: string;
}

export interface EkycClient {
  requestOtp(uid: string): Promise<EkycOtp>;
  verifyOtp(txn: string, otp: string): Promise<EkycResult>;
}

const KIND_BY_STATUS: Record<number, AppError['kind']> = { 400: 'invalid', 401: 'unavailable', 404: 'not_found', 410: 'gone', 429: 'rate_limited' };

export function createEkycClient(options: EkycClientOptions): EkycClient {
  const doFetch = options.fetch ?? fetch;
  const base = options.baseUrl.replace(/\/+$/, '');

  async function call(path: string, payload: Record<string, unknown>): Promise<Record<string, unknown>> {
    const body = JSON.stringify(payload);
    let res: Response;
    let text: string;
    try {
      res = await doFetch(`${base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [HMAC_HEADER]: issuerHmac(body, options.hmacKey, 'base64-raw') },
        body,
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
        redirect: 'error',
      });
      text = await res.text();
    } catch {
      throw new AppError('unavailable', 'uidai_unavailable', 'Aadhaar verification is not reachable right now. Please try again in a few minutes.');
    }
    if (!verifyIssuerHmac(text, options.hmacKey, res.headers.get(HMAC_HEADER) ?? undefined)) {
      throw new AppError('upstream', 'uidai_unavailable', 'Aadhaar verification sent an answer we could not authenticate. Please try again later.');
    }
    const json = JSON.parse(text) as Record<string, unknown>;
    if (res.status === 200) return json;
    const kind = KIND_BY_STATUS[res.status] ?? 'upstream';
    const { error, error_description, ...details } = json;
    throw new AppError(kind, String(error ?? 'uidai_error'), String(error_description ?? 'Aadhaar verification failed.'), Object.keys(details).length ? details : undefined);
  }

  return {
    async requestOtp(uid) {
      const r = await call('/otp', { uid });
      return { txn: String(r.txn), maskedMobile: String(r.masked_mobile), expiresIn: Number(r.expires_in) };
    },
    async verifyOtp(txn, otp) {
      const r = await call('/verify', { txn, otp });
      return {
        uidLast4: String(r.uid_last4),
        name: String(r.name),
        nameHi: r.name_hi ? String(r.name_hi) : null,
        dob: String(r.dob),
        gender: r.gender as EkycResult['gender'],
        careOf: r.care_of ? String(r.care_of) : null,
        address: r.address as EkycResult['address'],
        maskedMobile: String(r.masked_mobile),
        mobile: typeof r.mobile === 'string' ? r.mobile : null,
        photo: Buffer.from(String(r.photo ?? ''), 'base64'),
        eaadhaarUri: String(r.eaadhaar_uri),
      };
    },
  };
}
