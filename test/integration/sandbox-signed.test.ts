/**
 * The sandbox issuers sign what they issue: a document pulled from the sandbox through the
 * Issuer API is a signed PDF (and signed XML) that the locker's verify API accepts as
 * valid, and the issuer serves the same bytes every time it is asked.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { signingRenderer } from '../../src/compose/sandbox-renderer.ts';
import { issuerEndpoint } from '../../src/domain/issuers/issuer-endpoint.ts';
import { resolveDocumentUri } from '../../src/domain/issuers/resolve-document-uri.ts';
import { createIssuerApiClient } from '../../src/integrations/issuer-api/client.ts';
import { issuerServices } from '../../src/wiring/issuers.ts';
import { describeEachStack } from '../support/app.ts';
import { registerSandboxIssuers, startTestSandbox, type TestSandbox } from '../support/sandbox.ts';
import { verifyFile } from '../support/verification.ts';

describeEachStack('sandbox issuers sign their documents', (get) => {
  let sandbox: TestSandbox;
  const client = () => createIssuerApiClient({ clock: get().deps.clock, settings: { retries: 0, timeoutMs: 20_000, backoffBaseMs: 5 } });

  beforeAll(async () => {
    sandbox = await startTestSandbox({ renderer: signingRenderer(get().deps) });
    await registerSandboxIssuers(get().deps, sandbox);
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  it('a pulled CBSE marksheet is a signed PDF and XML that verify as valid, served identically twice', async () => {
    const services = issuerServices(get().deps);
    const endpoint = await issuerEndpoint(services, 'in.gov.cbse', 'HSCER');
    const doctype = (await services.issuers.doctype('in.gov.cbse', 'HSCER'))!;
    const pulled = await client().pullUri(endpoint, {
      doctype,
      digilockerId: crypto.randomUUID(),
      params: { rollno: '2410001', year: '2024' },
      profile: { fullName: 'Asha Verma', dob: '2006-03-14' },
      format: 'both',
    });
    expect(pulled.status).toBe('issued');
    if (pulled.status !== 'issued') return;
    expect(pulled.doc?.subarray(0, 5).toString()).toBe('%PDF-');

    const pdfCheck = await verifyFile(get().app, pulled.doc!);
    expect(pdfCheck.body).toMatchObject({ status: 'valid', issuer_id: 'in.gov.cbse' });
    const xmlCheck = await verifyFile(get().app, pulled.data!);
    expect(xmlCheck.body.status).toBe('valid');

    const r = await resolveDocumentUri(services, pulled.uri);
    const again = await client().pullDoc(await issuerEndpoint(services, r.issuer.id, r.doctype.code), pulled.uri, 'pdf', { digilockerId: crypto.randomUUID() });
    expect(again.doc?.equals(pulled.doc!)).toBe(true);
  }, 120_000);
});
