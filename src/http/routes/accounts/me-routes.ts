/** /api/v1/me: the signed-in citizen's profile, sessions, mobile change and account deletion. */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { confirmMobileChange, startMobileChange } from '../../../domain/accounts/change-mobile.ts';
import { deleteAccount, requestDeletionOtp } from '../../../domain/accounts/delete-account.ts';
import type { AccountsDeps } from '../../../domain/accounts/deps.ts';
import { endSession } from '../../../domain/accounts/sessions.ts';
import { updateEmail } from '../../../domain/accounts/update-profile.ts';
import { confirmEmail, requestEmailVerification } from '../../../domain/accounts/email-verification.ts';
import { notFound } from '../../../domain/errors.ts';
import { requireCitizen } from '../../plugins/authenticate.ts';
import { clearSessionCookie, requestMeta, type CookieSettings } from './context.ts';
import { presentMe, presentSession } from './present.ts';
import { AccountOtpBody, ChangeMobileBody, DeleteMeBody, errors, Me, MobileOtpBody, MobileOtpIssued, OtpIssued, SessionView, UpdateMeBody } from './schemas.ts';

const tags = ['Citizen: profile'];
const security: Array<Record<string, string[]>> = [{ session: [] }, { bearer: [] }];

export function registerMeRoutes(app: FastifyInstance, deps: AccountsDeps, cookies: CookieSettings): void {
  const loadMe = async (accountId: string) => {
    const a = await deps.accounts.findById(accountId);
    if (!a) throw notFound('The account');
    return a;
  };

  app.get(
    '/api/v1/me',
    { preHandler: requireCitizen({ allowPendingPinChange: true }), schema: { tags, summary: 'The signed-in citizen', security, response: { 200: Me, ...errors(401) } } },
    async (req) => presentMe(await loadMe(req.citizen!.accountId)),
  );

  app.patch(
    '/api/v1/me',
    {
      preHandler: requireCitizen(),
      schema: { tags, summary: 'Change the email address (kept unverified until it is confirmed by email)', security, body: UpdateMeBody, response: { 200: Me, ...errors(400, 401, 403) } },
    },
    async (req) => {
      const account = await updateEmail(deps, { accountId: req.citizen!.accountId, email: (req.body as { email: string | null }).email, meta: requestMeta(req) });
      if (account.email && !account.emailVerified) {
        // The address is saved either way; a failed send is logged and can be retried with POST /api/v1/me/email/verification.
        await requestEmailVerification(deps, account.id, requestMeta(req).lang).catch((err: unknown) => req.log.warn({ err }, 'email confirmation not sent'));
      }
      return presentMe(account);
    },
  );

  app.post(
    '/api/v1/me/email/verification',
    {
      preHandler: requireCitizen(),
      schema: {
        tags,
        summary: 'Email a new confirmation link for the current, unconfirmed address (at most 5 an hour)',
        security,
        response: { 202: Type.Object({ status: Type.Union([Type.Literal('sent'), Type.Literal('nothing_to_verify')]) }), ...errors(401, 403, 429, 503) },
      },
    },
    async (req, reply) => reply.code(202).send({ status: await requestEmailVerification(deps, req.citizen!.accountId, requestMeta(req).lang) }),
  );

  app.post(
    '/api/v1/me/email/verify',
    {
      schema: {
        tags,
        summary: 'Confirm an email address with the token from the emailed link (no sign-in needed)',
        body: Type.Object({ token: Type.String({ minLength: 1, maxLength: 1024 }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ email: Type.String(), email_verified: Type.Literal(true) }), ...errors(400, 410) },
      },
    },
    async (req) => {
      const r = await confirmEmail({ ...deps, ...deps.emailVerification }, { token: (req.body as { token: string }).token, meta: requestMeta(req) });
      return { email: r.email, email_verified: true as const };
    },
  );

  app.post(
    '/api/v1/me/otp',
    {
      preHandler: requireCitizen(),
      schema: { tags, summary: 'Send a code to the locker’s mobile to confirm deleting the locker', security, body: AccountOtpBody, response: { 200: OtpIssued, ...errors(400, 401, 403, 429, 503) } },
    },
    async (req) => {
      const otp = await requestDeletionOtp(deps, { accountId: req.citizen!.accountId, meta: requestMeta(req) });
      return { challenge_id: otp.challengeId, expires_in: otp.expiresIn, resend_after: otp.resendAfter };
    },
  );

  app.post(
    '/api/v1/me/delete',
    {
      preHandler: requireCitizen(),
      schema: {
        tags,
        summary: 'Delete the locker and everything in it',
        description: 'Needs the code from POST /api/v1/me/otp. Removes all personal data; only an anonymised record that the locker existed remains.',
        security,
        body: DeleteMeBody,
        response: { 200: Type.Object({ deleted: Type.Boolean() }), ...errors(400, 401, 403, 404, 410, 503) },
      },
    },
    async (req, reply) => {
      const b = req.body as { challenge_id: string; otp: string };
      await deleteAccount(deps, { accountId: req.citizen!.accountId, challengeId: b.challenge_id, otp: b.otp, meta: requestMeta(req) });
      clearSessionCookie(reply, cookies);
      return { deleted: true };
    },
  );

  app.post(
    '/api/v1/me/mobile/otp',
    {
      preHandler: requireCitizen(),
      schema: { tags, summary: 'Start changing the mobile number: codes to the current and the new number', security, body: MobileOtpBody, response: { 200: MobileOtpIssued, ...errors(400, 401, 403, 429, 503) } },
    },
    async (req) => {
      const r = await startMobileChange(deps, { accountId: req.citizen!.accountId, newMobile: (req.body as { new_mobile: string }).new_mobile, meta: requestMeta(req) });
      return { challenge_id: r.current.challengeId, new_challenge_id: r.next.challengeId, expires_in: r.current.expiresIn, resend_after: r.current.resendAfter };
    },
  );

  app.post(
    '/api/v1/me/mobile',
    {
      preHandler: requireCitizen(),
      schema: { tags, summary: 'Finish changing the mobile number with both codes', security, body: ChangeMobileBody, response: { 200: Me, ...errors(400, 401, 403, 404, 409, 410) } },
    },
    async (req) => {
      const c = req.citizen!;
      const b = req.body as { challenge_id: string; otp: string; new_challenge_id: string; new_otp: string };
      await confirmMobileChange(deps, { accountId: c.accountId, sessionId: c.sessionId, challengeId: b.challenge_id, otp: b.otp, newChallengeId: b.new_challenge_id, newOtp: b.new_otp, meta: requestMeta(req) });
      return presentMe(await loadMe(c.accountId));
    },
  );

  app.get(
    '/api/v1/me/sessions',
    { preHandler: requireCitizen(), schema: { tags, summary: 'Devices signed in to this locker', security, response: { 200: Type.Object({ items: Type.Array(SessionView) }), ...errors(401, 403) } } },
    async (req) => {
      const c = req.citizen!;
      return { items: (await deps.sessions.listLive(c.accountId)).map((s) => presentSession(s, c.sessionId)) };
    },
  );

  app.delete(
    '/api/v1/me/sessions/:id',
    {
      preHandler: requireCitizen(),
      schema: {
        tags,
        summary: 'Sign out one device',
        security,
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        response: { 200: Type.Object({ ended: Type.Boolean() }), ...errors(401, 403, 404) },
      },
    },
    async (req) => {
      const c = req.citizen!;
      const { id } = req.params as { id: string };
      const ended = await endSession(deps, { accountId: c.accountId, name: c.name, sessionId: id, currentSessionId: c.sessionId, meta: requestMeta(req) });
      if (!ended) throw notFound('The session', 'session_not_found');
      return { ended: true };
    },
  );
}
