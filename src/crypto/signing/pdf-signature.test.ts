import { describe, expect, it } from 'vitest';
import { parsePdfDate, readPdfSignatures } from './pdf-signature.ts';

describe('PDF signature reading', () => {
  it('parses PDF dates with and without zones', () => {
    expect(parsePdfDate("D:20240513093000+05'30'")?.toISOString()).toBe('2024-05-13T04:00:00.000Z');
    expect(parsePdfDate('D:20240513093000Z')?.toISOString()).toBe('2024-05-13T09:30:00.000Z');
    expect(parsePdfDate('D:2024')?.toISOString()).toBe('2024-01-01T00:00:00.000Z');
    expect(parsePdfDate('garbage')).toBeNull();
    expect(parsePdfDate(undefined)).toBeNull();
  });

  it('reports malformed byte ranges and non-CMS contents without throwing', async () => {
    const fake = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Sig /ByteRange [0 10 20 5] /Contents <00> >> endobj\n%%EOF');
    const [sig] = await readPdfSignatures(fake);
    expect(sig?.parsed).toBe(false);
    expect(sig?.problem).toMatch(/byte range/);
    const head = '%PDF-1.7\n1 0 obj << /Type /Sig /Contents ';
    const body = `${head}<3082000100> /ByteRange [0 ${head.length} ${head.length + 12} 0] >>`;
    const pdf = Buffer.from(body.replace(/\/ByteRange \[0 (\d+) (\d+) 0\]/, (_m, a, b) => `/ByteRange [0 ${a} ${b} ${body.length - Number(b)}]`));
    const sigs = await readPdfSignatures(pdf);
    expect(sigs[0]?.parsed).toBe(false);
  });
});
