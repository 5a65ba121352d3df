/** TypeBox schemas of the accounts API; they validate requests and become the OpenAPI description. */
import { Type, type TSchema } from 'typebox';

export const ErrorBody = Type.Object(
  {
    error: Type.String({ description: 'Stable error code' }),
    error_description: Type.String({ description: 'What went wrong, in a sentence a person can act on' }),
  },
  { additionalProperties: true },
);

export function errors(...statuses: number[]): Record<number, TSchema> {
  return Object.fromEntries(statuses.map((s) => [s, ErrorBody]));
}

const Digits6 = (description: string) => Type.String({ minLength: 1, maxLength: 12, description });
const ChallengeId = Type.String({ minLength: 1, maxLength: 64, description: 'challenge_id from POST /api/v1/auth/otp' });

export const OtpRequestBody = Type.Object(
  {
    mobile: Type.String({ minLength: 1, maxLength: 32, description: 'Indian mobile number (10 digits, +91 optional)', examples: ['9876543210'] }),
    purpose: Type.Union([Type.Literal('signup'), Type.Literal('login'), Type.Literal('reset_pin')]),
  },
  { additionalProperties: false },
);

export const OtpIssued = Type.Object({
  challenge_id: Type.String(),
  expires_in: Type.Integer({ description: 'Seconds the code stays valid' }),
  resend_after: Type.Integer({ description: 'Seconds before a new code may be requested' }),
});

export const SignUpBody = Type.Object(
  {
    challenge_id: ChallengeId,
    otp: Digits6('The 6-digit code from the SMS'),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    dob: Type.String({ minLength: 1, maxLength: 10, description: 'YYYY-MM-DD' }),
    gender: Type.String({ minLength: 1, maxLength: 1, description: 'M, F or T' }),
    pin: Digits6('A new 6-digit security PIN (not trivially guessable)'),
    email: Type.Optional(Type.String({ maxLength: 254 })),
  },
  { additionalProperties: false },
);

export const SessionIssued = Type.Object({
  token: Type.String({ description: 'Bearer token for `Authorization: Bearer …` (also set as the ol_session cookie)' }),
  expires_in: Type.Integer({ description: 'Seconds until the absolute end of the session (inactivity ends it sooner)' }),
  account_id: Type.String(),
});

export const LoginBody = Type.Object(
  { challenge_id: ChallengeId, otp: Digits6('The 6-digit code from the SMS'), pin: Digits6('The 6-digit security PIN') },
  { additionalProperties: false },
);

export const ResetPinBody = Type.Object(
  { challenge_id: ChallengeId, otp: Digits6('The 6-digit code from the SMS'), new_pin: Digits6('The new 6-digit security PIN') },
  { additionalProperties: false },
);

export const ChangePinBody = Type.Object({ current_pin: Digits6('The current PIN'), new_pin: Digits6('The new PIN') }, { additionalProperties: false });

export const Me = Type.Object({
  account_id: Type.String(),
  name: Type.String(),
  dob: Type.String(),
  gender: Type.String(),
  mobile: Type.String({ description: 'Masked, e.g. +91 ******3210' }),
  email: Type.Union([Type.String(), Type.Null()]),
  email_verified: Type.Boolean(),
  aadhaar_linked: Type.Boolean(),
  must_change_pin: Type.Boolean(),
  created_at: Type.String(),
});

export const UpdateMeBody = Type.Object({ email: Type.Union([Type.String({ maxLength: 254 }), Type.Null()]) }, { additionalProperties: false });

export const AccountOtpBody = Type.Object({ purpose: Type.Literal('delete_account') }, { additionalProperties: false });

export const DeleteMeBody = Type.Object({ challenge_id: ChallengeId, otp: Digits6('The 6-digit code from the SMS') }, { additionalProperties: false });

export const MobileOtpBody = Type.Object({ new_mobile: Type.String({ minLength: 1, maxLength: 32 }) }, { additionalProperties: false });

export const MobileOtpIssued = Type.Object({
  challenge_id: Type.String({ description: 'Code sent to the current number' }),
  new_challenge_id: Type.String({ description: 'Code sent to the new number' }),
  expires_in: Type.Integer(),
  resend_after: Type.Integer(),
});

export const ChangeMobileBody = Type.Object(
  { challenge_id: ChallengeId, otp: Digits6('Code sent to the current number'), new_challenge_id: ChallengeId, new_otp: Digits6('Code sent to the new number') },
  { additionalProperties: false },
);

export const SessionView = Type.Object({
  session_id: Type.String(),
  current: Type.Boolean(),
  device: Type.String(),
  ip: Type.Union([Type.String(), Type.Null()]),
  created_at: Type.String(),
  last_seen_at: Type.String(),
  expires_at: Type.String(),
});

export const ActivityQuery = Type.Object(
  {
    type: Type.Optional(Type.String({ maxLength: 500, description: 'Event type, or several separated by commas' })),
    from: Type.Optional(Type.String({ maxLength: 40, description: 'From this day (YYYY-MM-DD, India time) or instant (ISO-8601), inclusive' })),
    to: Type.Optional(Type.String({ maxLength: 40, description: 'Up to this day (YYYY-MM-DD, India time, inclusive) or instant (ISO-8601, exclusive)' })),
    subject_kind: Type.Optional(Type.String({ maxLength: 64 })),
    subject_id: Type.Optional(Type.String({ maxLength: 300 })),
    cursor: Type.Optional(Type.String({ maxLength: 100 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  },
  { additionalProperties: false },
);

const Actor = Type.Object({ kind: Type.String(), id: Type.String(), name: Type.String() });
const Subject = Type.Union([Type.Object({ kind: Type.String(), id: Type.String(), name: Type.Union([Type.String(), Type.Null()]) }), Type.Null()]);

export const ActivityItem = Type.Object({
  seq: Type.Integer(),
  type: Type.String(),
  at: Type.String(),
  actor: Actor,
  ip: Type.Union([Type.String(), Type.Null()]),
  user_agent: Type.Union([Type.String(), Type.Null()]),
  subject: Subject,
  details: Type.Object({}, { additionalProperties: true }),
  prev_hash: Type.String(),
  hash: Type.String(),
});

export const ActivityPage = Type.Object({ items: Type.Array(ActivityItem), next_cursor: Type.Union([Type.String(), Type.Null()]) });

export const ChainReport = Type.Object({
  intact: Type.Boolean(),
  count: Type.Integer(),
  head: Type.Optional(Type.String()),
  first_broken: Type.Optional(Type.Object({ seq: Type.Integer(), reason: Type.String() })),
});
