/**
 * Composition of the uploads and sharing module: repositories on the SQL store, the
 * `uploaded` document source, dashboard cards, the APIs (`/api/v1/uploads`, `/folders`,
 * `/shares`, `/activity/export`), the pages (`/uploaded`, `/shared`, public `/s/{token}`)
 * and the sweeper that batches share-open notices.
 */
import { repeatWhileServing } from '../jobs/repeat.ts';
import multipart from '@fastify/multipart';
import type { AppDeps } from '../deps.ts';
import { notifyShareOpens } from '../domain/sharing/notify-share-opens.ts';
import type { ShareDeps } from '../domain/sharing/ports.ts';
import type { UploadDeps } from '../domain/uploads/ports.ts';
import { uploadedSource } from '../domain/uploads/source.ts';
import { registerActivityExport } from '../http/routes/uploads/activity-export.ts';
import { registerShareApi } from '../http/routes/uploads/shares-api.ts';
import { registerUploadApi } from '../http/routes/uploads/uploads-api.ts';
import type { AppModule } from '../modules.ts';
import { sqlAccounts } from '../storage/sql/repositories/accounts.ts';
import { sqlShares } from '../storage/sql/repositories/shares.ts';
import { sqlIssuerRegistry } from '../storage/sql/repositories/issuer-registry.ts';
import { sqlDoctypeCatalogue, sqlUploads } from '../storage/sql/repositories/uploads.ts';
import { registerUploadCards } from '../web/uploads/cards.ts';
import { registerUploadPages } from '../web/uploads/routes.ts';

export interface UploadServices {
  uploads: UploadDeps;
  shares: ShareDeps;
}

export function uploadServices(deps: AppDeps): UploadServices {
  const { config } = deps;
  const registry = sqlIssuerRegistry(deps.sql);
  const uploads: UploadDeps = {
    uploads: sqlUploads(deps.sql, { blobs: deps.blobs, clock: deps.clock }),
    blobs: deps.blobs,
    blobRefs: deps.blobRefs,
    activity: deps.activity,
    clock: deps.clock,
    catalogue: sqlDoctypeCatalogue(deps.sql, 60_000, registry.localChanges),
    policy: { maxBytes: config.uploadMaxBytes, quotaBytes: config.quotaBytes },
  };
  const shares: ShareDeps = {
    shares: sqlShares(deps.sql),
    documents: deps.documents,
    activity: deps.activity,
    email: deps.email,
    sms: deps.sms,
    counters: deps.counters,
    clock: deps.clock,
    codeKey: deps.masterKey.derive('share-access-codes'),
    accounts: sqlAccounts(deps.sql),
    policy: {
      publicUrl: config.publicUrl.replace(/\/$/, ''),
      serviceName: 'OpenLocker',
      defaultExpiryDays: Math.min(config.shareDefaultDays, config.shareMaxDays),
      maxExpiryDays: config.shareMaxDays,
      noticeIntervalMs: config.shareNoticeMinutes * 60_000,
      linkOpensPerMinute: config.shareLinkPerMinute,
    },
  };
  // Deleting a document stops its links at once (they would fail anyway; now the Shared list says so).
  uploads.onDeleted = async (accountId, uploadId) => {
    await shares.shares.revokeForDocument(accountId, 'uploaded', uploadId, deps.clock.now().toISOString());
  };
  return { uploads, shares };
}

const SWEEP_EVERY_MS = 60_000;

export const uploadsModule: AppModule = {
  name: 'uploads',
  sections: ['/uploaded', '/shared'],
  async register(app, deps) {
    const s = uploadServices(deps);
    deps.documents.register(uploadedSource(s.uploads));
    registerUploadCards(deps.dashboardCards, s);
    const web = { supportEmail: deps.config.supportEmail, sandbox: deps.config.sandbox };
    await app.register(async (scope) => {
      // +1: the blob store's own limit (exactly UPLOAD_MAX_BYTES) decides, with a precise error.
      await scope.register(multipart, { limits: { fileSize: deps.config.uploadMaxBytes + 1, files: 1, fields: 6, fieldSize: 4096, parts: 8 } });
      registerUploadApi(scope, s.uploads);
      registerUploadPages(scope, s, web);
    });
    registerShareApi(app, s.shares);
    deps.accountErasers.register({
      name: 'uploads',
      erase: async (accountId) => {
        await s.shares.shares.eraseAccount(accountId);
        await s.uploads.uploads.eraseAccount(accountId);
      },
    });
    registerActivityExport(app, deps);

    repeatWhileServing(app, SWEEP_EVERY_MS, 'share-open notices', async () => {
      const r = await notifyShareOpens(s.shares);
      if (r.sent || r.failed) app.log.info({ notices: r }, 'share-open notices');
    });
  },
};
