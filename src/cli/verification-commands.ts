/**
 * `openlocker keys …` (issuer keys and the key log), `openlocker verify FILE` (the CLI
 * twin of the verify page; offline with --key-log) and `openlocker sandbox issue`
 * (a signed sample document of any sandbox document type). The work is in
 * verification-actions.ts, loaded only when one of these commands runs.
 */
import { Command, Option } from 'commander';
import { SANDBOX_ISSUERS } from '../sandbox/samples/documents.ts';

const actions = () => import('./verification-actions.ts');

export function registerKeysCommands(program: Command): void {
  const keys = program.command('keys').description('Issuer signing keys and the public key log.');
  keys
    .command('list [issuer]')
    .description('List issuer keys with their status (all issuers, or one).')
    .action(async (issuer?: string) => (await actions()).listKeys(issuer));
  keys
    .command('rotate <issuer>')
    .description("Replace a sandbox issuer's signing keys; documents signed before stay valid.")
    .action(async (issuer: string) => (await actions()).rotateKeys(issuer));
  keys
    .command('revoke <kid>')
    .description('Revoke a key: every document it signed then verifies as "revoked".')
    .requiredOption('--reason <text>', 'why (e.g. key compromise)')
    // Key ids are base64url: one in 32 starts with "-", which must still be read as the id.
    .allowUnknownOption()
    .action(async (kid: string, opts: { reason: string }) => (await actions()).revokeKey(kid, opts.reason));
  keys
    .command('log')
    .description('Print the key log as JSON lines (usable offline with `verify --key-log`), and check its hash chain.')
    .option('--check', 'only check the chain and print its head')
    .action(async (opts: { check?: boolean }) => (await actions()).printKeyLog(Boolean(opts.check)));
  keys
    .command('sandbox-root')
    .description('Print the sandbox root CA certificate (PEM), to trust in pdfsig/openssl.')
    .action(async () => (await actions()).printSandboxRoot());
}

export function registerVerifyCommand(program: Command): void {
  program
    .command('verify [file]')
    .description('Verify a signed PDF, a photo of a QR code, a certificate XML, QR text (--qr) or an SD-JWT credential (--credential). Exit 0 valid, 2 tampered/revoked/unknown issuer, 3 undetermined.')
    .option('--qr <text>', 'verify QR text instead of a file')
    .option('--credential <sd-jwt>', 'verify an SD-JWT credential instead of a file')
    .option('--key-log <url-or-file>', "verify offline against a locker's key log (https://…/keys/log, or the output of `openlocker keys log`)")
    .option('--json', 'print the answer as JSON')
    .action(async (file: string | undefined, opts: { qr?: string; credential?: string; keyLog?: string; json?: boolean }) => (await actions()).verify(file, opts));
}

/** Adds `issue` to the `sandbox` command group, creating the group if no other module has. */
export function registerSandboxIssueCommand(program: Command): void {
  const sandbox = program.commands.find((c) => c.name() === 'sandbox') ?? program.command('sandbox').description('The sandbox issuers.');
  const pairs = SANDBOX_ISSUERS.flatMap((i) => Object.keys(i.doctypes).map((d) => `${i.id}:${d}`));
  sandbox
    .command('issue')
    .description(`Write a signed sample document (synthetic sandbox data). Issuers and document types: ${pairs.join(', ')}.`)
    .requiredOption('--issuer <id>', 'sandbox issuer id, e.g. in.gov.cbse')
    .requiredOption('--doctype <code>', 'document type, e.g. HSCER')
    .option('--out <file.pdf>', 'where to write the signed PDF', 'document.pdf')
    .option('--xml <file.xml>', 'also write the signed certificate XML')
    .option('--qr-png <file.png>', 'also write the QR code as a PNG')
    .addOption(new Option('--vc <format>', 'also write the document as a Verifiable Credential').choices(['sd-jwt', 'ldp']))
    .option('--vc-out <file>', 'where to write the credential', 'credential.txt')
    .option('--seed <text>', 'the same seed gives the same person and numbers')
    .action(async (opts: Parameters<Awaited<ReturnType<typeof actions>>['issueSample']>[0]) => (await actions()).issueSample(opts, pairs));
}

export function registerVerificationCommands(program: Command): void {
  registerKeysCommands(program);
  registerVerifyCommand(program);
  registerSandboxIssueCommand(program);
}
