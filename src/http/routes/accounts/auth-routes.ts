/**
 * /api/v1/auth/*: OTP, sign-up, sign-in, sign-out, PIN reset and PIN change. Each route:
 * limit → (authenticate) → validate → one use case → present.
 */
import type { FastifyInstance } from 'fastify';
import { changePin } from '../../../domain/accounts/change-pin.ts';
import type { AccountsDeps } from '../../../domain/accounts/deps.ts';
import { requestOtp } from '../../../domain/accounts/request-otp.ts';
import { resetPin } from '../../../domain/accounts/reset-pin.ts';
import { endAllSessions, endSession } from '../../../domain/accounts/sessions.ts';
import { signIn } from '../../../domain/accounts/sign-in.ts';
import { signUp } from '../../../domain/accounts/sign-up.ts';
import { requireCitizen } from '../../plugins/authenticate.ts';
import { limitBy } from '../../plugins/limits.ts';
import { clearSessionCookie, requestMeta, setSessionCookie, type CookieSettings } from './context.ts';
import { ChangePinBody, errors, LoginBody, OtpIssued, OtpRequestBody, ResetPinBody, SessionIssued, SignUpBody } from './schemas.ts';

const tags = ['Citizen: sign-in'];

export function registerAuthRoutes(app: FastifyInstance, deps: AccountsDeps, cookies: CookieSettings): void {
  const authLimit = limitBy(deps, {
    name: 'auth-ip',
    max: deps.policy.authMaxPerIpHour,
    windowMs: 3600_000,
    message: 'Too many sign-in attempts from your network. Wait a while and try again.',
  });

  app.post(
    '/api/v1/auth/otp',
    {
      schema: {
        tags,
        summary: 'Send a one-time code by SMS',
        description:
          'Sends a 6-digit code to the mobile for sign-up, sign-in or PIN reset. The answer is the same whether or not the number has a locker. ' +
          'A new request after `resend_after` seconds sends a new code and cancels the old one. Limits: per number and per client IP, per hour.',
        body: OtpRequestBody,
        response: { 200: OtpIssued, ...errors(400, 429, 503) },
      },
    },
    async (req) => {
      const body = req.body as { mobile: string; purpose: 'signup' | 'login' | 'reset_pin' };
      const otp = await requestOtp(deps, { mobile: body.mobile, purpose: body.purpose, meta: requestMeta(req) });
      return { challenge_id: otp.challengeId, expires_in: otp.expiresIn, resend_after: otp.resendAfter };
    },
  );

  app.post(
    '/api/v1/auth/signup',
    {
      preHandler: authLimit,
      schema: {
        tags,
        summary: 'Create a locker',
        description: 'Checks the code of a `signup` challenge and creates the locker; signs in (cookie and bearer token).',
        body: SignUpBody,
        response: { 201: SessionIssued, ...errors(400, 401, 404, 409, 410, 429) },
      },
    },
    async (req, reply) => {
      const b = req.body as { challenge_id: string; otp: string; name: string; dob: string; gender: string; pin: string; email?: string };
      const { account, session } = await signUp(deps, { challengeId: b.challenge_id, otp: b.otp, name: b.name, dob: b.dob, gender: b.gender, pin: b.pin, email: b.email, meta: requestMeta(req) });
      setSessionCookie(reply, session.token, cookies);
      return reply.code(201).send({ token: session.token, expires_in: session.expiresIn, account_id: account.id });
    },
  );

  app.post(
    '/api/v1/auth/login',
    {
      preHandler: authLimit,
      schema: {
        tags,
        summary: 'Sign in with the SMS code and the security PIN',
        description: 'Both factors in one call. A wrong PIN leaves the challenge usable for another PIN; after too many wrong PINs the locker locks (`account_locked`, with `locked_until`).',
        body: LoginBody,
        response: { 200: SessionIssued, ...errors(400, 401, 404, 410, 429) },
      },
    },
    async (req, reply) => {
      const b = req.body as { challenge_id: string; otp: string; pin: string };
      const { account, session } = await signIn(deps, { challengeId: b.challenge_id, otp: b.otp, pin: b.pin, meta: requestMeta(req) });
      setSessionCookie(reply, session.token, cookies);
      return { token: session.token, expires_in: session.expiresIn, account_id: account.id };
    },
  );

  app.post(
    '/api/v1/auth/logout',
    {
      preHandler: requireCitizen({ allowPendingPinChange: true }),
      schema: {
        tags,
        summary: 'Sign out',
        description: 'Ends this session, or with the JSON body `{"all": true}` every session of the locker. The body is optional for bearer clients.',
        security: [{ session: [] }, { bearer: [] }],
        response: { 200: { type: 'object', properties: { signed_out: { type: 'integer', description: 'Sessions ended' } } }, ...errors(401, 403) },
      },
    },
    async (req, reply) => {
      const c = req.citizen!;
      const all = typeof req.body === 'object' && req.body !== null && (req.body as { all?: unknown }).all === true;
      const meta = requestMeta(req);
      const n = all
        ? await endAllSessions(deps, { accountId: c.accountId, name: c.name, meta })
        : Number(await endSession(deps, { accountId: c.accountId, name: c.name, sessionId: c.sessionId, currentSessionId: c.sessionId, meta }));
      clearSessionCookie(reply, cookies);
      return { signed_out: n };
    },
  );

  app.post(
    '/api/v1/auth/pin/reset',
    {
      preHandler: authLimit,
      schema: {
        tags,
        summary: 'Set a new PIN after forgetting it',
        description: 'Checks the code of a `reset_pin` challenge and sets the new PIN; clears any lockout and signs out every device. Sign in again afterwards.',
        body: ResetPinBody,
        response: { 200: { type: 'object', properties: { pin_reset: { type: 'boolean' }, sessions_ended: { type: 'integer' } } }, ...errors(400, 401, 404, 410, 429) },
      },
    },
    async (req) => {
      const b = req.body as { challenge_id: string; otp: string; new_pin: string };
      const r = await resetPin(deps, { challengeId: b.challenge_id, otp: b.otp, newPin: b.new_pin, meta: requestMeta(req) });
      return { pin_reset: true, sessions_ended: r.sessionsEnded };
    },
  );

  app.post(
    '/api/v1/auth/pin/change',
    {
      preHandler: requireCitizen({ allowPendingPinChange: true }),
      schema: {
        tags,
        summary: 'Change the security PIN',
        description: 'Needs the current PIN (wrong ones count towards the lockout). Every session ends; the answer carries a new token for this device.',
        body: ChangePinBody,
        security: [{ session: [] }, { bearer: [] }],
        response: { 200: SessionIssued, ...errors(400, 401, 403, 429) },
      },
    },
    async (req, reply) => {
      const c = req.citizen!;
      const b = req.body as { current_pin: string; new_pin: string };
      const session = await changePin(deps, { accountId: c.accountId, currentPin: b.current_pin, newPin: b.new_pin, meta: requestMeta(req) });
      setSessionCookie(reply, session.token, cookies);
      return { token: session.token, expires_in: session.expiresIn, account_id: c.accountId };
    },
  );
}
