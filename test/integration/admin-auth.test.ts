import { expect, it } from 'vitest';
import { requireAdmin } from '../../src/http/plugins/admin-auth.ts';
import type { AppModule } from '../../src/modules.ts';
import { describeEachStack } from '../support/app.ts';

const probe: AppModule = {
  name: 'admin-probe',
  register(app, deps) {
    app.get('/api/v1/admin/probe', { preHandler: requireAdmin(deps) }, async () => ({ ok: true }));
  },
};

describeEachStack(
  'admin authentication',
  (get) => {
    it('accepts the admin token and refuses anything else', async () => {
      const ok = await get().app.inject({ url: '/api/v1/admin/probe', headers: { authorization: 'Bearer test-admin-token-0123456789' } });
      expect(ok.json()).toEqual({ ok: true });
      for (const h of [undefined, 'Bearer wrong', 'Basic dGVzdA==', 'Bearer test-admin-token-012345678', 'test-admin-token-0123456789']) {
        const res = await get().app.inject({ url: '/api/v1/admin/probe', headers: h ? { authorization: h } : {} });
        expect(res.statusCode).toBe(401);
        expect(res.json().error).toBe('unauthorized');
      }
    });

    it('slows down guessing: after 20 failures per IP, further guesses get 429', async () => {
      const app = get().app;
      let limited = false;
      for (let i = 0; i < 25; i++) {
        const res = await app.inject({ url: '/api/v1/admin/probe', headers: { authorization: `Bearer guess-${i}` }, remoteAddress: '10.9.9.9' });
        if (res.statusCode === 429) limited = true;
      }
      expect(limited).toBe(true);
      // Locked out means locked out: the right token from that address is refused too (a
      // limit that still checks every guess only tells the guesser which one was right).
      const right = await app.inject({ url: '/api/v1/admin/probe', headers: { authorization: 'Bearer test-admin-token-0123456789' }, remoteAddress: '10.9.9.9' });
      expect(right.statusCode).toBe(429);
      expect(Number(right.headers['retry-after'])).toBeGreaterThan(0);
      // Other addresses are unaffected (the sign-in page's share of the lockout: partners-pages.test.ts).
      expect((await app.inject({ url: '/api/v1/admin/probe', headers: { authorization: 'Bearer test-admin-token-0123456789' }, remoteAddress: '10.9.9.8' })).statusCode).toBe(200);
    });
  },
  { build: { modules: [probe] } },
);
