/**
 * The certificate XML (DigiLocker "XML Certificate Formats", DIGILOCKER-APIS.md §9) of a
 * `CertificateDocument`: `Certificate` root with its attributes, `IssuedBy/Organization`,
 * `IssuedTo/Person` and a `CertificateData` block carrying the document's fields and
 * tables. Built with fast-xml-parser's builder, which escapes every value.
 */
import { XMLBuilder } from 'fast-xml-parser';
import type { CertificateDocument } from '../domain/documents/certificate.ts';

/** DigiLocker writes dates as DD-MM-YYYY. */
export function digilockerDate(iso: string | undefined): string | undefined {
  if (!iso) return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[3]}-${m[2]}-${m[1]}` : iso;
}

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@', suppressEmptyNode: true, suppressBooleanAttributes: false, format: false });

function attrs(o: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined && v !== '') out[`@${k}`] = v;
  return out;
}

export function certificateXml(doc: CertificateDocument): string {
  const tree = {
    Certificate: {
      ...attrs({
        language: '99',
        name: doc.title,
        type: doc.doctype,
        number: doc.number,
        uri: doc.uri,
        issueDate: digilockerDate(doc.issuedOn),
        validFromDate: digilockerDate(doc.validFrom ?? doc.issuedOn),
        validUptoDate: digilockerDate(doc.validUntil),
        status: doc.status,
        sandbox: doc.sandbox ? 'true' : undefined,
      }),
      IssuedBy: {
        Organization: {
          ...attrs({ name: doc.issuer.name, nameHindi: doc.issuer.nameHi, code: doc.issuer.id }),
          ...(doc.issuer.address ? { Address: attrs({ type: 'office', line1: doc.issuer.address, country: 'IN' }) } : {}),
        },
      },
      IssuedTo: {
        Person: {
          ...attrs({
            uid: doc.holder.uidLast4 ? `XXXXXXXX${doc.holder.uidLast4}` : undefined,
            name: doc.holder.name,
            nameHindi: doc.holder.nameHi,
            dob: digilockerDate(doc.holder.dob),
            gender: doc.holder.gender,
            swd: doc.holder.guardianName,
          }),
          ...(doc.holder.address ? { Address: attrs({ type: 'permanent', line1: doc.holder.address, country: 'IN' }) } : {}),
          ...(doc.holder.photo ? { Photo: { '@format': 'jpeg', '#text': doc.holder.photo.toString('base64') } } : {}),
        },
      },
      CertificateData: {
        Fields: { Field: doc.fields.map((f) => attrs({ key: f.key, label: f.label, labelHindi: f.labelHi, value: f.value })) },
        ...(doc.tables?.length
          ? {
              Tables: {
                Table: doc.tables.map((t) => ({
                  '@caption': t.caption,
                  Columns: { Column: t.columns },
                  Row: t.rows.map((r) => ({ Cell: r })),
                })),
              },
            }
          : {}),
      },
    },
  };
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>${builder.build(tree) as string}`;
}
