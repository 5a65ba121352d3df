/**
 * DigiLocker's error codes for talking to issuers (DIGILOCKER-APIS.md §8, §10), as
 * AppErrors with a sentence a citizen can act on. Pages translate by code (the Hindi
 * wording is in web/issuers/messages.ts); API clients branch on the code.
 */
import { AppError } from '../errors.ts';

export type IssuerErrorCode =
  | 'record_not_found'
  | 'repository_service_unresponsive'
  | 'repository_service_resperror'
  | 'repository_service_configerror'
  | 'repository_service_inactive'
  | 'invalid_uri'
  | 'invalid_orgid'
  | 'invalid_doctype'
  | 'parameter_missing';

export const issuerErrors = {
  /** Pull URI answered Status 0: no document matches what the citizen entered. */
  recordNotFound: (issuerName: string) =>
    new AppError('not_found', 'record_not_found', `${issuerName} has no document matching the details you entered. Check them against your original and try again.`),
  /** The issuer did not answer in time (after retries). */
  timeout: (issuerName: string) =>
    new AppError('timeout', 'repository_service_unresponsive', `${issuerName} did not answer in time. This is usually temporary: please try again in a few minutes.`),
  /** The issuer could not be reached, or the locker has stopped calling it for a while (circuit open). */
  unreachable: (issuerName: string, retryAfterSeconds?: number) =>
    new AppError('unavailable', 'repository_service_unresponsive', `${issuerName} cannot be reached right now. Please try again in a few minutes.`, retryAfterSeconds ? { retry_after: retryAfterSeconds } : undefined),
  /** The issuer answered, but not with a valid Issuer API response (5xx, bad XML, Status 0 on Pull Doc). */
  badResponse: (issuerName: string) =>
    new AppError('upstream', 'repository_service_resperror', `${issuerName} sent an answer the locker could not use. Please try again later; if it keeps happening, contact support.`),
  /** The issuer is listed but its endpoints or key are not set, or it refused our HMAC. */
  notConnected: (issuerName: string) =>
    new AppError('unavailable', 'repository_service_configerror', `${issuerName} is listed, but documents cannot be fetched from it through this locker yet.`),
  /** The operator disabled the issuer. */
  inactive: (issuerName: string) =>
    new AppError('unavailable', 'repository_service_inactive', `${issuerName} is not available on this locker at the moment.`),
  invalidUri: (why: string) => new AppError('invalid', 'invalid_uri', `That is not a document URI: ${why}`),
  unknownUri: () => new AppError('not_found', 'invalid_uri', 'No registered issuer and document type match this document URI.'),
  unknownIssuer: () => new AppError('not_found', 'invalid_orgid', 'No issuer with that id is registered.'),
  unknownDoctype: () => new AppError('not_found', 'invalid_doctype', 'The issuer does not issue that document type.'),
  parameterMissing: (label: string) => new AppError('invalid', 'parameter_missing', `Enter ${label}.`, { parameter: label }),
};
