/**
 * `openlocker issuers …` and `openlocker sandbox …` as an operator runs them (child
 * processes): add, list, show, disable/enable, import (all or nothing), seed, on SQLite and
 * PostgreSQL; the sandbox's identities and pre-provisioning list.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { BIN, runCli } from '../support/cli.ts';
import { TEST_PG_URL } from '../support/services.ts';
import { dropSchema } from '../support/sql.ts';

/** Each command is a fresh process (~2 s under tsx); a test runs several. */
const SLOW = 120_000;
const dirs: string[] = [];
const schemas: string[] = [];
afterAll(async () => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  for (const s of schemas) await dropSchema(s);
});

function setup(dialect: 'sqlite' | 'postgres') {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ol-cli-'));
  dirs.push(dataDir);
  const env: Record<string, string> = { DATA_DIR: dataDir, LOG_LEVEL: 'silent' };
  if (dialect === 'postgres') {
    const schema = `t_${crypto.randomBytes(5).toString('hex')}`;
    schemas.push(schema);
    env.DATABASE_URL = `${TEST_PG_URL}?schema=${schema}`;
  }
  return { dataDir, env, cli: (...args: string[]) => runCli(args, env, 60_000) };
}

function importFile(dataDir: string, issuers: unknown[]): string {
  const file = path.join(dataDir, `import-${crypto.randomBytes(3).toString('hex')}.json`);
  fs.writeFileSync(file, JSON.stringify({ issuers }));
  return file;
}

const importable = (id: string, name: string) => ({
  id,
  name,
  category: 'health',
  state: 'Kerala',
  pull_uri_url: 'https://hospital.example/pulluri',
  pull_doc_url: 'https://hospital.example/pulldoc',
  hmac_key: 'import-key-0123456789abcdef',
  doctypes: [{ code: 'LABRP', name: 'Clinical Laboratory Report', parameters: [{ name: 'RefNo', label: 'Reference No' }], profile_fields: ['FullName'] }],
});

describe('openlocker issuers (SQLite)', () => {
  const { dataDir, cli } = setup('sqlite');

  it('add: registers an issuer from flags with the key from a file; it is connected and the key never printed', async () => {
    const keyFile = path.join(dataDir, 'key.txt');
    fs.writeFileSync(keyFile, 'cli-secret-key-0123456789-ZZ99\n', { mode: 0o600 });
    const r = await cli('issuers', 'add', '--id', 'in.gov.cli.board', '--name', 'CLI Test Board', '--category', 'education', '--state', 'Goa', '--pull-uri-url', 'https://board.example/pulluri', '--pull-doc-url', 'https://board.example/pulldoc', '--hmac-key-file', keyFile, '--doctype', 'HSCER:Class XII Marksheet', '--param', 'HSCER:rollno:Roll No:[0-9]{7}', '--param', 'HSCER:year:Year', '--profile', 'HSCER:FullName,DOB', '--formats', 'HSCER:pdf,xml');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe('created in.gov.cli.board: CLI Test Board (connected, 1 document type, key …ZZ99)');
    const show = await cli('issuers', 'show', 'in.gov.cli.board', '--json');
    const shown = JSON.parse(show.stdout);
    expect(shown).toMatchObject({ id: 'in.gov.cli.board', state: 'Goa', scope: 'state', connected: true, hmac_key_hint: '…ZZ99' });
    expect(shown.doctypes[0]).toMatchObject({ code: 'HSCER', formats: ['pdf', 'xml'], profile_fields: ['FullName', 'DOB'], parameters: [{ name: 'rollno', label: 'Roll No', pattern: '[0-9]{7}' }, { name: 'year', label: 'Year' }] });
    expect(show.stdout).not.toContain('cli-secret-key');
  }, SLOW);

  it('on a terminal too, no command prints oidc-provider’s "Unsupported runtime" warning (colour codes and all)', () => {
    // `script` gives the command a pseudo-terminal, as an operator's shell does.
    const r = spawnSync('script', ['-qc', `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} admin token`, '/dev/null'], { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', DATA_DIR: dataDir, LOG_LEVEL: 'silent' }, encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/olat_/);
    expect(r.stdout + r.stderr).not.toContain('Unsupported runtime');
  }, SLOW);

  it('push import: a bad file exits 1 with one clear line at once (the progress bar never holds the process)', async () => {
    const own = setup('sqlite');
    expect((await own.cli('issuers', 'import', importFile(own.dataDir, [importable('in.gov.push.board', 'Push Board')]))).code).toBe(0);
    const bad = path.join(dataDir, 'badhdr.csv');
    fs.writeFileSync(bad, 'foo,bar\n1,2\n');
    const binary = path.join(dataDir, 'binary.csv');
    fs.writeFileSync(binary, Buffer.from([0x00, 0x1b, 0x5b, 0x32, 0x4a, 0xff, 0xfe, 0x07, 0x0a, 0x01]));
    for (const [file, says] of [
      [bad, /first line must name the columns.*got: foo,bar/],
      [binary, /first line must name the columns/],
      [dataDir, /is not a file/],
      [path.join(dataDir, 'missing.csv'), /There is no file/],
    ] as const) {
      const r = await runCli(['push', 'import', file, '--issuer', 'in.gov.push.board'], own.env, 20_000);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(says);
      expect(r.stderr).not.toMatch(/[\u0000-\u0008\u001b]/);
    }
  }, SLOW);

  it('add: bad input exits 1 with one clear line naming the field, and writes nothing', async () => {
    const r = await cli('issuers', 'add', '--id', 'in.gov.cli.bad', '--name', 'Bad', '--category', 'education', '--doctype', 'HSCER:X', '--param', 'HSCER:roll no:Roll');
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('openlocker: doctypes[0].parameters[0].name must be an XML element name: a letter or _, then letters, digits, _, - or . (it is sent as <name>value</name>).');
    expect((await cli('issuers', 'show', 'in.gov.cli.bad')).stderr.trim()).toBe('openlocker: The issuer was not found.');
  }, SLOW);

  it('seed, list, disable, enable: the directory of real issuers, searchable; disabled ones shown only with --all', async () => {
    const seed = await cli('issuers', 'seed');
    expect(seed.stdout).toMatch(/^directory [0-9a-f]{16}: 1493 added, 0 refreshed, 0 left to their operators/);
    const list = await cli('issuers', 'list', '--q', 'cli test', '--json');
    expect(JSON.parse(list.stdout)).toMatchObject({ total: 1, items: [{ id: 'in.gov.cli.board', connected: true }] });
    const table = await cli('issuers', 'list', '--category', 'transport', '--per-page', '3');
    expect(table.stdout.split('\n')[0]).toMatch(/^ID\s+STATUS\s+CONNECTED\s+CATEGORY\s+TYPES NAME$/);
    expect(table.stdout).toMatch(/1-3 of \d+/);
    const badPage = await cli('issuers', 'list', '--page', 'abc');
    expect([badPage.code, badPage.stderr.trim()]).toEqual([1, 'openlocker: --page must be a whole number of at least 1 (got "abc").']);
    expect((await cli('issuers', 'disable', 'in.gov.cli.board')).stdout.trim()).toBe('in.gov.cli.board disabled');
    expect(JSON.parse((await cli('issuers', 'list', '--q', 'cli test', '--all', '--json')).stdout).items[0]).toMatchObject({ status: 'disabled', connected: false });
    await cli('issuers', 'enable', 'in.gov.cli.board');
    expect((await cli('issuers', 'list', '--category', 'sports')).stderr).toContain('--category must be one of');
  }, SLOW);

  it('add on an existing (directory) issuer only changes what is given: connecting CBSE keeps its 24 document types', async () => {
    const keyFile = path.join(dataDir, 'cbse.key');
    fs.writeFileSync(keyFile, 'cbse-key-abcdefghijklmnop');
    const r = await cli('issuers', 'add', '--id', 'in.gov.cbse', '--pull-uri-url', 'https://cbse.example/pulluri', '--pull-doc-url', 'https://cbse.example/pulldoc', '--hmac-key-file', keyFile);
    expect(r.stdout.trim()).toBe('updated in.gov.cbse: Central Board of Secondary Education (connected, 24 document types, key …mnop)');
  }, SLOW);
});

describe('openlocker issuers import (PostgreSQL)', () => {
  const { dataDir, cli } = setup('postgres');

  it('imports a file; importing it again updates the same issuers; one bad entry rejects the whole file', async () => {
    const good = importFile(dataDir, [importable('in.gov.kl.hospital', 'Kerala Test Hospital'), importable('in.gov.kl.lab', 'Kerala Test Lab')]);
    expect((await cli('issuers', 'import', good)).stdout.trim()).toBe('imported 2 issuers: 2 created, 0 updated');
    expect((await cli('issuers', 'import', good)).stdout.trim()).toBe('imported 2 issuers: 0 created, 2 updated');
    const bad = importFile(dataDir, [importable('in.gov.kl.third', 'Third'), { ...importable('in.gov.kl.fourth', 'Fourth'), pull_uri_url: 'ftp://nope' }]);
    const r = await cli('issuers', 'import', bad);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('openlocker: issuers[1].pull_uri_url must be an http or https URL.');
    const list = JSON.parse((await cli('issuers', 'list', '--q', 'kerala test', '--json')).stdout);
    expect(list.items.map((i: { id: string }) => i.id).sort()).toEqual(['in.gov.kl.hospital', 'in.gov.kl.lab']);
    const notJson = path.join(dataDir, 'x.json');
    fs.writeFileSync(notJson, '{oops');
    expect((await cli('issuers', 'import', notJson)).stderr).toMatch(/x\.json is not valid JSON/);
    const missing = await cli('issuers', 'import', path.join(dataDir, 'missing.json'));
    expect(missing.code).toBe(1);
    // A sentence, not Node's "ENOENT: no such file or directory, open …".
    expect(missing.stderr.trim()).toMatch(/^openlocker: \/.*missing\.json was not found: no such file or directory \(check the path\)\.$/);
  }, SLOW);
});

describe('openlocker sandbox', () => {
  const { cli } = setup('sqlite');

  it('identities and the CBSE pre-provisioning list', async () => {
    const ids = JSON.parse((await cli('sandbox', 'identities', '--json')).stdout);
    expect(ids.map((p: { name: string }) => p.name)).toContain('Rahul Sharma');
    const rahul = ids.find((p: { id: string }) => p.id === 'rahul');
    expect(rahul).toMatchObject({ mobile: '9000000002', aadhaar: '999900000028' });
    expect(rahul.documents.find((d: { doctype: string }) => d.doctype === 'RVCER').find_with).toEqual({ reg_no: 'UP78ZZ9001', chasis_no: '12345' });
    const csv = (await cli('sandbox', 'students', '--csv')).stdout.trim().split('\n');
    const other = await cli('sandbox', 'students', '--issuer', 'in.gov.nope');
    expect([other.code, other.stderr.trim()]).toEqual([1, 'openlocker: In the sandbox only the board in.gov.cbse pre-provisions students (got in.gov.nope).']);
    expect(csv[0]).toBe('mobile,roll_no,year,class,name,dob,gender,first_pin,uris');
    expect(csv).toHaveLength(31);
    expect(csv[1]).toMatch(/^9000001001,2410101,2024,XII,"[A-Za-z ]+",2006-\d\d-\d\d,[MF],410101,in\.gov\.cbse-HSCER-20242410101 /);
    const regs = JSON.parse((await cli('sandbox', 'registrations', '--url', 'http://127.0.0.1:4999')).stdout);
    expect(regs.issuers).toHaveLength(5);
    expect(regs.issuers[0].pull_uri_url).toBe('http://127.0.0.1:4999/issuers/in.gov.uidai/pulluri');
  }, SLOW);

  it('refuses to run in production', async () => {
    const r = await runCli(['sandbox', 'identities'], { NODE_ENV: 'production', DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'ol-cli-')), PUBLIC_URL: 'https://x.example', SMS_PROVIDER: 'http', SMS_HTTP_URL: 'https://sms.example', SANDBOX: 'false' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('never run in production');
  }, SLOW);
});
