/**
 * The partner file APIs and verify never put tokens, codes or document contents in the
 * log: the whole flow runs with the access log captured at trace level, then every secret
 * (client secret, access and refresh tokens, a value from the document) is searched for.
 */
import { expect, it } from 'vitest';
import { traceLogger } from '../support/log-capture.ts';
import { signUpCitizen } from '../support/citizen.ts';
import { testIssuedSource, testUploadedSource, useTestSources } from '../support/document-sources.ts';
import { connect, createPartner, startOAuthApp } from '../support/partners.ts';

it('never logs tokens, secrets or document contents from the file APIs and verify', async () => {
  const { lines, logger } = traceLogger();
  const s = await startOAuthApp({ build: { logger } as never });
  const secrets: string[] = [];
  try {
    const issued = testIssuedSource(s.t.deps);
    const uploaded = testUploadedSource(s.t.deps);
    useTestSources(s.t.deps, issued, uploaded);
    const citizen = await signUpCitizen(s.t.app, s.t.deps);
    const uri = issued.add(citizen.accountId, { doctype: 'HSCER', holderName: 'Zenobia Quillfeather', dob: '1990-08-15' });
    const up = await uploaded.file(citizen.accountId, 'note.pdf', Buffer.from('%PDF confidential-upload-text'));
    const partner = await createPartner(s.t.app, { scopes: ['openid', 'files.issueddocs', 'files.uploadeddocs'], doctypes: ['HSCER'] });
    secrets.push(partner.clientSecret, 'Zenobia', 'confidential-upload-text');
    const tk = await connect(s, partner, citizen, { scope: 'openid files.issueddocs files.uploadeddocs' });
    secrets.push(tk.access_token, tk.refresh_token!);
    const auth = { authorization: `Bearer ${tk.access_token}` };
    for (const path of ['2/files/issued', '1/files/issued', '1/files/', `1/file/${uri}`, `1/xml/${uri}`, `1/file/${up}`, '2/xml/eaadhaar', '1/file/unknown-uri']) {
      expect((await fetch(`${s.issuer}/${path}`, { headers: auth })).status).toBeLessThan(500);
    }
    const v = await fetch(`${s.base}/api/v1/partner/verify`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ uri, fields: { name: 'Zenobia Quillfeather' } }) });
    expect(v.status).toBe(200);
    await fetch(`${s.issuer}/1/file/${uri}?access_token=${tk.access_token}`);
  } finally {
    await s.t.close();
  }
  const log = lines.join('');
  expect(log).toContain('/public/oauth2/2/files/issued');
  expect(log).toContain('/api/v1/partner/verify');
  for (const secret of secrets) expect(log.includes(secret), `a secret (${secret.slice(0, 4)}…) is in the log`).toBe(false);
});
