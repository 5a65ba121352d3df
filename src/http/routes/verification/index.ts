/**
 * The verification module: issuer keys and the key log in public, the verify API and
 * page, the VC API, and the operators' key administration. Its routes (and their heavy
 * libraries: PDF, CMS, JSON-LD, WebAssembly QR reader) load when the app is built, not
 * when any CLI command merely imports the module list.
 */
import type { AppModule } from '../../../modules.ts';
import type { KeyDirectory } from '../../../domain/verification/ports.ts';

export interface VerificationModuleOptions {
  /** Replace the key directory the verifier consults (tests: an unreachable one). */
  directory?: KeyDirectory;
}

export function verificationModule(options: VerificationModuleOptions = {}): AppModule {
  return {
    name: 'verification',
    async register(app, deps) {
      const { registerVerification } = await import('./register.ts');
      await registerVerification(app, deps, options);
    },
  };
}
