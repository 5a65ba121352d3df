/**
 * Builds `resources/issuer-directory.json` (the public Issuers directory the locker seeds)
 * from the API Setu "certificate v3" specification archive:
 *
 *   node --import tsx scripts/build-issuer-directory.ts PATH/TO/apisetu-archive/certificate-v3 > resources/issuer-directory.json
 *
 * It reads `_index.json` (issuers, document types, formats, parameter order) and each
 * issuer's YAML (its description and every parameter's label and example), then derives
 * what the sources do not state: the locker issuer id, the category, central/state reach,
 * a few input patterns and value lists. The rules are in `resources/README.md`. Run only by
 * maintainers refreshing the directory; the locker never reads the archive at run time.
 * Uses the `yaml` package that @fastify/swagger already brings in.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { deriveCategory, splitIssuerName } from '../src/domain/issuers/categories.ts';
import { DOCTYPE_CODE, ISSUER_ID, PARAMETER_NAME, PROFILE_FIELDS, RESERVED_ELEMENT_NAMES, type ProfileField } from '../src/domain/issuers/model.ts';
import type { DirectoryFile, DirectoryIssuer, DirectoryParameter } from '../src/domain/issuers/directory.ts';

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: build-issuer-directory.ts PATH/TO/certificate-v3\n');
  process.exit(2);
}

interface IndexDoc { doctype: string; name: string; formats: string[]; parameters: string[]; path: string }
interface IndexIssuer { file: string; issuer: string; server: string; documents: IndexDoc[] }
const index = JSON.parse(fs.readFileSync(path.join(dir, '_index.json'), 'utf8')) as { generatedFrom: string; issuers: IndexIssuer[] };

/** The ids the sandbox and the rest of the locker use for the five sandbox issuers. */
const FIXED_IDS: Record<string, string> = { cbse: 'in.gov.cbse', transport: 'in.gov.transport', pan: 'in.gov.pan', edistrictup: 'in.gov.up.edistrict' };

function issuerId(slug: string): string {
  if (FIXED_IDS[slug]) return FIXED_IDS[slug]!;
  const ed = /^edistrict([a-z]+)$/.exec(slug);
  if (ed) return `in.gov.${ed[1]}.edistrict`;
  return `in.gov.${slug}`;
}

const PATTERNS: Record<string, string> = {
  YEAR: '(19|20)[0-9]{2}',
  year: '(19|20)[0-9]{2}',
  Year: '(19|20)[0-9]{2}',
  Mobile: '[6-9][0-9]{9}',
  panno: '[A-Za-z]{5}[0-9]{4}[A-Za-z]',
};

const clean = (s: unknown, max: number): string | undefined => {
  if (s === undefined || s === null) return undefined;
  const v = String(s).replace(/\s+/g, ' ').trim();
  if (v === '') return undefined;
  return v.length > max ? v.slice(0, max - 1).trimEnd() + '…' : v;
};

/** `I,II,III` or `2021,2022` in an example is a list of allowed values. */
function valueList(example: string | undefined): string[] | undefined {
  if (!example || !example.includes(',')) return undefined;
  const items = example.split(',').map((s) => s.trim());
  if (items.length < 2 || items.length > 40) return undefined;
  if (items.some((s) => s.length === 0 || s.length > 40 || /\.\s|\bAs per\b/i.test(s))) return undefined;
  return [...new Set(items)];
}

function shortDescription(d: unknown): string | undefined {
  const v = clean(d, 2000);
  if (!v) return undefined;
  if (v.length <= 400) return v;
  const cut = v.slice(0, 400);
  const stop = cut.lastIndexOf('. ');
  return stop > 120 ? cut.slice(0, stop + 1) : cut.trimEnd() + '…';
}

const problems: string[] = [];
const out: DirectoryIssuer[] = [];
const seen = new Set<string>();

for (const entry of index.issuers) {
  const slug = entry.file.replace(/\.yaml$/, '');
  const id = issuerId(slug);
  if (!ISSUER_ID.test(id) || seen.has(id)) {
    problems.push(`${entry.file}: unusable or duplicate id ${id}`);
    continue;
  }
  seen.add(id);
  let spec: any;
  try {
    spec = parseYaml(fs.readFileSync(path.join(dir, entry.file), 'utf8'));
  } catch (err) {
    problems.push(`${entry.file}: ${(err as Error).message}`);
    continue;
  }
  const props = new Map<string, Record<string, { description?: unknown; example?: unknown }>>();
  for (const [p, ops] of Object.entries<any>(spec.paths ?? {})) {
    for (const op of Object.values<any>(ops)) {
      const params = op?.requestBody?.content?.['application/json']?.schema?.properties?.certificateParameters?.properties;
      if (params) props.set(p.toLowerCase(), params);
    }
  }
  const { name, state, scope } = splitIssuerName(entry.issuer);
  const doctypes: DirectoryIssuer['doctypes'] = [];
  const codes = new Set<string>();
  for (const d of entry.documents) {
    if (!DOCTYPE_CODE.test(d.doctype) || codes.has(d.doctype)) {
      problems.push(`${entry.file}: skipped document type ${d.doctype}`);
      continue;
    }
    codes.add(d.doctype);
    const described = props.get(d.path.toLowerCase()) ?? {};
    const parameters: DirectoryParameter[] = [];
    const profile: ProfileField[] = [];
    for (const pname of d.parameters) {
      if ((PROFILE_FIELDS as readonly string[]).includes(pname)) {
        profile.push(pname as ProfileField);
        continue;
      }
      if (!PARAMETER_NAME.test(pname) || RESERVED_ELEMENT_NAMES.has(pname)) {
        problems.push(`${entry.file} ${d.doctype}: skipped parameter ${JSON.stringify(pname)}`);
        continue;
      }
      const desc = described[pname] ?? {};
      const label = clean(desc.description, 100) ?? pname;
      let example = clean(desc.example, 100);
      const values = valueList(example);
      if (values) example = undefined;
      if (example && example.toLowerCase() === label.toLowerCase()) example = undefined;
      const p: DirectoryParameter = { n: pname, l: label };
      if (example) p.e = example;
      if (values) p.v = values;
      else if (PATTERNS[pname]) p.p = PATTERNS[pname];
      parameters.push(p);
    }
    const formats = (['pdf', 'xml'] as const).filter((f) => d.formats.includes(f));
    doctypes.push({ c: d.doctype, n: clean(d.name, 120) ?? d.doctype, f: formats.length ? formats : ['pdf'], p: parameters, ...(profile.length ? { a: profile } : {}) });
  }
  const description = shortDescription(spec.info?.description);
  out.push({
    id,
    name,
    ...(state ? { state } : {}),
    scope,
    category: deriveCategory(name, doctypes.map((d) => d.c)),
    ...(description && description !== name ? { description } : {}),
    doctypes,
  });
}

out.sort((a, b) => a.id.localeCompare(b.id));
const file: DirectoryFile = {
  format: 1,
  source: `API Setu "certificate v3" specifications, ${index.generatedFrom}. Derived by scripts/build-issuer-directory.ts; see resources/README.md.`,
  issuers: out,
};
process.stdout.write(JSON.stringify(file) + '\n');
for (const p of problems) process.stderr.write(`note: ${p}\n`);
process.stderr.write(`${out.length} issuers, ${out.reduce((n, i) => n + i.doctypes.length, 0)} document types\n`);
