/**
 * GET /api/v1/activity and /verify on both stacks: paging and filters, clear errors for
 * bad filters, events appended by other modules, and an edited row detected through the API.
 */
import { expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.ts';
import { describeEachStack } from '../support/app.ts';
import { signUpCitizen } from '../support/citizen.ts';

const clock = new ManualClock('2026-09-10T04:00:00.000Z');

describeEachStack(
  'activity API',
  (get) => {
    it('pages newest first and filters by type, date (India time) and subject', async () => {
      const { app, deps } = get();
      const c = await signUpCitizen(app, deps);
      const base = clock.now().getTime();
      for (let i = 0; i < 30; i++) {
        await deps.activity.append({
          at: new Date(base + (i + 1) * 3600_000),
          accountId: c.accountId,
          type: i % 3 === 0 ? 'document_uploaded' : 'document_viewed',
          actor: i % 5 === 0 ? { kind: 'partner', id: 'bank-1', name: 'Example Bank' } : { kind: 'citizen', id: c.accountId, name: c.name },
          ip: '10.1.1.1',
          userAgent: null,
          subject: { kind: 'upload', id: `u${i % 4}`, name: `Marksheet ${i % 4}` },
          details: { n: i },
        });
      }
      const seen: number[] = [];
      let cursor: string | null = null;
      do {
        const res: { statusCode: number; json(): { items: Array<{ seq: number }>; next_cursor: string | null } } = await app.inject({ url: `/api/v1/activity?limit=7${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, headers: c.headers });
        expect(res.statusCode).toBe(200);
        seen.push(...res.json().items.map((e: { seq: number }) => e.seq));
        cursor = res.json().next_cursor;
      } while (cursor);
      expect(seen).toEqual(Array.from({ length: 31 }, (_, i) => 31 - i));

      const uploads = (await app.inject({ url: '/api/v1/activity?type=document_uploaded&limit=100', headers: c.headers })).json().items;
      expect(uploads).toHaveLength(10);
      const several = (await app.inject({ url: '/api/v1/activity?type=document_uploaded,signed_up&limit=100', headers: c.headers })).json().items;
      expect(several).toHaveLength(11);
      const bySubject = (await app.inject({ url: '/api/v1/activity?subject_kind=upload&subject_id=u1&limit=100', headers: c.headers })).json().items;
      expect(bySubject.every((e: { subject: { id: string } }) => e.subject.id === 'u1')).toBe(true);
      expect(bySubject.length).toBeGreaterThan(5);
      // 2026-09-10 04:00Z is 09:30 IST; the first event lands at 10:30 IST on 10 September.
      const day = (await app.inject({ url: '/api/v1/activity?from=2026-09-10&to=2026-09-10&limit=100', headers: c.headers })).json().items;
      expect(day.every((e: { at: string }) => e.at >= '2026-09-09T18:30:00.000Z' && e.at < '2026-09-10T18:30:00.000Z')).toBe(true);
      expect(day.length).toBe(15);
      const instant = (await app.inject({ url: `/api/v1/activity?from=${encodeURIComponent('2026-09-11T00:00:00Z')}&limit=100`, headers: c.headers })).json().items;
      expect(instant.every((e: { at: string }) => e.at >= '2026-09-11T00:00:00.000Z')).toBe(true);
      const partner = (await app.inject({ url: '/api/v1/activity?limit=100', headers: c.headers })).json().items.find((e: { actor: { kind: string } }) => e.actor.kind === 'partner');
      expect(partner).toMatchObject({ actor: { kind: 'partner', id: 'bank-1', name: 'Example Bank' }, subject: { kind: 'upload' }, details: { n: expect.any(Number) } });
    });

    it('answers bad filters with 400 and a clear code', async () => {
      const { app, deps } = get();
      const c = await signUpCitizen(app, deps);
      for (const [q, code] of [
        ['from=yesterday', 'invalid_date'],
        ['to=2026-02-30', 'invalid_date'],
        ['from=2026-05-02&to=2026-05-01', 'invalid_date_range'],
        ['cursor=abc', 'invalid_cursor'],
        ['limit=0', 'invalid_request'],
        ['limit=1000', 'invalid_request'],
        ['colour=red', 'invalid_request'],
      ] as const) {
        const res = await app.inject({ url: `/api/v1/activity?${q}`, headers: c.headers });
        expect(res.statusCode, q).toBe(400);
        expect(res.json().error, q).toBe(code);
      }
      expect((await app.inject({ url: '/api/v1/activity' })).statusCode).toBe(401);
    });

    it('detects an edited row through /api/v1/activity/verify', async () => {
      const { app, deps } = get();
      const c = await signUpCitizen(app, deps);
      for (let i = 0; i < 4; i++) await deps.activity.append({ accountId: c.accountId, type: 'document_viewed', actor: { kind: 'citizen', id: c.accountId, name: c.name }, ip: '10.0.0.9', userAgent: null });
      expect((await app.inject({ url: '/api/v1/activity/verify', headers: c.headers })).json()).toMatchObject({ intact: true, count: 5 });
      await deps.sql.db.updateTable('activity_events').set({ ip: '203.0.113.7' }).where('account_id', '=', c.accountId).where('seq', '=', 3).execute();
      const v = (await app.inject({ url: '/api/v1/activity/verify', headers: c.headers })).json();
      expect(v).toEqual({ intact: false, count: 2, first_broken: { seq: 3, reason: 'hash_mismatch' } });
      const page = await app.inject({ url: '/activity/verify', headers: { cookie: c.cookie } });
      expect(page.body).toContain('Entry number 3 does not match');
    });

    it('the Activity page in Hindi names issuers and issued documents in Hindi; people and organisations keep their names', async () => {
      const { app, deps } = get();
      const c = await signUpCitizen(app, deps);
      await deps.activity.append({ accountId: c.accountId, type: 'issued_pushed', actor: { kind: 'issuer', id: 'in.gov.cbse', name: 'Central Board of Secondary Education' }, ip: null, userAgent: null, subject: { kind: 'issued_document', id: 'in.gov.cbse-HSCER-20241234567', name: 'Class XII Marksheet' } });
      await deps.activity.append({ accountId: c.accountId, type: 'issued_viewed', actor: { kind: 'partner', id: 'p1', name: 'Bank of Example' }, ip: null, userAgent: null, subject: { kind: 'issued_document', id: 'in.gov.x-ABCDE-1', name: 'Certificate of Very Rare Things' } });
      const page = (await app.inject({ url: '/activity', headers: { cookie: `${c.cookie}; lang=hi` } })).body;
      expect(page).toContain('केंद्रीय माध्यमिक शिक्षा बोर्ड');
      expect(page).toContain('कक्षा 12 की अंकतालिका');
      expect(page).not.toContain('Central Board of Secondary Education');
      expect(page).toContain('Bank of Example');
      expect(page).toContain('<span lang="en">Certificate of Very Rare Things</span>');
      const en = (await app.inject({ url: '/activity', headers: { cookie: `${c.cookie}; lang=en` } })).body;
      expect(en).toContain('Central Board of Secondary Education');
      expect(en).toContain('Class XII Marksheet');
    });

    it('is in the OpenAPI description', async () => {
      const spec = (await get().app.inject('/openapi.json')).json();
      for (const p of ['/api/v1/auth/otp', '/api/v1/auth/signup', '/api/v1/auth/login', '/api/v1/auth/logout', '/api/v1/auth/pin/reset', '/api/v1/auth/pin/change', '/api/v1/me', '/api/v1/me/sessions', '/api/v1/activity', '/api/v1/activity/verify']) {
        expect(Object.keys(spec.paths), p).toContain(p);
      }
      expect(spec.paths['/api/v1/auth/otp'].post.requestBody.content['application/json'].schema.required).toEqual(['mobile', 'purpose']);
      expect(Object.keys(spec.paths)).not.toContain('/signin');
    });
  },
  { clock },
);

describeEachStack('activity labels', () => {
  it('every event type the Activity filter offers has its own label in English and Hindi', async () => {
    const { registeredActivityTypes } = await import('../../src/web/accounts/activity-page.ts');
    const { ACTIVITY_TYPES } = await import('../../src/domain/activity/ports.ts');
    const { translator } = await import('../../src/web/i18n/index.ts');
    const types = [...new Set([...Object.values(ACTIVITY_TYPES), ...registeredActivityTypes()])];
    expect(types.length).toBeGreaterThan(30);
    for (const lang of ['en', 'hi'] as const) {
      const t = translator(lang);
      const missing = types.filter((ty) => t(`activity.type.${ty}`) === `activity.type.${ty}`);
      expect(missing, lang).toEqual([]);
    }
  });
});
