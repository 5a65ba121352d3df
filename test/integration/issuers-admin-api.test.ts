/**
 * The operator's issuer API on both stacks: authentication, validation errors that name
 * the field, create/replace, keys never returned (only a hint) nor stored in clear,
 * disable/enable, and an issuer registered here being live at once.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loggerOptions } from '../../src/http/logging.ts';
import { describeEachStack, startTestApp } from '../support/app.ts';
import { buildIssuerBody } from '../support/issuers.ts';

const AUTH = { authorization: 'Bearer test-admin-token-0123456789' };

describeEachStack('admin issuer API', (get) => {
  const post = (payload: unknown, headers: Record<string, string> = AUTH) => get().app.inject({ method: 'POST', url: '/api/v1/admin/issuers', headers, payload: payload as object });

  it('refuses every call without the admin token (401), and the public API does not accept writes', async () => {
    const body = buildIssuerBody();
    for (const headers of [{}, { authorization: 'Bearer nope' }, { authorization: 'Basic dGVzdA==' }] as Array<Record<string, string>>) {
      expect((await post(body, headers)).statusCode).toBe(401);
      expect((await get().app.inject({ url: '/api/v1/admin/issuers', headers })).statusCode).toBe(401);
      expect((await get().app.inject({ method: 'POST', url: `/api/v1/admin/issuers/${String(body.id)}/disable`, headers })).statusCode).toBe(401);
    }
    expect((await get().app.inject({ method: 'POST', url: '/api/v1/issuers', payload: body })).statusCode).toBe(404);
    expect((await get().app.inject({ url: `/api/v1/issuers/${String(body.id)}` })).statusCode).toBe(404); // nothing was created
  });

  it('creates (201) and replaces (200); returns a key hint, never the key; keeps the key when an update omits it', async () => {
    const body = buildIssuerBody({ hmac_key: 'first-secret-key-ABCD-1111' });
    const created = await post(body);
    expect(created.statusCode).toBe(201);
    const c = created.json();
    expect(c).toMatchObject({ id: body.id, connected: true, status: 'active', source: 'admin', hmac_key_set: true, hmac_key_hint: '…1111', hmac_encoding: 'base64-hex', pull_uri_url: 'https://issuer.example/pulluri' });
    expect(created.body).not.toContain('first-secret-key');
    expect(c.doctypes[0]).toMatchObject({ code: 'HSCER', profile_fields: ['FullName'], parameters: [{ name: 'rollno', label: 'Roll No', example: '1100040', pattern: '[0-9]{7}' }] });

    const { hmac_key: _omit, ...withoutKey } = body;
    const updated = await post({ ...withoutKey, name: 'Renamed', hmac_encoding: 'base64-raw' });
    expect(updated.statusCode).toBe(200);
    expect(updated.json()).toMatchObject({ name: 'Renamed', hmac_key_set: true, hmac_key_hint: '…1111', hmac_encoding: 'base64-raw', created_at: c.created_at });

    const read = await get().app.inject({ url: `/api/v1/admin/issuers/${String(body.id)}`, headers: AUTH });
    expect(read.json()).toMatchObject({ id: body.id, name: 'Renamed', hmac_key_hint: '…1111' });
    expect(read.body).not.toContain('first-secret-key');
    const row = await get().sql.db.selectFrom('issuers').selectAll().where('id', '=', String(body.id)).executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain('first-secret-key');
  });

  it('validation errors are 400 with a stable code and a sentence naming the field', async () => {
    const cases: Array<[Record<string, unknown>, string, RegExp]> = [
      [{ id: 'Not An Id' }, 'invalid_issuer', /^id must be a reverse-domain issuer id/],
      [{ category: 'sports' }, 'invalid_request', /category/],
      [{ pull_doc_url: null }, 'invalid_issuer', /^pull_doc_url is required with the other endpoint/],
      [{ pull_uri_url: 'javascript:alert(1)' }, 'invalid_issuer', /^pull_uri_url must be an http or https URL/],
      [{ hmac_key: 'short' }, 'invalid_issuer', /^hmac_key must be a string of 16 to 256 characters/],
      [{ hmac_key: undefined }, 'invalid_issuer', /^hmac_key is required with endpoints/],
      [{ doctypes: [] }, 'invalid_request', /doctypes/],
      [{ doctypes: [{ code: 'TOOLONGCODE', name: 'x', parameters: [{ name: 'a', label: 'A' }] }] }, 'invalid_request', /doctypes\.0\.code/],
      [{ doctypes: [{ code: 'hscer', name: 'x', parameters: [{ name: 'a', label: 'A' }] }] }, 'invalid_issuer', /^doctypes\[0\]\.code must be DigiLocker's document type code/],
      [{ doctypes: [{ code: 'HSCER', name: 'x', parameters: [{ name: 'bad name', label: 'A' }] }] }, 'invalid_issuer', /^doctypes\[0\]\.parameters\[0\]\.name must be an XML element name/],
      [{ doctypes: [{ code: 'HSCER', name: 'x', parameters: [{ name: 'a', label: 'A', pattern: '(' }] }] }, 'invalid_issuer', /pattern is not a valid regular expression/],
      [{ doctypes: [{ code: 'HSCER', name: 'x', parameters: [{ name: 'a', label: 'A' }], unexpected: 1 }] }, 'invalid_request', /unknown field "unexpected"/],
      [{ surprise: true }, 'invalid_request', /unknown field "surprise"/],
    ];
    for (const [patch, code, message] of cases) {
      const res = await post(buildIssuerBody(patch));
      expect(res.statusCode, JSON.stringify(patch)).toBe(400);
      expect(res.json().error, JSON.stringify(patch)).toBe(code);
      expect(res.json().error_description, JSON.stringify(patch)).toMatch(message);
    }
    for (const raw of ['not json', '[]', '"x"', 'null']) {
      const res = await get().app.inject({ method: 'POST', url: '/api/v1/admin/issuers', headers: { ...AUTH, 'content-type': 'application/json' }, payload: raw });
      expect(res.statusCode, raw).toBe(400);
    }
  });

  it('lists registrations (disabled too), disables and enables; unknown ids are 404', async () => {
    const body = buildIssuerBody({ name: 'Listing Test Board' });
    await post(body);
    const id = String(body.id);
    const dis = await get().app.inject({ method: 'POST', url: `/api/v1/admin/issuers/${id}/disable`, headers: AUTH });
    expect(dis.json()).toEqual({ id, status: 'disabled' });
    const list = await get().app.inject({ url: '/api/v1/admin/issuers?q=listing%20test&status=disabled', headers: AUTH });
    expect(list.json().items).toEqual([expect.objectContaining({ id, status: 'disabled', source: 'admin', connected: false })]);
    expect((await get().app.inject({ url: `/api/v1/issuers/${id}` })).statusCode).toBe(404);
    await get().app.inject({ method: 'POST', url: `/api/v1/admin/issuers/${id}/enable`, headers: AUTH });
    expect((await get().app.inject({ url: `/api/v1/issuers/${id}` })).json()).toMatchObject({ id, connected: true });
    expect((await get().app.inject({ method: 'POST', url: '/api/v1/admin/issuers/in.gov.nobody/disable', headers: AUTH })).statusCode).toBe(404);
    expect((await get().app.inject({ url: '/api/v1/admin/issuers/in.gov.nobody', headers: AUTH })).statusCode).toBe(404);
  });

  it('an issuer registered through the API is in the public directory at once', async () => {
    const body = buildIssuerBody({ name: 'Instant Board', category: 'health', doctypes: [{ code: 'LABRP', name: 'Lab report', parameters: [{ name: 'RefNo', label: 'Reference No', values: ['A1', 'B2'] }] }] });
    await post(body);
    const r = await get().app.inject({ url: `/api/v1/issuers/${String(body.id)}/doctypes` });
    expect(r.json()).toEqual({ issuer_id: body.id, connected: true, doctypes: [{ code: 'LABRP', name: 'Lab report', formats: ['pdf'], parameters: [{ name: 'RefNo', label: 'Reference No', values: [{ value: 'A1', label: 'A1' }, { value: 'B2', label: 'B2' }] }], profile_fields: [] }] });
  });
});

describe('admin issuer API logging', () => {
  it('never writes the HMAC key to the log, whatever happens to the request', async () => {
    const lines: string[] = [];
    const stream = new Writable({ write: (chunk, _enc, done) => void (lines.push(String(chunk)), done()) });
    const t = await startTestApp({ build: { logger: { ...(loggerOptions({ logLevel: 'trace', nodeEnv: 'test' }) as object), stream } } });
    try {
      const key = 'logging-probe-secret-key-0123';
      const body = buildIssuerBody({ hmac_key: key });
      const send = (payload: unknown, headers = AUTH) => t.app.inject({ method: 'POST', url: '/api/v1/admin/issuers', headers, payload: payload as object });
      expect((await send(body)).statusCode).toBe(201);
      expect((await send({ ...body, pull_uri_url: 'ftp://x' })).statusCode).toBe(400);
      expect((await send({ ...body, hmac_key: key + 'x'.repeat(300) })).statusCode).toBe(400);
      expect((await send(body, { authorization: 'Bearer wrong' })).statusCode).toBe(401);
      expect(lines.length).toBeGreaterThan(3);
      expect(lines.join('\n')).not.toContain('logging-probe-secret');
    } finally {
      await t.close();
    }
  });
});

