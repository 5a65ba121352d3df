/**
 * The consent screen behind oidc-provider's interaction URL (`/consent/:uid`).
 *
 * GET: load the interaction (its signed cookie binds it to this browser); refuse at once —
 * by redirecting the error to the partner's (already validated) redirect URI — a request
 * for scopes or doc types outside the partner's approval; send a signed-out citizen to the
 * locker's own sign-in (OTP + PIN) with `next=` back here; then show the screen.
 * POST (CSRF): Deny → `access_denied` + state to the partner (RFC 6749 §4.1.2.1); Allow → a
 * grant with the scopes left ticked, the consent record bound to it, and back to
 * oidc-provider, which redirects with the code. Each authorization is its own consent.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Provider } from '../../oauth/oidc.ts';
import { decideConsent, offerConsent, type ConsentOffer } from '../../domain/consent/decide-consent.ts';
import { consentValidity, grantConsent } from '../../domain/consent/grant-consent.ts';
import type { Partner } from '../../domain/consent/model.ts';
import { doctypeOfScope, parseDoctypes, parseScopes, scopesOutsideApproval } from '../../domain/consent/scopes.ts';
import { AppError } from '../../domain/errors.ts';
import { requireCitizenPage } from '../../http/plugins/authenticate.ts';
import { REQUESTED_SCOPE_PARAM, STATIC_SCOPES } from '../../oauth/provider.ts';
import type { ConsentServices } from '../../wiring/consent.ts';
import { pageContext, sendHtml, type WebSettings } from '../render.ts';
import { errorPage } from '../shell/pages.ts';
import { consentPage } from './consent-page.ts';

interface Ask {
  partner: Partner;
  scopes: string[];
  doctypes: string[];
  purpose: string;
  validTill: Date;
}

export function registerConsentScreen(app: FastifyInstance, provider: Provider, s: ConsentServices, web: WebSettings): void {
  const fail = (req: FastifyRequest, reply: FastifyReply, status: number, message: string) => sendHtml(reply, errorPage(pageContext(req, reply, web), status, message), status);

  /** Ends the interaction with an OAuth error, redirected to the partner. */
  const finishWithError = async (req: FastifyRequest, reply: FastifyReply, error: string, description: string) => {
    const to = await provider.interactionResult(req.raw, reply.raw, { error, error_description: description }, { mergeWithLastSubmission: false });
    return reply.redirect(to, 303);
  };

  const load = async (req: FastifyRequest, reply: FastifyReply) => {
    const { uid } = req.params as { uid: string };
    try {
      const details = await provider.interactionDetails(req.raw, reply.raw);
      if (details.uid !== uid) return null;
      return details;
    } catch {
      return null;
    }
  };

  const askOf = async (params: Record<string, unknown>): Promise<Ask> => {
    const partner = await s.partners.get(String(params.client_id ?? ''));
    if (!partner || partner.status !== 'approved') throw new AppError('invalid', 'unauthorized_client', 'This organisation may not ask for access now.');
    // oidc-provider keeps only the scopes it knows; the wrapper saved the request's own list.
    const scopes = parseScopes(params[REQUESTED_SCOPE_PARAM] ?? params.scope);
    const doctypes = parseDoctypes(params.req_doctype);
    const outside = scopesOutsideApproval(scopes, partner, doctypes);
    if (outside.length) throw new AppError('invalid', 'invalid_scope', `Not approved for this partner: ${outside.join(', ')}.`);
    const purpose = typeof params.purpose === 'string' && params.purpose.trim() ? params.purpose.trim().slice(0, 300) : partner.purpose;
    return { partner, scopes, doctypes, purpose, validTill: consentValidity(s.policy, s.clock.now(), params.consent_valid_till) };
  };

  const offerFor = async (accountId: string, ask: Ask): Promise<ConsentOffer> => {
    // `partners.<DOCTYPE>` is shown by the name issuers give the type ("PAN Verification Record"), not its code.
    const names = await s.doctypeNames(ask.scopes.map(doctypeOfScope).filter((c): c is string => c !== null));
    return offerConsent(s, accountId, { scopes: ask.scopes, doctypes: ask.doctypes }, async (code) => names.get(code) ?? code);
  };

  app.get('/consent/:uid', { schema: { hide: true } }, async (req, reply) => {
    const details = await load(req, reply);
    if (!details) return fail(req, reply, 400, pageContext(req, reply, web).t('consent.expired'));
    let ask: Ask;
    try {
      ask = await askOf(details.params as Record<string, unknown>);
    } catch (err) {
      if (err instanceof AppError) return finishWithError(req, reply, err.code === 'invalid_parameter' ? 'invalid_request' : err.code, err.message);
      throw err;
    }
    const guard = await requireCitizenPage().call(app, req, reply);
    if (reply.sent) return guard;
    const c = req.citizen!;
    const offer = await offerFor(c.accountId, ask);
    const asksDocuments = ask.scopes.some((sc) => sc === 'files.issueddocs' || sc === 'files.uploadeddocs' || sc.startsWith('partners.'));
    return sendHtml(reply, consentPage(pageContext(req, reply, web), { uid: details.uid, partner: ask.partner, purpose: ask.purpose, scopes: ask.scopes, items: offer.items, validTill: ask.validTill, asksDocuments }));
  });

  app.post('/consent/:uid', { schema: { hide: true }, preHandler: [requireCitizenPage(), app.csrfProtection] }, async (req, reply) => {
    const details = await load(req, reply);
    if (!details) return fail(req, reply, 400, pageContext(req, reply, web).t('consent.expired'));
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (body.decision !== 'allow') return finishWithError(req, reply, 'access_denied', 'The citizen declined the request.');
    let ask: Ask;
    try {
      ask = await askOf(details.params as Record<string, unknown>);
    } catch (err) {
      if (err instanceof AppError) return finishWithError(req, reply, err.code === 'invalid_parameter' ? 'invalid_request' : err.code, err.message);
      throw err;
    }
    const c = req.citizen!;
    const offer = await offerFor(c.accountId, ask);
    const ticked = Array.isArray(body.doc) ? body.doc.map(String) : typeof body.doc === 'string' ? [body.doc] : [];
    const decision = decideConsent(offer, ticked);
    const grant = new provider.Grant({ accountId: c.accountId, clientId: ask.partner.id });
    const oidcScopes = decision.scopes.filter((sc) => STATIC_SCOPES.includes(sc));
    if (oidcScopes.length) grant.addOIDCScope(oidcScopes.join(' '));
    // Scopes the citizen unticked are rejected, not just left out, so oidc-provider treats
    // them as answered (no second consent prompt) and keeps them out of every token.
    const declined = String(details.params.scope ?? '').split(' ').filter((sc) => sc && STATIC_SCOPES.includes(sc) && !oidcScopes.includes(sc));
    if (declined.length) grant.rejectOIDCScope(declined.join(' '));
    const grantId = await grant.save();
    await grantConsent(s, {
      accountId: c.accountId,
      digilockerId: c.accountId,
      partner: ask.partner,
      purpose: ask.purpose,
      scopes: decision.scopes,
      documents: decision.documents,
      validTill: ask.validTill,
      grantId,
      flow: 'authorization_code',
      ip: req.ip,
      userAgent: req.headers['user-agent'] ?? null,
      issuer: s.issuer,
    });
    const to = await provider.interactionResult(req.raw, reply.raw, { login: { accountId: c.accountId }, consent: { grantId } }, { mergeWithLastSubmission: false });
    return reply.redirect(to, 303);
  });
}
