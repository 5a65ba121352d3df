/** TypeBox schema of a `CertificateDocument` sent as JSON (no photo). */
import { Type } from 'typebox';

const S = (max = 500) => Type.String({ maxLength: max });
const Date = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });

export const CertificateDocumentSchema = Type.Object(
  {
    uri: Type.String({ minLength: 8, maxLength: 200 }),
    issuer: Type.Object({ id: Type.String({ minLength: 2, maxLength: 100 }), name: S(200), nameHi: Type.Optional(S(200)), address: Type.Optional(S()) }, { additionalProperties: false }),
    doctype: Type.String({ pattern: '^[A-Z0-9]{5}$' }),
    title: S(200),
    titleHi: Type.Optional(S(200)),
    number: S(100),
    issuedOn: Date,
    validFrom: Type.Optional(Date),
    validUntil: Type.Optional(Date),
    status: Type.Union([Type.Literal('A'), Type.Literal('R'), Type.Literal('S')]),
    holder: Type.Object(
      {
        name: Type.String({ minLength: 1, maxLength: 200 }),
        nameHi: Type.Optional(S(200)),
        dob: Type.Optional(Date),
        gender: Type.Optional(Type.Union([Type.Literal('M'), Type.Literal('F'), Type.Literal('T')])),
        guardianName: Type.Optional(S(200)),
        address: Type.Optional(S()),
        uidLast4: Type.Optional(Type.String({ pattern: '^\\d{4}$' })),
      },
      { additionalProperties: false },
    ),
    fields: Type.Array(Type.Object({ key: Type.String({ maxLength: 40 }), label: S(200), labelHi: Type.Optional(S(200)), value: S(1000), inQr: Type.Optional(Type.Boolean()) }, { additionalProperties: false }), { maxItems: 60 }),
    tables: Type.Optional(Type.Array(Type.Object({ caption: S(200), columns: Type.Array(S(100), { maxItems: 12 }), rows: Type.Array(Type.Array(S(200), { maxItems: 12 }), { maxItems: 200 }) }, { additionalProperties: false }), { maxItems: 10 })),
    sandbox: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
