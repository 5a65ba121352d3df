import type { Folder, Upload } from '../../../domain/uploads/ports.ts';
import type { Share } from '../../../domain/sharing/ports.ts';

export const presentUpload = (u: Upload) => ({
  id: u.id,
  name: u.name,
  doctype: u.doctype,
  size: u.size,
  mime: u.mime,
  sha256: u.sha256,
  folder: u.folderId,
  created_at: u.createdAt,
  updated_at: u.updatedAt,
});

export const presentFolder = (f: Folder) => ({ id: f.id, name: f.name, parent: f.parentId, created_at: f.createdAt, updated_at: f.updatedAt });

export function shareStatus(s: Share, now: Date): 'active' | 'expired' | 'used_up' | 'revoked' {
  if (s.revokedAt) return 'revoked';
  if (s.expiresAt <= now.toISOString()) return 'expired';
  if (s.maxViews !== null && s.views >= s.maxViews) return 'used_up';
  return 'active';
}

export const presentShare = (s: Share, now: Date) => ({
  id: s.id,
  source: s.source,
  upload_id: s.source === 'uploaded' ? s.ref : null,
  uri: s.source === 'issued' ? s.ref : null,
  name: s.docName,
  recipient: s.recipientEmail,
  created_at: s.createdAt,
  expires_at: s.expiresAt,
  revoked_at: s.revokedAt,
  status: shareStatus(s, now),
  views: s.views,
  max_views: s.maxViews,
  access_code: s.hasAccessCode,
  last_opened_at: s.lastOpenedAt,
});
