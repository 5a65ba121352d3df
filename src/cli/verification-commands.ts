/**
 * `openlocker keys …` (issuer keys and the key log), `openlocker verify FILE` (the CLI
 * twin of the verify page; offline with --key-log) and `openlocker sandbox issue`
 * (a signed sample document of any sandbox document type).
 */
import fs from 'node:fs';
import { Command, Option } from 'commander';
import { loadConfig, processEnv } from '../config/index.ts';
import { verificationDeps } from '../compose/verification.ts';
import { closeDeps, openDeps, type AppDeps } from '../deps.ts';
import { derToPem } from '../crypto/signing/x509.ts';
import { qrPng } from '../crypto/qr-code.ts';
import { checkKeyLogChain } from '../domain/verification/key-log.ts';
import { issueDocumentCredential } from '../domain/verification/issue-credential.ts';
import { issueSignedDocument } from '../domain/verification/issue-signed-document.ts';
import { revokeIssuerKey, rotateIssuerKeys, SANDBOX_ROOT_ID } from '../domain/verification/issuer-keys.ts';
import type { KeyDirectory } from '../domain/verification/ports.ts';
import { verifyUpload } from '../domain/verification/verify-upload.ts';
import { verifyQrText } from '../domain/verification/verify-qr.ts';
import type { VerifyResult } from '../domain/verification/verify-result.ts';
import { verifySdJwtCredential } from '../domain/verification/verify-credential.ts';
import { keyLogDirectory } from '../integrations/key-log-client.ts';
import { presentKey } from '../http/routes/verification/keys-api.ts';
import { SANDBOX_ISSUERS, sampleDocument } from '../sandbox/samples/documents.ts';

async function withDeps<T>(fn: (deps: AppDeps) => Promise<T>): Promise<T> {
  const { config } = loadConfig(processEnv());
  const deps = await openDeps(config);
  try {
    return await fn(deps);
  } finally {
    await closeDeps(deps);
  }
}

// `openlocker verify x.pdf | head` closes stdout early; that is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') throw err;
});
const out = (s: string): void => void process.stdout.write(s.endsWith('\n') ? s : `${s}\n`);

/** Exit codes of `verify`: 0 valid; 2 tampered, revoked or unknown issuer; 3 undetermined. */
export const VERIFY_EXIT: Record<VerifyResult['status'], number> = { valid: 0, tampered: 2, revoked: 2, unknown_issuer: 2, undetermined: 3 };

function printResult(r: VerifyResult, json: boolean): void {
  if (json) {
    out(JSON.stringify(r, null, 2));
    return;
  }
  out(`status: ${r.status}`);
  if (r.issuer_id) out(`issuer: ${r.issuer_name ?? ''} (${r.issuer_id})`);
  if (r.signed_at) out(`signed at: ${r.signed_at}`);
  if (r.key_id) out(`key: ${r.key_id}`);
  for (const c of r.checks) out(`  [${c.result}] ${c.id}: ${c.detail}`);
  for (const [k, v] of Object.entries(r.fields)) out(`  ${k}: ${v}`);
}

export function registerKeysCommands(program: Command): void {
  const keys = program.command('keys').description('Issuer signing keys and the public key log.');
  keys
    .command('list [issuer]')
    .description('List issuer keys with their status (all issuers, or one).')
    .action((issuer?: string) =>
      withDeps(async (deps) => {
        const v = verificationDeps(deps);
        for (const id of issuer ? [issuer] : await v.keys.listIssuers()) {
          for (const k of await v.keys.listForIssuer(id)) {
            const p = presentKey(k);
            out(`${p.issuer_id}\t${p.kid}\t${p.kind}\t${p.alg}\t${p.status}\tfrom ${p.valid_from}${p.valid_until ? ` until ${p.valid_until}` : ''}${p.revoked_at ? ` revoked ${p.revoked_at} (${p.revocation_reason})` : ''}`);
          }
        }
      }),
    );
  keys
    .command('rotate <issuer>')
    .description("Replace a sandbox issuer's signing keys; documents signed before stay valid.")
    .action((issuer: string) =>
      withDeps(async (deps) => {
        const r = await rotateIssuerKeys(verificationDeps(deps), issuer);
        out(`rotated ${issuer}: retired ${r.retired.join(', ') || '(none)'}; new ${r.added.join(', ')}`);
      }),
    );
  keys
    .command('revoke <kid>')
    .description('Revoke a key: every document it signed then verifies as "revoked".')
    .requiredOption('--reason <text>', 'why (e.g. key compromise)')
    .action((kid: string, opts: { reason: string }) =>
      withDeps(async (deps) => {
        const k = await revokeIssuerKey(verificationDeps(deps), kid, opts.reason);
        out(`revoked ${k.kid} of ${k.issuerId} at ${k.revokedAt?.toISOString()}`);
      }),
    );
  keys
    .command('log')
    .description('Print the key log as JSON lines, and check its hash chain.')
    .option('--check', 'only check the chain and print its head')
    .action((opts: { check?: boolean }) =>
      withDeps(async (deps) => {
        const records = await verificationDeps(deps).keys.readLog(0, 1_000_000);
        const chain = checkKeyLogChain(records);
        if (!opts.check) for (const r of records) out(JSON.stringify({ ...r.entry, hash: r.hash }));
        if (!chain.ok) throw new Error(`the key log's chain is broken at entry ${chain.brokenAt}: ${chain.reason}`);
        process.stderr.write(`key log: ${chain.length} entries, head ${chain.head}\n`);
      }),
    );
  keys
    .command('sandbox-root')
    .description('Print the sandbox root CA certificate (PEM), to trust in pdfsig/openssl.')
    .action(() =>
      withDeps(async (deps) => {
        const a = await verificationDeps(deps).keys.getAnchor(SANDBOX_ROOT_ID);
        if (!a) throw new Error('no sandbox document has been issued yet, so there is no sandbox root CA');
        out(derToPem(a.certificate));
      }),
    );
}

export function registerVerifyCommand(program: Command): void {
  program
    .command('verify [file]')
    .description('Verify a signed PDF, a photo of a QR code, a certificate XML, QR text (--qr) or an SD-JWT credential (--credential). Exit 0 valid, 2 tampered/revoked/unknown issuer, 3 undetermined.')
    .option('--qr <text>', 'verify QR text instead of a file')
    .option('--credential <sd-jwt>', 'verify an SD-JWT credential instead of a file')
    .option('--key-log <url-or-file>', "verify offline against a locker's key log (e.g. https://locker.example/keys/log, or a saved copy)")
    .option('--json', 'print the answer as JSON')
    .action(async (file: string | undefined, opts: { qr?: string; credential?: string; keyLog?: string; json?: boolean }) => {
      const run = async (directory: KeyDirectory) => {
        const verifier = { directory, now: () => new Date() };
        if (opts.qr) return verifyQrText(verifier, opts.qr);
        if (opts.credential) return verifySdJwtCredential(verifier, opts.credential);
        if (!file) throw new Error('name a FILE, or give --qr or --credential');
        return verifyUpload(verifier, fs.readFileSync(file));
      };
      const r = opts.keyLog ? await run(keyLogDirectory(opts.keyLog)) : await withDeps((deps) => run(verificationDeps(deps).keys));
      printResult(r, Boolean(opts.json));
      process.exitCode = VERIFY_EXIT[r.status];
    });
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
    .action((opts: { issuer: string; doctype: string; out: string; xml?: string; qrPng?: string; vc?: 'sd-jwt' | 'ldp'; vcOut: string; seed?: string }) =>
      withDeps(async (deps) => {
        let doc;
        try {
          doc = sampleDocument(opts.issuer, opts.doctype, opts.seed ? { seed: opts.seed } : {});
        } catch {
          throw new Error(`unknown sandbox issuer/document type ${opts.issuer} ${opts.doctype}; choose one of ${pairs.join(', ')}`);
        }
        const v = verificationDeps(deps);
        const signed = await issueSignedDocument(v, doc);
        fs.writeFileSync(opts.out, signed.pdf);
        if (opts.xml) fs.writeFileSync(opts.xml, signed.xml);
        if (opts.qrPng) fs.writeFileSync(opts.qrPng, await qrPng(signed.qrText));
        if (opts.vc) {
          const c = await issueDocumentCredential(v, doc, opts.vc === 'sd-jwt' ? 'vc+sd-jwt' : 'ldp_vc');
          fs.writeFileSync(opts.vcOut, typeof c.credential === 'string' ? c.credential : JSON.stringify(c.credential, null, 2));
        }
        out(`wrote ${opts.out}: ${doc.title} ${doc.uri} for ${doc.holder.name}${doc.holder.nameHi ? ` (${doc.holder.nameHi})` : ''}, signed with keys ${signed.certificateKeyId} (PDF/XML) and ${signed.keyId} (QR)`);
      }),
    );
}

export function registerVerificationCommands(program: Command): void {
  registerKeysCommands(program);
  registerVerifyCommand(program);
  registerSandboxIssueCommand(program);
}
