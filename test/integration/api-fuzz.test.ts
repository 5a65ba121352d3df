/**
 * DESIGN §7: "Random and malicious input to every endpoint: 4xx with a clear code, never
 * 5xx, never a crash." Every operation the locker publishes in /openapi.json — the module
 * fuzz suites cover some in depth; this one misses none, including any added later — gets
 * random and hostile path parameters, query strings and bodies (JSON, form, multipart,
 * plain text, broken JSON), signed out, as a citizen, with a forged token and as the
 * operator. The answer is a success or a 4xx with `{error, error_description}` (502–504
 * only as the issuer errors they are), never a 500, never a stack trace, and within a few
 * seconds; the app keeps serving afterwards.
 */
import type { FastifyInstance } from 'fastify';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { describeEachStack } from '../support/app.ts';
import { randomIp, signUpCitizen } from '../support/citizen.ts';

const ADMIN = { authorization: 'Bearer test-admin-token-0123456789' };

const nasty = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom('', ' ', '0', '-1', '1e309', 'NaN', 'null', 'true', '[]', '{}', '<script>alert(1)</script>', "' OR 1=1 --", '../../etc/passwd', '%00', '\u0000', '\u202e', '\ud800', 'a'.repeat(5000), 'in.gov.cbse-HSCER-2024123456', 'ols_' + 'A'.repeat(43), '+919876543210', '2026-02-30', 'http://127.0.0.1:1/', '__proto__'),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
);

/** Bodies: objects whose keys are the operation's own field names (so validation gets past the surface) or anything at all. */
const bodyFor = (fields: string[]) =>
  fc.oneof(
    fc.dictionary(fc.constantFrom(...fields, 'constructor', '__proto__', 'x'), fc.oneof(nasty, fc.array(nasty, { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 8 }), nasty, { maxKeys: 3 }))),
    fc.anything({ maxDepth: 2 }),
  );

interface Operation {
  method: string;
  path: string;
  params: string[];
  query: string[];
  fields: string[];
}

function operations(spec: { paths: Record<string, Record<string, { parameters?: Array<{ in: string; name: string }>; requestBody?: { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> } }>> }): Operation[] {
  const out: Operation[] = [];
  for (const [path, methods] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const params = (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
      const query = (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
      const fields = Object.values(op.requestBody?.content ?? {}).flatMap((c) => Object.keys(c.schema?.properties ?? {}));
      out.push({ method: method.toUpperCase(), path, params, query, fields: fields.length ? fields : ['name'] });
    }
  }
  return out;
}

function asForm(v: unknown): string {
  if (v !== null && typeof v === 'object') {
    try {
      return new URLSearchParams(Object.entries(v as object).map(([k, x]) => [k, typeof x === 'string' ? x : (JSON.stringify(x) ?? '')])).toString();
    } catch {
      return '';
    }
  }
  return String(v);
}

function asMultipart(v: unknown): { payload: Buffer; type: string } {
  const boundary = 'fuzz' + Math.random().toString(16).slice(2);
  const entries = v !== null && typeof v === 'object' ? Object.entries(v as object) : [['file', String(v)]];
  const parts = entries.map(([k, x]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"${k === 'file' ? '; filename="x.pdf"' : ''}\r\n\r\n${typeof x === 'string' ? x : JSON.stringify(x)}\r\n`);
  return { payload: Buffer.from(parts.join('') + `--${boundary}--\r\n`), type: `multipart/form-data; boundary=${boundary}` };
}

/**
 * Sends `body` in `encoding` (no body for GET and DELETE) from a random address, and fails
 * if no answer comes within 15 s.
 */
async function send(app: FastifyInstance, method: string, url: string, headers: Record<string, string>, encoding: string, body: unknown) {
  let payload: string | Buffer | undefined;
  if (method !== 'GET' && method !== 'DELETE' && encoding !== 'none') {
    if (encoding === 'json') [headers['content-type'], payload] = ['application/json', JSON.stringify(body) ?? 'null'];
    else if (encoding === 'broken-json') [headers['content-type'], payload] = ['application/json', '{"a":'];
    else if (encoding === 'form') [headers['content-type'], payload] = ['application/x-www-form-urlencoded', asForm(body)];
    else if (encoding === 'text') [headers['content-type'], payload] = ['text/plain', String(JSON.stringify(body))];
    else {
      const m = asMultipart(body);
      [headers['content-type'], payload] = [m.type, m.payload];
    }
  }
  return Promise.race([
    app.inject({ method: method as 'GET', url, headers, remoteAddress: randomIp(), ...(payload === undefined ? {} : { payload }) }),
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${method} ${url} did not answer in 15 s`)), 15_000)),
  ]);
}

/** A path segment for any value; a lone surrogate (not encodable) becomes invalid UTF-8 percent-escapes, itself a good hostile input. */
function pathSegment(v: unknown): string {
  try {
    return encodeURIComponent(String(v)) || '%20';
  } catch {
    return '%ED%A0%80';
  }
}

/** Issuer-facing errors (DigiLocker's repository_service_* codes) may be 502–504; nothing else may be 5xx. */
const UPSTREAM = /^(repository_service_|issuer_|verification_|server_busy)/;

describeEachStack('every published endpoint under random input', (get) => {
  it('answers a success or a clear 4xx, never a 500, a stack trace or a hang', { timeout: 240_000 }, async () => {
    const { app, deps } = get();
    const citizen = await signUpCitizen(app, deps);
    const spec = (await app.inject('/openapi.json')).json();
    const ops = operations(spec);
    expect(ops.length).toBeGreaterThan(60);
    const seen = new Set<string>();
    for (const op of ops) {
      await fc.assert(
        fc.asyncProperty(
          fc.array(nasty, { minLength: op.params.length, maxLength: op.params.length }),
          fc.dictionary(fc.constantFrom(...op.query, 'x', 'limit'), fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('-1', '1e9', '%', '<b>'))),
          bodyFor(op.fields),
          fc.constantFrom('json', 'broken-json', 'form', 'multipart', 'text', 'none'),
          fc.constantFrom('none', 'citizen', 'forged', 'admin'),
          async (values, query, body, encoding, who) => {
            let url = op.path;
            op.params.forEach((p, i) => (url = url.replace(`{${p}}`, pathSegment(values[i]))));
            const qs = new URLSearchParams(query).toString();
            if (qs) url += `?${qs}`;
            const headers: Record<string, string> = {
              ...(who === 'citizen' ? citizen.headers : who === 'forged' ? { authorization: 'Bearer ols_' + 'B'.repeat(43) } : who === 'admin' ? ADMIN : {}),
              'x-requested-with': 'fuzz',
              accept: 'application/json',
            };
            const res = await send(app, op.method, url, headers, encoding, body);
            const where = `${op.method} ${url} (${encoding}, ${who}) → ${res.statusCode} ${res.body.slice(0, 300)}`;
            expect(res.statusCode, where).not.toBe(500);
            expect(res.body, where).not.toMatch(/\n\s+at [\w.<>]+ \(|node_modules\//);
            if (res.statusCode >= 400 && (res.headers['content-type'] ?? '').toString().startsWith('application/json')) {
              const b = res.json() as { error?: unknown; error_description?: unknown };
              expect(typeof b.error, where).toBe('string');
              expect(typeof b.error_description, where).toBe('string');
              if (res.statusCode >= 500) expect(b.error as string, where).toMatch(UPSTREAM);
            }
            seen.add(`${op.method} ${op.path}`);
          },
        ),
        { numRuns: Number(process.env.FUZZ_RUNS ?? 12) },
      );
    }
    expect(seen.size).toBe(ops.length);
    // Still serving, and the citizen is still who they were (unless a fuzzed sign-out was valid).
    expect((await app.inject('/healthz')).statusCode).toBe(200);
    expect([200, 401]).toContain((await app.inject({ url: '/api/v1/me', headers: citizen.headers })).statusCode);
  });
});

/** Every route the app registers — pages, share links, forms — not only the documented JSON APIs. */
const registered = new Map<string, { method: string; url: string }>();
const collect = (r: { method: string | string[]; url: string }) => {
  for (const m of [r.method].flat()) if (['GET', 'POST', 'PATCH', 'PUT', 'DELETE'].includes(m) && !r.url.includes('*')) registered.set(`${m} ${r.url}`, { method: m, url: r.url });
};

describeEachStack(
  'every registered route, pages included, under random input',
  (get) => {
    it('never answers 500 or shows a stack trace, signed in or out, in a browser or not', { timeout: 240_000 }, async () => {
      const { app, deps } = get();
      const citizen = await signUpCitizen(app, deps);
      const routes = [...registered.values()];
      expect(routes.length).toBeGreaterThan(150);
      for (const route of routes) {
        const params = route.url.match(/:\w+/g) ?? [];
        await fc.assert(
          fc.asyncProperty(
            fc.array(nasty, { minLength: params.length, maxLength: params.length }),
            bodyFor(['name', 'mobile', 'otp', 'pin', 'email', 'uri', 'id', '_csrf', 'expires_in_days', 'code', 'qr']),
            fc.constantFrom('form', 'multipart', 'json', 'none'),
            fc.constantFrom('none', 'cookie', 'bearer'),
            fc.boolean(),
            async (values, body, encoding, who, browser) => {
              let url = route.url;
              params.forEach((p, i) => (url = url.replace(p, pathSegment(values[i]))));
              const headers: Record<string, string> = {
                ...(who === 'cookie' ? { cookie: citizen.cookie } : who === 'bearer' ? citizen.headers : {}),
                accept: browser ? 'text/html,application/xhtml+xml' : 'application/json',
              };
              const res = await send(app, route.method, url, headers, encoding, body);
              const where = `${route.method} ${url} (${encoding}, ${who}, ${browser ? 'html' : 'json'}) → ${res.statusCode} ${res.body.slice(0, 300)}`;
              expect(res.statusCode, where).not.toBe(500);
              expect(res.body, where).not.toMatch(/\n\s+at [\w.<>]+ \(|node_modules\//);
            },
          ),
          { numRuns: Number(process.env.FUZZ_RUNS ?? 6) },
        );
      }
      expect((await app.inject('/healthz')).statusCode).toBe(200);
    });
  },
  { build: { onRoute: collect } },
);
