/**
 * The verification module: issuer keys and the key log in public, the verify API and
 * page, the VC API, and the operators' key administration. Multipart parsing is
 * registered only inside this module's scope.
 */
import multipart from '@fastify/multipart';
import type { AppModule } from '../../../modules.ts';
import type { KeyDirectory } from '../../../domain/verification/ports.ts';
import { verificationDeps } from '../../../compose/verification.ts';
import { registerVerifyPages } from '../../../web/verification/routes.ts';
import { registerKeysApi } from './keys-api.ts';
import { registerVcApi } from './vc-api.ts';
import { registerVerifyApi } from './verify-api.ts';

export interface VerificationModuleOptions {
  /** Replace the key directory the verifier consults (tests: an unreachable one). */
  directory?: KeyDirectory;
}

export function verificationModule(options: VerificationModuleOptions = {}): AppModule {
  return {
    name: 'verification',
    async register(app, deps) {
      const v = verificationDeps(deps);
      const verifier = { directory: options.directory ?? v.keys, now: () => deps.clock.now() };
      const web = { supportEmail: deps.config.supportEmail, sandbox: deps.config.sandbox };
      await app.register(async (scope) => {
        await scope.register(multipart, { limits: { fileSize: deps.config.uploadMaxBytes, files: 1, fields: 4 } });
        registerVerifyApi(scope, deps, verifier);
        registerVerifyPages(scope, deps, verifier, web);
      });
      registerKeysApi(app, deps, v);
      registerVcApi(app, deps, v, verifier);
    },
  };
}
