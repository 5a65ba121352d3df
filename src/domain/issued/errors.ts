/**
 * The issued module's own error codes, beside DigiLocker's issuer codes
 * (domain/issuers/errors.ts). Pages translate by code (web/issued/messages.ts).
 */
import { AppError } from '../errors.ts';

export const issuedErrors = {
  notFound: () => new AppError('not_found', 'not_found', 'No such document in your locker.'),
  formatUnavailable: (name: string) => new AppError('not_found', 'format_unavailable', `${name} is not available in that format. Open the PDF instead.`),
  /** `fields`: a sentence per parameter; `field_codes`: why, as a code per parameter (required, too_long, not_in_list, pattern). */
  invalidParameters: (fields: Record<string, string>, codes: Record<string, string> = {}) =>
    new AppError('invalid', 'invalid_parameter', `Check these details: ${Object.values(fields).join(' ')}`, { fields, field_codes: codes }),
  // Never the name on the document: whoever types another person's roll or registration
  // number must learn nothing about its holder (not even the name, as the date of birth).
  nameMismatch: (inProfile: string) =>
    new AppError(
      'conflict',
      'name_mismatch',
      `The name on this document does not match the name in your locker (${inProfile}). Documents are added only for their holder. If this is your document, ask the issuer to correct the name, or link Aadhaar so your verified name is used.`,
    ),
  dobMismatch: () =>
    new AppError('conflict', 'dob_mismatch', 'The date of birth on this document does not match the one in your locker. Documents are added only for their holder.'),
  aadhaarRequired: () => new AppError('forbidden', 'aadhaar_required', 'Link your Aadhaar first: this document is fetched with your Aadhaar-verified name and date of birth.'),
};
