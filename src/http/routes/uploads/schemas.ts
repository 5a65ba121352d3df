/** TypeBox schemas of the uploads, folders and shares APIs (validation + OpenAPI). */
import { Type } from 'typebox';

export { errors } from '../accounts/schemas.ts';

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const UploadItem = Type.Object({
  id: Type.String(),
  name: Type.String({ description: 'Display name (sanitised: no control or bidi characters, no path, ≤ 200 chars)' }),
  doctype: Nullable(Type.String({ description: 'Document type code from GET /api/v1/uploads/doctypes, or OTHER' })),
  size: Type.Integer({ description: 'Bytes' }),
  mime: Type.String({ description: 'application/pdf, image/jpeg or image/png — decided from the content' }),
  sha256: Type.String({ description: 'SHA-256 of the content, hex' }),
  folder: Nullable(Type.String({ description: 'Containing folder id; null at the root' })),
  created_at: Type.String(),
  updated_at: Type.String(),
});

export const UploadCreated = Type.Intersect([
  UploadItem,
  Type.Object({ duplicate_of: Type.Optional(Type.Array(Type.Object({ id: Type.String(), name: Type.String() }), { description: 'Earlier uploads with the same content' })) }),
]);

export const UploadList = Type.Object({
  items: Type.Array(UploadItem),
  used_bytes: Type.Integer(),
  quota_bytes: Type.Integer(),
});

export const UploadPatchBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })),
    doctype: Type.Optional(Type.Union([Type.String({ maxLength: 16 }), Type.Null()])),
    folder: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])),
  },
  { additionalProperties: false },
);

export const UploadQuery = Type.Object({ folder: Type.Optional(Type.String({ maxLength: 64, description: 'Only this folder\'s direct children ("root" for the top level)' })) }, { additionalProperties: false });
export const FileQuery = Type.Object({ download: Type.Optional(Type.String({ maxLength: 5, description: '1: as an attachment (download); otherwise inline' })) }, { additionalProperties: false });
export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

export const FolderItem = Type.Object({ id: Type.String(), name: Type.String(), parent: Nullable(Type.String()), created_at: Type.String(), updated_at: Type.String() });
export const FolderList = Type.Object({ items: Type.Array(FolderItem) });
export const FolderBody = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 1000 }), parent: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])) },
  { additionalProperties: false },
);
export const FolderPatchBody = Type.Object(
  { name: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })), parent: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])) },
  { additionalProperties: false },
);

export const DoctypeList = Type.Object({ items: Type.Array(Type.Object({ code: Type.String(), name: Type.String() })) });

export const ShareBody = Type.Object(
  {
    upload_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'An uploaded document' })),
    uri: Type.Optional(Type.String({ minLength: 1, maxLength: 300, description: 'An issued document (IssuerId-DocType-DocId)' })),
    email: Type.String({ minLength: 1, maxLength: 254, description: 'Who receives the link' }),
    expires_in_days: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650, description: 'Default 7' })),
    access_code: Type.Optional(Type.String({ maxLength: 64, description: '4–32 letters or digits; never emailed — pass it on yourself' })),
    max_views: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  },
  { additionalProperties: false },
);
export const ShareCreated = Type.Object({ id: Type.String(), expires_at: Type.String() });
export const ShareItem = Type.Object({
  id: Type.String(),
  source: Type.String({ description: 'issued or uploaded' }),
  upload_id: Nullable(Type.String()),
  uri: Nullable(Type.String()),
  name: Type.String(),
  recipient: Type.String(),
  created_at: Type.String(),
  expires_at: Type.String(),
  revoked_at: Nullable(Type.String()),
  status: Type.String({ description: 'active, expired, used_up or revoked' }),
  views: Type.Integer(),
  max_views: Type.Union([Type.Integer(), Type.Null()]),
  access_code: Type.Boolean(),
  last_opened_at: Nullable(Type.String()),
});
export const ShareList = Type.Object({ items: Type.Array(ShareItem) });
export const SharePatchBody = Type.Object({ expires_in_days: Type.Integer({ minimum: 1, maximum: 3650 }) }, { additionalProperties: false });
