/** Uploaded documents, folders and share links (migration 0310-uploads). */
import type { Generated } from 'kysely';

export interface UploadTables {
  /** A citizen's folders; `parent_id` null at the root. */
  upload_folders: {
    id: string;
    account_id: string;
    parent_id: string | null;
    name: string;
    created_at: string;
    updated_at: string;
  };
  /**
   * One row per uploaded document, written only after its blob is durable, in the same
   * transaction as the blob reference (owner `upload`/id): a listed upload is always readable.
   */
  uploads: {
    id: string;
    account_id: string;
    folder_id: string | null;
    /** Sanitised display name (no controls, no bidi overrides, no path), ≤ 200 chars. */
    name: string;
    doctype: string | null;
    mime: string;
    size: number;
    sha256: string;
    blob_key: string;
    created_at: string;
    updated_at: string;
  };
  /** Share links. The token itself is never stored: `token_hash` is its SHA-256 (hex). */
  shares: {
    id: string;
    account_id: string;
    token_hash: string;
    /** `issued` | `uploaded` (a DocumentSource kind). */
    source: string;
    ref: string;
    doc_name: string;
    sharer_name: string;
    recipient_email: string;
    /** HMAC-SHA256 of the access code (hex), or null. */
    access_code_hash: string | null;
    max_views: number | null;
    views: Generated<number>;
    created_at: string;
    expires_at: string;
    revoked_at: string | null;
    last_opened_at: string | null;
  };
  /** Opens of share links not yet reported to the citizen (batched notices). */
  share_opens: {
    id: Generated<number>;
    share_id: string;
    account_id: string;
    at: string;
    notified_at: string | null;
  };
}
