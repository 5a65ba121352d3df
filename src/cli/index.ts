/**
 * The `openlocker` command. Each subcommand lives in its own file and is added here;
 * every command has --help. Failures print one clear line and exit non-zero.
 */
import { registerPushCommands } from './push-commands.ts';
import { Command, CommanderError } from 'commander';
import { ConfigError, processEnv } from '../config/index.ts';
import { describeStartupFailure } from '../main.ts';
import { registerAccountsCommands } from './accounts-commands.ts';
import { registerAdminCommands } from './admin-commands.ts';
import { registerBackupCommands } from './backup-commands.ts';
import { registerBlobCommands } from './blob-commands.ts';
import { registerCoreCommands } from './core-commands.ts';
import { registerIssuerCommands } from './issuers-commands.ts';
import { registerPartnerCommands } from './partners-commands.ts';
import { registerSandboxCommands } from './sandbox-commands.ts';
import { registerVerificationCommands } from './verification-commands.ts';

/** Subcommand groups, in the order `--help` lists them. Later modules add theirs here. */
const COMMAND_GROUPS: Array<(program: Command) => void> = [
  registerCoreCommands,
  registerAdminCommands,
  registerAccountsCommands,
  registerIssuerCommands,
  registerPartnerCommands,
  // The sandbox group before verification: `sandbox issue` attaches to the existing `sandbox` command.
  registerSandboxCommands,
  registerVerificationCommands,
  registerBlobCommands,
  registerBackupCommands,
  registerPushCommands,
];

export function buildCli(): Command {
  const program = new Command()
    .name('openlocker')
    .description('OpenLocker: a self-hostable digital document locker compatible with DigiLocker APIs.\nSettings come from environment variables; see `openlocker config`.')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const group of COMMAND_GROUPS) group(program);
  return program;
}

/**
 * A file an operator named that cannot be used, as a sentence (Node's own message is
 * "ENOENT: no such file or directory, open '/x'"). Other errors: undefined.
 */
export function describeFileError(err: unknown): string | undefined {
  const e = err as NodeJS.ErrnoException & { path?: string };
  if (!e || typeof e.code !== 'string' || typeof e.path !== 'string') return undefined;
  const why: Record<string, string> = {
    ENOENT: 'was not found: no such file or directory (check the path)',
    EACCES: 'cannot be opened: permission denied',
    EPERM: 'cannot be opened: operation not permitted',
    EISDIR: 'is a directory, not a file',
    ENOTDIR: 'is not in a directory (a part of the path is a file)',
    EROFS: 'is on a read-only file system',
    ENOSPC: 'cannot be written: the disk is full',
    EEXIST: 'already exists',
  };
  return why[e.code] ? `openlocker: ${e.path} ${why[e.code]}.` : undefined;
}

export async function runCli(argv: string[]): Promise<void> {
  // `openlocker issuers list | head`: a closed pipe ends the output quietly, not with a stack trace.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  const program = buildCli();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode;
      return;
    }
    const message = describeStartupFailure(err) ?? (err instanceof ConfigError ? err.message : undefined) ?? describeFileError(err);
    if (message) {
      process.stderr.write(`${message}\n`);
    } else {
      process.stderr.write(`openlocker: ${(err as Error)?.message ?? String(err)}\n`);
      if (processEnv().DEBUG) process.stderr.write(`${(err as Error)?.stack}\n`);
    }
    process.exitCode = 1;
  }
}
