/**
 * The Authorized Partner API routes this module serves itself (oidc-provider serves
 * authorize/token/revoke/jwks, see oauth/mount.ts):
 *
 *   GET  /public/oauth2/1/user              bearer → DigiLocker id, name, dob, gender, eaadhaar
 *   POST /public/oauth2/1/code              device flow: OTP to the citizen → device_code
 *   POST /public/oauth2/1/pull/issuers      clientid/ts/hmac → connected issuers
 *   POST /public/oauth2/1/pull/doctype      … + orgid → doc types
 *   POST /public/oauth2/1/pull/parameters   … + orgid, doctype → search parameters
 *   GET  /public/oauth2/1/consent/receipt   bearer → the signed receipt of the token's consent
 *
 * The file APIs (2/files/issued, 1/files, 1/file, 1/xml, 2/xml/eaadhaar, partner verify) are
 * in partner-files.ts; 1/pull/pulldocument in partner-pull.ts.
 *
 * Every bearer route goes through authorizePartnerAccess (the consent is checked on every
 * request) and records what it served.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { authenticatePartnerRequest } from '../../../domain/consent/authenticate-partner-request.ts';
import { authorizePartnerAccess } from '../../../domain/consent/authorize-partner-access.ts';
import { startDeviceAuthorization } from '../../../domain/consent/device-flow.ts';
import { recordPartnerAccess } from '../../../domain/consent/record-partner-access.ts';
import { AppError } from '../../../domain/errors.ts';
import { partnerDoctypes, partnerIssuers, partnerParameters } from '../../../domain/issuers/partner-meta.ts';
import type { IssuerServices } from '../../../wiring/issuers.ts';
import type { ConsentServices } from '../../../wiring/consent.ts';
import { limitBy } from '../../plugins/limits.ts';
import { ddmmyyyy } from '../../../oauth/token-response.ts';

const ErrorSchema = Type.Object({ error: Type.String(), error_description: Type.String() }, { additionalProperties: true });
const tags = ['partner API'];

export function bearerOf(req: FastifyRequest): string | null {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return m ? m[1]! : null;
}

const field = (body: unknown, k: string): unknown => (body && typeof body === 'object' ? (body as Record<string, unknown>)[k] : undefined);

export function registerPartnerApi(app: FastifyInstance, s: ConsentServices, issuers: IssuerServices, o: { perMinute?: number } = {}): void {
  const config = { citizenAuth: false } as const;
  const metaLimit = limitBy(s, { name: 'partner-meta-ip', max: 120, windowMs: 60_000 });
  const bearerLimit = limitBy(s, { name: 'partner-api-ip', max: o.perMinute ?? 600, windowMs: 60_000 });

  app.get(
    '/public/oauth2/1/user',
    {
      config,
      preHandler: bearerLimit,
      schema: {
        tags,
        summary: 'The citizen’s DigiLocker id, name, date of birth (DDMMYYYY), gender and whether eAadhaar is present',
        security: [{ bearer: [] }],
        response: {
          200: Type.Object({ digilockerid: Type.String(), name: Type.String(), dob: Type.String(), gender: Type.String(), eaadhaar: Type.String(), eaadhar: Type.String(), reference_key: Type.String() }),
          401: ErrorSchema,
        },
      },
    },
    async (req) => {
      const access = await authorizePartnerAccess(s, bearerOf(req));
      const account = await s.accounts.findById(access.accountId);
      if (!account) throw new AppError('unauthenticated', 'invalid_token', 'The access token is unknown, expired or revoked.');
      await recordPartnerAccess(s, access, { action: 'user_details', ip: req.ip, userAgent: req.headers['user-agent'] ?? null });
      const eaadhaar = account.aadhaarLinked ? 'Y' : 'N';
      // The spec spells the field both ways (`eaadhaar` required, `eaadhar` described): send both.
      return { digilockerid: account.id, name: account.name, dob: ddmmyyyy(account.dob), gender: account.gender, eaadhaar, eaadhar: eaadhaar, reference_key: access.consent.referenceKey };
    },
  );

  app.get(
    '/public/oauth2/1/consent/receipt',
    { config, preHandler: bearerLimit, schema: { tags, summary: 'The signed consent receipt (compact JWS) of the consent the access token is bound to', security: [{ bearer: [] }], response: { 401: ErrorSchema } } },
    async (req) => {
      const access = await authorizePartnerAccess(s, bearerOf(req));
      await recordPartnerAccess(s, access, { action: 'receipt', ip: req.ip, userAgent: req.headers['user-agent'] ?? null });
      const c = access.consent;
      return { consent_id: c.id, reference_key: c.referenceKey, valid_till: c.validTill, receipt: c.receipt, jwks_uri: `${s.issuer}/jwks` };
    },
  );

  app.post(
    '/public/oauth2/1/code',
    {
      config,
      schema: {
        tags,
        summary: 'Device flow: send an OTP to the citizen and get a device code',
        description: 'Body (JSON or form): client_id, response_type=device_code, dl_mobile or dl_username (a mobile number or DigiLocker id), optional consent_valid_till (UNIX seconds). The answer is the same whether or not the number has a locker.',
        response: { 200: Type.Object({ device_code: Type.String(), dl_masked_mobile: Type.String(), dl_masked_email: Type.String(), expires_in: Type.Integer() }), 400: ErrorSchema, 401: ErrorSchema, 429: ErrorSchema },
      },
    },
    async (req) =>
      startDeviceAuthorization(s, {
        clientId: field(req.body, 'client_id'),
        responseType: field(req.body, 'response_type'),
        dlMobile: field(req.body, 'dl_mobile'),
        dlUsername: field(req.body, 'dl_username'),
        consentValidTill: field(req.body, 'consent_valid_till'),
        ip: req.ip,
      }),
  );

  const meta = { config, preHandler: metaLimit } as const;
  const metaSchema = (summary: string) => ({ tags, summary, description: 'Form fields clientid, ts (UNIX seconds, within 30 minutes) and hmac = hex SHA-256(client_secret + clientid + ts).', response: { 400: ErrorSchema, 401: ErrorSchema } });
  app.post('/public/oauth2/1/pull/issuers', { ...meta, schema: metaSchema('Issuers a partner can pull from') }, async (req) => {
    await authenticatePartnerRequest(s, req.body as Record<string, unknown>);
    return partnerIssuers(issuers);
  });
  app.post('/public/oauth2/1/pull/doctype', { ...meta, schema: metaSchema('Doc types of an issuer (orgid)') }, async (req) => {
    await authenticatePartnerRequest(s, req.body as Record<string, unknown>);
    return partnerDoctypes(issuers, field(req.body, 'orgid'));
  });
  app.post('/public/oauth2/1/pull/parameters', { ...meta, schema: metaSchema('Search parameters of a doc type (orgid, doctype)') }, async (req) => {
    await authenticatePartnerRequest(s, req.body as Record<string, unknown>);
    return partnerParameters(issuers, field(req.body, 'orgid'), field(req.body, 'doctype'));
  });
}
