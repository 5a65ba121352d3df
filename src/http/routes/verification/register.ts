/**
 * Registers the verification module's routes (see index.ts). Multipart parsing is
 * registered only inside this module's scope.
 */
import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../../deps.ts';
import { verificationDeps } from '../../../compose/verification.ts';
import { fileVerifierThreads } from '../../../domain/verification/file-verifier-threads.ts';
import { registerVerifyPages } from '../../../web/verification/routes.ts';
import { registerKeysApi } from './keys-api.ts';
import { registerVcApi } from './vc-api.ts';
import type { VerificationModuleOptions } from './index.ts';
import { registerVerifyApi } from './verify-api.ts';

export async function registerVerification(app: FastifyInstance, deps: AppDeps, options: VerificationModuleOptions): Promise<void> {
  const v = verificationDeps(deps);
  const verifier = { directory: options.directory ?? v.keys, now: () => deps.clock.now() };
  const web = { supportEmail: deps.config.supportEmail, sandbox: deps.config.sandbox };
  // Uploaded files are checked in worker threads, off the event loop (see file-verifier-threads.ts).
  const threads = fileVerifierThreads();
  app.addHook('onClose', () => threads.close());
  const verifyFile = (file: Buffer) => threads.verify(verifier, file);
  await app.register(async (scope) => {
    await scope.register(multipart, { limits: { fileSize: deps.config.uploadMaxBytes, files: 1, fields: 4 } });
    registerVerifyApi(scope, deps, verifier, verifyFile);
    registerVerifyPages(scope, deps, verifier, web, verifyFile);
  });
  registerKeysApi(app, deps, v);
  registerVcApi(app, deps, v, verifier);
}
