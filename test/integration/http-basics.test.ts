/**
 * The HTTP contract every module relies on: health and readiness, the error shape, request
 * ids, security headers, OpenAPI, the web shell in both languages, and rate limits.
 */
import fs from 'node:fs';
import { Type } from 'typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/domain/errors.ts';
import { MODULES, type AppModule } from '../../src/modules.ts';
import { SECTIONS } from '../../src/web/shell/layout.ts';
import { describeEachStack, startTestApp, type TestApp } from '../support/app.ts';
import { signUpCitizen } from '../support/citizen.ts';
import { WebClient } from '../support/web-client.ts';

describeEachStack('HTTP basics', (get) => {
  it('/healthz is up and /readyz checks the database and the blob store', async () => {
    const h = await get().app.inject('/healthz');
    expect(h.statusCode).toBe(200);
    expect(h.json()).toEqual({ status: 'ok' });
    const r = await get().app.inject('/readyz');
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ status: 'ready', checks: { database: { status: 'ok' }, blobs: { status: 'ok' } } });
  });

  it('answers unknown routes with the JSON error shape', async () => {
    const res = await get().app.inject('/api/v1/nothing-here');
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.json()).toEqual({ error: 'not_found', error_description: 'There is nothing at GET /api/v1/nothing-here.' });
  });

  it('shows browsers an HTML error page, escaping the address', async () => {
    const res = await get().app.inject({ url: '/<script>alert(1)</script>', headers: { accept: 'text/html' } });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.body).toContain('Page not found');
    expect(res.body).not.toContain('<script>alert(1)</script>');
  });

  it('gives every response a request id, reusing a well-formed incoming one', async () => {
    const a = await get().app.inject('/healthz');
    expect(a.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const b = await get().app.inject({ url: '/healthz', headers: { 'x-request-id': 'trace-12345678' } });
    expect(b.headers['x-request-id']).toBe('trace-12345678');
    const c = await get().app.inject({ url: '/healthz', headers: { 'x-request-id': 'bad id with spaces\n' } });
    expect(c.headers['x-request-id']).not.toContain(' ');
  });

  it('sends security headers: CSP without inline scripts, nosniff, no framing by others', async () => {
    const res = await get().app.inject('/');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['strict-transport-security']).toBeUndefined();
  });

  it('describes the API in OpenAPI and renders /docs', async () => {
    const spec = (await get().app.inject('/openapi.json')).json();
    expect(spec.openapi).toBe('3.0.3');
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/healthz', '/readyz']));
    expect(Object.keys(spec.paths)).not.toContain('/');
    const docs = await get().app.inject('/docs/');
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain('swagger');
  });

  it('documents the store-outage 503 (codes, Retry-After) on every operation that describes its answers', async () => {
    const spec = (await get().app.inject('/openapi.json')).json() as { paths: Record<string, Record<string, { responses?: Record<string, { description?: string; content?: Record<string, { schema?: { properties?: Record<string, { description?: string }> } }> }> }>> };
    let described = 0;
    for (const [path, methods] of Object.entries(spec.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        const codes = Object.keys(op.responses ?? {});
        if (codes.length === 1 && op.responses![codes[0]!]!.description === 'Default Response') continue; // describes no answers
        const outage = op.responses?.['503'];
        expect(outage, `${method.toUpperCase()} ${path}`).toBeDefined();
        described++;
        const schema = Object.values(outage!.content ?? {})[0]?.schema;
        if (schema?.properties?.retry_after) expect(outage!.description).toMatch(/Retry-After/);
      }
    }
    expect(described).toBeGreaterThan(60);
    const list = spec.paths['/api/v1/uploads']!.get!.responses!['503']!;
    expect(Object.values(list.content!)[0]!.schema!.properties!.error!.description).toMatch(/database_unavailable/);
  });

  it('serves the shell in English and Hindi, remembering the choice', async () => {
    const en = await get().app.inject('/');
    expect(en.body).toContain('<html lang="en">');
    expect(en.body).toContain('Issued Documents');
    const sw = await get().app.inject('/lang/hi?next=/help');
    expect(sw.statusCode).toBe(303);
    expect(sw.headers.location).toBe('/help');
    const cookie = String(sw.headers['set-cookie']).split(';')[0]!;
    const hi = await get().app.inject({ url: '/help', headers: { cookie } });
    expect(hi.body).toContain('<html lang="hi">');
    expect(hi.body).toContain('सहायता और अक्सर पूछे जाने वाले प्रश्न');
    const negotiated = await get().app.inject({ url: '/', headers: { 'accept-language': 'hi-IN,hi;q=0.9,en;q=0.8' } });
    expect(negotiated.body).toContain('<html lang="hi">');
  });

  it('switching language on a page that answered a form goes back to the form’s page, not a 404', async () => {
    const { app, deps } = get();
    const c = await signUpCitizen(app, deps);
    const b = new WebClient(app);
    b.cookies.set('ol_session', c.cookie.split('=')[1]!);
    expect((await b.get('/profile')).statusCode).toBe(200);
    const bad = await b.post('/profile/email', { email: 'a@@b' });
    expect(bad.statusCode).toBe(400);
    const href = /href="(\/lang\/hi\?next=[^"]*)"/.exec(bad.body)?.[1]?.replace(/&amp;/g, '&');
    expect(href).toBe('/lang/hi?next=%2Fprofile');
    const back = await b.get(href!);
    expect(back.headers.location).toBe('/profile');
    const page = await b.follow();
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<html lang="hi">');
  });

  it('never redirects off-site after a language switch', async () => {
    // Browsers drop tabs and line breaks and read \ as /: each of these would leave the site.
    const offsite = ['//evil.example', 'https://evil.example', '/\\evil.example', 'javascript:alert(1)', '/\t/evil.example/phish', '/\n/evil.example', '/\r\n/evil.example', '/ /evil.example', '/%09/evil.example'.replace('%09', '\u000b'), '/\u007f/evil.example'];
    for (const next of offsite) {
      const res = await get().app.inject(`/lang/hi?next=${encodeURIComponent(next)}`);
      expect(res.statusCode, JSON.stringify(next)).toBe(303);
      expect(res.headers.location, JSON.stringify(next)).toBe('/');
    }
    // A path of this site, with its query, is kept (normalised by the URL parser).
    expect((await get().app.inject(`/lang/hi?next=${encodeURIComponent('/activity?type=upload#top')}`)).headers.location).toBe('/activity?type=upload#top');
    expect((await get().app.inject(`/lang/hi?next=${encodeURIComponent('/uploaded/../activity')}`)).headers.location).toBe('/activity');
  });

  it('serves static assets with caching and the right types', async () => {
    const css = await get().app.inject('/static/app.css');
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toMatch(/text\/css/);
    const escape = await get().app.inject('/static/../../package.json');
    expect(escape.statusCode).toBe(404);
  });

  it('asks signed-out visitors of a section to sign in', async () => {
    // Sections no module serves yet show the shell's prompt; the accounts module's redirect to /signin.
    const served = MODULES.flatMap((m) => m.sections ?? []);
    for (const s of SECTIONS.filter((x) => !served.includes(x.href))) {
      const res = await get().app.inject(s.href);
      expect(res.statusCode, s.href).toBe(200);
      expect(res.body).toContain('Sign in to see your');
    }
    const activity = await get().app.inject('/activity');
    expect(activity.statusCode).toBe(303);
    expect(activity.headers.location).toBe('/signin?next=%2Factivity');
  });
});

describe('readiness when a dependency fails', () => {
  it('reports 503 with the failing check when the blob store is unreachable', async () => {
    const t = await startTestApp();
    try {
      fs.rmSync(t.blob.root!, { recursive: true, force: true });
      const res = await t.app.inject('/readyz');
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ status: 'not_ready', checks: { database: { status: 'ok' }, blobs: { status: 'failing' } } });
    } finally {
      await t.close();
    }
  });

  it('reports 503 when the database is closed', async () => {
    const t = await startTestApp({ stack: { dialect: 'postgres', blob: 'fs' } });
    try {
      await t.sql.close();
      const res = await t.app.inject('/readyz');
      expect(res.statusCode).toBe(503);
      expect(res.json().checks.database.status).toBe('failing');
    } finally {
      await t.app.close();
      await t.blob.dispose();
    }
  });
});

describe('HSTS and secure cookies under https', () => {
  it('sends HSTS when the public URL is https', async () => {
    const t = await startTestApp({ env: { PUBLIC_URL: 'https://locker.example.in' } });
    try {
      const res = await t.app.inject('/');
      expect(res.headers['strict-transport-security']).toMatch(/max-age=31536000/);
      const sw = await t.app.inject('/lang/hi');
      expect(String(sw.headers['set-cookie'])).toMatch(/HttpOnly/i);
      expect(String(sw.headers['set-cookie'])).toMatch(/; Secure/i);
    } finally {
      await t.close();
    }
  });
});

describe('rate limits', () => {
  it('answers a flood with 429 in the error shape, and health checks are exempt', async () => {
    const t = await startTestApp();
    try {
      let limited;
      for (let i = 0; i < 610; i++) {
        const res = await t.app.inject('/help');
        if (res.statusCode === 429) {
          limited = res;
          break;
        }
      }
      expect(limited?.json()).toMatchObject({ error: 'rate_limited' });
      expect((await t.app.inject('/healthz')).statusCode).toBe(200);
    } finally {
      await t.close();
    }
  });
});

describe('the error contract', () => {
  const probe: AppModule = {
    name: 'probe',
    register(app) {
      app.post(
        '/api/v1/probe',
        { schema: { body: Type.Object({ name: Type.String({ minLength: 1 }), age: Type.Optional(Type.Integer({ minimum: 0 })) }, { additionalProperties: false }) } },
        async (req) => {
          const { name } = req.body as { name: string };
          if (name === 'gone') throw new AppError('gone', 'link_expired', 'This link has expired.');
          if (name === 'boom') throw new Error('secret internal detail at /srv/app.ts:12');
          return { hello: name };
        },
      );
    },
  };
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ build: { modules: [probe] } });
  });
  afterAll(() => t.close());

  const post = (payload: string, type = 'application/json') =>
    t.app.inject({ method: 'POST', url: '/api/v1/probe', headers: { 'content-type': type }, payload });

  it('accepts a valid body', async () => {
    expect((await post('{"name":"Asha"}')).json()).toEqual({ hello: 'Asha' });
  });

  it('malformed JSON -> 400 invalid_json', async () => {
    const res = await post('{"name":');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: 'invalid_json', error_description: 'The request body is not valid JSON.' });
  });

  it('schema violations -> 400 invalid_request naming the field', async () => {
    const missing = await post('{}');
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toEqual({ error: 'invalid_request', error_description: 'The body is missing the required field "name".' });
    const extra = await post('{"name":"a","admin":true}');
    expect(extra.json().error_description).toBe('The body has an unknown field "admin".');
    const wrong = await post('{"name":"a","age":-1}');
    expect(wrong.json().error_description).toMatch(/"age" must be >= 0/);
  });

  it('a domain error keeps its code and message', async () => {
    const res = await post('{"name":"gone"}');
    expect(res.statusCode).toBe(410);
    expect(res.json()).toEqual({ error: 'link_expired', error_description: 'This link has expired.' });
  });

  it('an unexpected error is a 500 with a reference, and leaks nothing', async () => {
    const res = await post('{"name":"boom"}');
    expect(res.statusCode).toBe(500);
    expect(res.json().error).toBe('internal_error');
    expect(res.json().error_description).toContain(String(res.headers['x-request-id']));
    expect(res.body).not.toContain('secret internal detail');
    expect(res.body).not.toContain('.ts:');
  });

  it('an unsupported content type -> 415', async () => {
    const res = await post('name=x', 'text/plain');
    expect(res.statusCode).toBe(415);
    expect(res.json().error).toBe('unsupported_media_type');
  });

  it('a body over the limit -> 413', async () => {
    const res = await post(JSON.stringify({ name: 'x'.repeat(1024 * 1024 + 10) }));
    expect(res.statusCode).toBe(413);
    expect(res.json().error).toBe('payload_too_large');
  });
});
