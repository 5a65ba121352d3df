/**
 * Wire schemas of the issuer APIs (TypeBox → validation and OpenAPI). Responses are
 * serialised through these, so a field not listed here (an endpoint URL on a public route,
 * a sealed key anywhere) cannot leak by accident.
 */
import { Type } from 'typebox';
import { CATEGORIES, HMAC_ENCODINGS, PROFILE_FIELDS } from '../../../domain/issuers/model.ts';

const lit = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));

export const CategorySchema = lit(CATEGORIES);
export const ErrorSchema = Type.Object({ error: Type.String(), error_description: Type.String() }, { additionalProperties: true });

export const ParameterSchema = Type.Object({
  name: Type.String({ description: 'Element name sent in the Pull URI request, as the issuer configured it.' }),
  label: Type.String(),
  example: Type.Optional(Type.String()),
  pattern: Type.Optional(Type.String({ description: 'The whole value must match (HTML pattern semantics).' })),
  values: Type.Optional(Type.Array(Type.Object({ value: Type.String(), label: Type.String() }), { description: 'Allowed values.' })),
});

export const DoctypeSchema = Type.Object({
  code: Type.String({ description: "DigiLocker's document type code, e.g. HSCER." }),
  name: Type.String(),
  formats: Type.Array(lit(['pdf', 'xml'] as const)),
  parameters: Type.Array(ParameterSchema),
  profile_fields: Type.Array(lit(PROFILE_FIELDS), { description: 'Verified profile facts the locker sends with the search (not typed by the citizen).' }),
});

export const IssuerSummarySchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  category: CategorySchema,
  scope: lit(['central', 'state'] as const),
  state: Type.Union([Type.String(), Type.Null()]),
  connected: Type.Boolean({ description: 'Documents can be fetched from this issuer through this locker now.' }),
  doctype_count: Type.Integer(),
});

export const PublicIssuerSchema = Type.Object({
  ...IssuerSummarySchema.properties,
  description: Type.Union([Type.String(), Type.Null()]),
  doctypes: Type.Array(DoctypeSchema),
});

export const PageQuery = Type.Object({
  category: Type.Optional(CategorySchema),
  q: Type.Optional(Type.String({ maxLength: 100, description: 'Words matched against issuer names, ids, states and document type names.' })),
  connected: Type.Optional(Type.Boolean({ description: 'Only issuers connected to this locker.' })),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, default: 1 })),
  per_page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
});

export const IssuerPageSchema = Type.Object({ items: Type.Array(IssuerSummarySchema), page: Type.Integer(), per_page: Type.Integer(), total: Type.Integer() });

export const IdParams = Type.Object({ id: Type.String({ maxLength: 100 }) });

// ---- admin -----------------------------------------------------------------------------

const AdminParameterInput = Type.Object(
  {
    name: Type.String({ maxLength: 64 }),
    label: Type.String({ maxLength: 100 }),
    example: Type.Optional(Type.String({ maxLength: 100 })),
    pattern: Type.Optional(Type.String({ maxLength: 200 })),
    values: Type.Optional(Type.Array(Type.Union([Type.String({ maxLength: 100 }), Type.Object({ value: Type.String({ maxLength: 100 }), label: Type.Optional(Type.String({ maxLength: 100 })) })]), { maxItems: 100 })),
  },
  { additionalProperties: false },
);

export const AdminIssuerInput = Type.Object(
  {
    id: Type.String({ maxLength: 100, description: 'Reverse-domain issuer id, e.g. in.gov.cbse.' }),
    name: Type.String({ maxLength: 200 }),
    category: CategorySchema,
    scope: Type.Optional(lit(['central', 'state'] as const)),
    state: Type.Optional(Type.Union([Type.String({ maxLength: 80 }), Type.Null()])),
    description: Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Null()])),
    status: Type.Optional(lit(['active', 'disabled'] as const)),
    org_id: Type.Optional(Type.Union([Type.String({ maxLength: 100 }), Type.Null()])),
    pull_uri_url: Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Null()])),
    pull_doc_url: Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Null()])),
    hmac_key: Type.Optional(Type.String({ maxLength: 256, description: 'The API key the issuer verifies x-digilocker-hmac with. Stored sealed; never returned. Omit on update to keep the stored key.' })),
    hmac_encoding: Type.Optional(lit(HMAC_ENCODINGS)),
    timeout_ms: Type.Optional(Type.Union([Type.Integer({ minimum: 100, maximum: 120_000 }), Type.Null()])),
    doctypes: Type.Array(
      Type.Object(
        {
          code: Type.String({ maxLength: 6 }),
          name: Type.String({ maxLength: 200 }),
          formats: Type.Optional(Type.Array(lit(['pdf', 'xml'] as const), { minItems: 1, maxItems: 2 })),
          parameters: Type.Optional(Type.Array(AdminParameterInput, { maxItems: 20 })),
          profile_fields: Type.Optional(Type.Array(lit(PROFILE_FIELDS), { maxItems: 5 })),
          pull_uri_url: Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Null()])),
          pull_doc_url: Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Null()])),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 200 },
    ),
  },
  { additionalProperties: false },
);

const AdminDoctypeSchema = Type.Object({
  ...DoctypeSchema.properties,
  pull_uri_url: Type.Union([Type.String(), Type.Null()]),
  pull_doc_url: Type.Union([Type.String(), Type.Null()]),
});

export const AdminIssuerSchema = Type.Object({
  ...IssuerSummarySchema.properties,
  description: Type.Union([Type.String(), Type.Null()]),
  status: lit(['active', 'disabled'] as const),
  source: lit(['directory', 'admin', 'sandbox'] as const),
  org_id: Type.Union([Type.String(), Type.Null()]),
  pull_uri_url: Type.Union([Type.String(), Type.Null()]),
  pull_doc_url: Type.Union([Type.String(), Type.Null()]),
  hmac_key_set: Type.Boolean(),
  hmac_key_hint: Type.Union([Type.String(), Type.Null()], { description: 'The last four characters, to recognise the key; the key itself is never returned.' }),
  hmac_encoding: lit(HMAC_ENCODINGS),
  timeout_ms: Type.Union([Type.Integer(), Type.Null()]),
  created_at: Type.String(),
  updated_at: Type.String(),
  doctypes: Type.Optional(Type.Array(AdminDoctypeSchema)),
});

export const AdminListQuery = Type.Object({
  ...PageQuery.properties,
  status: Type.Optional(lit(['active', 'disabled'] as const)),
});

export const AdminIssuerPageSchema = Type.Object({ items: Type.Array(Type.Object({ ...IssuerSummarySchema.properties, status: lit(['active', 'disabled'] as const), source: lit(['directory', 'admin', 'sandbox'] as const) })), page: Type.Integer(), per_page: Type.Integer(), total: Type.Integer() });
