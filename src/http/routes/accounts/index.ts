/**
 * The accounts module: citizen sign-up, sign-in, sessions, profile and the activity log —
 * the authentication hook every other module relies on, the JSON API under /api/v1/auth,
 * /api/v1/me and /api/v1/activity, and the pages (sign-up, sign-in, forgot PIN, profile,
 * sessions, activity, dashboard). A sweeper ends idle sessions in the background.
 */
import type { FastifyInstance } from 'fastify';
import { sweepAccounts } from '../../../domain/accounts/sweep.ts';
import { repeatWhileServing } from '../../../jobs/repeat.ts';
import type { AppDeps } from '../../../deps.ts';
import type { AppModule } from '../../../modules.ts';
import { registerAccountPages } from '../../../web/accounts/routes.ts';
import { registerAuthentication } from '../../plugins/authenticate.ts';
import { registerActivityRoutes } from './activity-routes.ts';
import { registerDashboardApi } from './dashboard-api.ts';
import { registerAuthRoutes } from './auth-routes.ts';
import { accountsDeps, type CookieSettings } from './context.ts';
import { registerMeRoutes } from './me-routes.ts';

const SWEEP_EVERY_MS = 60_000;

export const accountsModule: AppModule = {
  name: 'accounts',
  sections: ['/dashboard', '/activity'],
  async register(app: FastifyInstance, deps: AppDeps) {
    const ad = accountsDeps(deps);
    const cookies: CookieSettings = { secure: deps.config.secureCookies, maxAgeSeconds: deps.config.sessionMaxSeconds };
    registerAuthentication(app, ad);
    registerAuthRoutes(app, ad, cookies);
    registerMeRoutes(app, ad, cookies);
    registerActivityRoutes(app, ad);
    registerDashboardApi(app, { activity: deps.activity, documents: deps.documents, cards: deps.dashboardCards });
    registerAccountPages(app, ad, cookies, { supportEmail: deps.config.supportEmail, sandbox: deps.config.sandbox }, deps.dashboardCards);

    repeatWhileServing(app, SWEEP_EVERY_MS, 'accounts sweep', async () => {
      // Entries recorded by a process that stopped before chaining them.
      await deps.activity.settle();
      const r = await sweepAccounts(ad);
      if (r.sessionsEnded || r.erasuresFinished || r.erasuresPending) app.log.info({ sweep: r }, 'accounts sweep');
    });
  },
};
