/**
 * A real client written for DigiLocker, unmodified: the npm package `digilocker-sdk` 0.1.4.
 * Its origin is hard-coded, so the test wraps `globalThis.fetch` to send its calls to the
 * locker on loopback (and rewrites the login URL it builds the same way). Its quirks:
 * no `scope` (the partner's approved scopes apply), an unencoded redirect_uri, Basic
 * credentials in base64url, a JSON token body, and a non-RFC PKCE challenge
 * (base64url(hex(SHA-256(verifier))), 23-character verifier) — accepted only for partners an
 * admin switched `pkce_compat: hex-s256` on for (src/oauth/pkce-compat.ts says why that is
 * safe enough and what it weakens). Its `fetchIssuedFiles` calls 2/files/issued and gets
 * the documents the citizen ticked (from a test issued source).
 */
import { DigiLockerFunctions } from 'digilocker-sdk';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { signUpCitizen } from '../support/citizen.ts';
import { testIssuedSource, useTestSources, type TestIssuedSource } from '../support/document-sources.ts';
import { authorizeInBrowser, createPartner, startOAuthApp } from '../support/partners.ts';
import type { TestApp } from '../support/app.ts';

const DIGILOCKER = 'https://digilocker.meripehchaan.gov.in';

describe('digilocker-sdk 0.1.4 against the locker', () => {
  let s: { t: TestApp; base: string; issuer: string };
  const realFetch = globalThis.fetch;
  const seen: Array<{ url: string; auth: string | null; type: string | null }> = [];
  let issued: TestIssuedSource;
  let uri = '';

  beforeAll(async () => {
    s = await startOAuthApp();
    issued = testIssuedSource(s.t.deps);
    useTestSources(s.t.deps, issued);
    globalThis.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = String(input instanceof Request ? input.url : input);
      const headers = new Headers(init?.headers);
      seen.push({ url, auth: headers.get('authorization'), type: headers.get('content-type') });
      return realFetch(url.startsWith(DIGILOCKER) ? s.base + url.slice(DIGILOCKER.length) : url, init);
    }) as typeof fetch;
  });
  afterAll(async () => {
    globalThis.fetch = realFetch;
    await s?.t.close();
  });

  async function run(pkceCompat?: string) {
    const partner = await createPartner(s.t.app, { scopes: ['userdetails', 'files.issueddocs'], ...(pkceCompat ? { pkceCompat } : {}) });
    const citizen = await signUpCitizen(s.t.app, s.t.deps);
    uri = issued.add(citizen.accountId, { doctype: 'HSCER', title: 'Class XII Marksheet', holderName: citizen.name });
    const sdk = new DigiLockerFunctions({ clientId: partner.clientId, clientSecret: partner.clientSecret, callbackURL: partner.redirectUri });
    const loginUrl = sdk.generateLoginUrl();
    expect(loginUrl.startsWith(`${DIGILOCKER}/public/oauth2/1/authorize?`)).toBe(true);
    const { location, consentPage } = await authorizeInBrowser(s.t.app, s.t.deps, s.base + loginUrl.slice(DIGILOCKER.length), citizen);
    if (!location.startsWith('http')) throw new Error(`not back at the partner: ${location} ${loginUrl}`);
    const back = new URL(location);
    expect(back.searchParams.get('state')).toBe('test');
    // The SDK prints its request headers (with the Basic credentials) to stdout; keep them out of the test output.
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      await sdk.exchangeCodeForToken(back.searchParams.get('code')!);
    } finally {
      log.mockRestore();
    }
    return { sdk, partner, consentPage };
  }

  it('signs a citizen in and gets a token through the SDK (partner with pkce_compat: hex-s256)', async () => {
    const { sdk, consentPage } = await run('hex-s256');
    // No scope in the SDK's URL: the partner's approved scopes were asked for.
    expect(consentPage).toContain('The issued documents you tick below');
    const token = seen.find((r) => r.url.endsWith('/public/oauth2/1/token'))!;
    expect(token.type).toBe('application/json');
    expect(token.auth).toMatch(/^Basic /);
    const accessToken = (sdk as unknown as { accessToken: string }).accessToken;
    expect(accessToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const user = await realFetch(`${s.base}/public/oauth2/1/user`, { headers: { authorization: `Bearer ${accessToken}` } });
    expect(user.status).toBe(200);
    // 2/files/issued in DigiLocker's format, as the SDK reads it.
    const files = (await sdk.fetchIssuedFiles()) as { items: Array<{ uri: string; doctype: string; mime: string[] }> };
    expect(files.items).toEqual([expect.objectContaining({ uri, doctype: 'HSCER', mime: ['application/pdf', 'application/xml'] })]);
  });

  it('without the opt-in, its PKCE is refused (RFC 7636 S256 only)', async () => {
    await expect(run()).rejects.toThrow(/Failed to exchange code for token/);
  });
});
