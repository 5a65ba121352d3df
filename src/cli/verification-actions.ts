/**
 * What `openlocker keys|verify|sandbox issue` do (verification-commands.ts declares them;
 * this file is imported only when one of them runs, so other commands start fast).
 */
import { AppError } from '../domain/errors.ts';
import fs from 'node:fs';
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
import { sampleDocument } from '../sandbox/samples/documents.ts';

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
    // The API's shape: a check's id, result and detail (not the keys pages translate it by).
    out(JSON.stringify({ ...r, checks: r.checks.map(({ id, result, detail }) => ({ id, result, detail })) }, null, 2));
    return;
  }
  out(`status: ${r.status}`);
  if (r.issuer_id) out(`issuer: ${r.issuer_name ?? ''} (${r.issuer_id})`);
  if (r.signed_at) out(`signed at: ${r.signed_at}`);
  if (r.key_id) out(`key: ${r.key_id}`);
  for (const c of r.checks) out(`  [${c.result}] ${c.id}: ${c.detail}`);
  for (const [k, v] of Object.entries(r.fields)) out(`  ${k}: ${v}`);
}

export const listKeys = (issuer?: string) =>
  withDeps(async (deps) => {
    const v = verificationDeps(deps);
    const known = await v.keys.listIssuers();
    // An id with no keys is a typo or an issuer that signs nothing here: say so (exit 1), not an empty list.
    if (issuer && !known.includes(issuer)) throw new Error(`No signing keys are known for issuer ${issuer}. Issuers with keys: ${known.join(', ') || '(none yet)'}.`);
    for (const id of issuer ? [issuer] : known) {
      for (const k of await v.keys.listForIssuer(id)) {
        const p = presentKey(k);
        out(`${p.issuer_id}\t${p.kid}\t${p.kind}\t${p.alg}\t${p.status}\tfrom ${p.valid_from}${p.valid_until ? ` until ${p.valid_until}` : ''}${p.revoked_at ? ` revoked ${p.revoked_at} (${p.revocation_reason})` : ''}`);
      }
    }
  });

export const rotateKeys = (issuer: string) =>
  withDeps(async (deps) => {
    const r = await rotateIssuerKeys(verificationDeps(deps), issuer);
    out(`rotated ${issuer}: retired ${r.retired.join(', ') || '(none)'}; new ${r.added.join(', ')}`);
  });

export const revokeKey = (kid: string, reason: string) =>
  withDeps(async (deps) => {
    const k = await revokeIssuerKey(verificationDeps(deps), kid, reason);
    out(`revoked ${k.kid} of ${k.issuerId} at ${k.revokedAt?.toISOString()}`);
  });

export const printKeyLog = (checkOnly: boolean) =>
  withDeps(async (deps) => {
    const records = await verificationDeps(deps).keys.readLog(0, 1_000_000);
    const chain = checkKeyLogChain(records);
    if (!checkOnly) for (const r of records) out(JSON.stringify({ ...r.entry, hash: r.hash }));
    if (!chain.ok) throw new Error(`the key log's chain is broken at entry ${chain.brokenAt}: ${chain.reason}`);
    process.stderr.write(`key log: ${chain.length} entries, head ${chain.head}\n`);
  });

export const printSandboxRoot = () =>
  withDeps(async (deps) => {
    const a = await verificationDeps(deps).keys.getAnchor(SANDBOX_ROOT_ID);
    if (!a) throw new Error('no sandbox document has been issued yet, so there is no sandbox root CA');
    out(derToPem(a.certificate));
  });

function readInput(file: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new AppError('invalid', 'file_unreadable', code === 'ENOENT' ? `There is no file ${file}.` : code === 'EISDIR' ? `${file} is a directory: give the path of a PDF, an image of the QR code or a certificate XML.` : `${file} cannot be read (${code ?? (err as Error).message}).`);
  }
}

export async function verify(file: string | undefined, opts: { qr?: string; credential?: string; keyLog?: string; json?: boolean }): Promise<void> {
  const given = [file !== undefined, opts.qr !== undefined, opts.credential !== undefined].filter(Boolean).length;
  const run = async (directory: KeyDirectory) => {
    const verifier = { directory, now: () => new Date() };
    if (given > 1) throw new AppError('invalid', 'one_input', 'Give one thing to verify: a FILE, or --qr, or --credential.');
    if (opts.qr) return verifyQrText(verifier, opts.qr);
    if (opts.credential) return verifySdJwtCredential(verifier, opts.credential);
    if (!file) throw new AppError('invalid', 'nothing_to_verify', 'Name a FILE, or give --qr or --credential.');
    return verifyUpload(verifier, readInput(file));
  };
  let r;
  try {
    r = opts.keyLog ? await run(keyLogDirectory(opts.keyLog)) : await withDeps((deps) => run(verificationDeps(deps).keys));
  } catch (err) {
    // Input that cannot be verified at all: exit 1, and with --json still a JSON answer.
    if (opts.json && err instanceof AppError) {
      process.stdout.write(JSON.stringify({ error: err.code, error_description: err.message }) + '\n');
      process.exitCode = 1;
      return;
    }
    throw err;
  }
  printResult(r, Boolean(opts.json));
  process.exitCode = VERIFY_EXIT[r.status];
}

export interface IssueOptions {
  issuer: string;
  doctype: string;
  out: string;
  xml?: string;
  qrPng?: string;
  vc?: 'sd-jwt' | 'ldp';
  vcOut: string;
  seed?: string;
}

export const issueSample = (opts: IssueOptions, pairs: string[]) =>
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
  });
