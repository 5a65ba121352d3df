/** Registers the accounts module's pages and messages. */
import type { FastifyInstance } from 'fastify';
import type { AccountsDeps } from '../../domain/accounts/deps.ts';
import type { CookieSettings } from '../../http/routes/accounts/context.ts';
import { registerMessages } from '../i18n/index.ts';
import type { WebSettings } from '../render.ts';
import type { DashboardCards } from '../dashboard/cards.ts';
import { registerAuthPages } from './auth-routes.ts';
import { accountMessages } from './messages-account.ts';
import { authMessages } from './messages-auth.ts';
import { registerProfilePages } from './profile-routes.ts';

registerMessages(authMessages);
registerMessages(accountMessages);

export function registerAccountPages(app: FastifyInstance, deps: AccountsDeps, cookies: CookieSettings, web: WebSettings, cards: DashboardCards): void {
  registerAuthPages(app, deps, cookies, web);
  registerProfilePages(app, deps, cookies, web, cards);
}
