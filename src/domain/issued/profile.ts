/**
 * The citizen's profile as issuers see it: the Aadhaar-verified name, date of birth and
 * gender when Aadhaar is linked (as DigiLocker does), else what the citizen declared at
 * sign-up. Only the fields a document type opts into are sent (the client filters).
 */
import type { CitizenProfile } from '../../integrations/issuer-api/client.ts';
import type { IssuedDeps } from './deps.ts';
import { issuedErrors } from './errors.ts';

export interface CitizenFacts {
  profile: CitizenProfile;
  name: string;
  dob: string;
  verified: boolean;
}

export async function citizenFacts(deps: Pick<IssuedDeps, 'accounts' | 'aadhaar'>, accountId: string): Promise<CitizenFacts> {
  const [account, link] = await Promise.all([deps.accounts.findById(accountId), deps.aadhaar.get(accountId)]);
  if (!account) throw issuedErrors.notFound();
  if (link) {
    return {
      name: link.name,
      dob: link.dob,
      verified: true,
      profile: { fullName: link.name, dob: link.dob, gender: link.gender, ...(link.photo ? { photo: Buffer.from(link.photo, 'base64') } : {}) },
    };
  }
  return { name: account.name, dob: account.dob, verified: false, profile: { fullName: account.name, dob: account.dob, gender: account.gender } };
}

/** Letters only, upper case, words sorted: "Sharma, Asha" and "ASHA SHARMA" are the same holder. */
export function sameHolderName(a: string, b: string): boolean {
  const norm = (s: string) =>
    s
      .toUpperCase()
      .replace(/[^\p{L}\s]/gu, ' ')
      .split(/\s+/)
      .filter(Boolean)
      .sort()
      .join(' ');
  return norm(a) !== '' && norm(a) === norm(b);
}

/** DD-MM-YYYY (as issuers send it) → YYYY-MM-DD, or null. */
export function isoFromDmy(d: string | undefined): string | null {
  const m = /^(\d{2})[-/](\d{2})[-/](\d{4})$/.exec(d ?? '');
  return m ? `${m[3]}-${m[2]}-${m[1]}` : null;
}
