/**
 * The locker's feature modules, in registration order. Each adds its routes (API and
 * pages) to the app; a new capability is a new entry here, nothing else changes.
 */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from './deps.ts';
import { accountsModule } from './http/routes/accounts/index.ts';
import { consentModule } from './http/routes/consent/index.ts';
import { issuersModule } from './wiring/issuers.ts';
import { issuedModule } from './wiring/issued.ts';
import { verificationModule } from './http/routes/verification/index.ts';
import { uploadsModule } from './wiring/uploads.ts';

export interface AppModule {
  name: string;
  /** Paths of locker sections (`/issued`, …) whose pages this module serves. */
  sections?: string[];
  register(app: FastifyInstance, deps: AppDeps): Promise<void> | void;
}

export const MODULES: AppModule[] = [accountsModule, issuersModule, verificationModule(), consentModule, issuedModule, uploadsModule];
