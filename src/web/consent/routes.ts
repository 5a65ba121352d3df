/** Registers the consent module's pages: the consent screen, the application form and the admin pages. */
import type { FastifyInstance } from 'fastify';
import type { Provider } from '../../oauth/oidc.ts';
import type { ConsentServices } from '../../wiring/consent.ts';
import type { WebSettings } from '../render.ts';
import { registerAdminPages } from './admin-pages.ts';
import { registerApplyPage } from './apply-page.ts';
import { registerConsentScreen } from './consent-routes.ts';

export function registerConsentWebPages(app: FastifyInstance, provider: Provider, s: ConsentServices, auth: { adminToken: string; secureCookies: boolean }, web: WebSettings): void {
  registerConsentScreen(app, provider, s, web);
  registerApplyPage(app, s, web);
  registerAdminPages(app, s, auth, web);
}
