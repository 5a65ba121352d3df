import { describe, expect, it } from 'vitest';
import { contentDisposition, downloadName, MAX_NAME, sanitizeName } from './names.ts';

describe('sanitizeName', () => {
  it('keeps only the last segment of a client path and removes bidi overrides and controls', () => {
    expect(sanitizeName('C:\\fakepath\\..\\marks.pdf', 'document', { isPath: true })).toBe('marks.pdf');
    expect(sanitizeName('../../etc/passwd', 'document', { isPath: true })).toBe('passwd');
    expect(sanitizeName('invoice\u202Efdp.exe')).toBe('invoicefdp.exe');
    expect(sanitizeName('a\u0000b\r\nc\u2066d\u200fe')).toBe('abcde');
  });
  it('keeps slashes in a typed name, trims, and falls back when nothing is left', () => {
    expect(sanitizeName('  Marks 10/12  ')).toBe('Marks 10/12');
    expect(sanitizeName('\u202E\u202E', 'document')).toBe('document');
    expect(sanitizeName('...hidden')).toBe('hidden');
  });
  it('truncates to 200 characters keeping the extension', () => {
    const s = sanitizeName('x'.repeat(300) + '.pdf');
    expect([...s].length).toBe(MAX_NAME);
    expect(s.endsWith('….pdf')).toBe(true);
  });
});

describe('contentDisposition', () => {
  it('gives an ASCII fallback and the exact UTF-8 name, with no quotes, slashes or controls', () => {
    const cd = contentDisposition('attachment', 'अंक "x";\\/\r\n.pdf');
    expect(cd).toMatch(/^attachment; filename="[\x20-\x7e]*"; filename\*=UTF-8''[A-Za-z0-9%._~!-]+$/);
    expect(cd).not.toMatch(/"[^"]*"[^;]*"/);
    expect(decodeURIComponent(/filename\*=UTF-8''(.*)$/.exec(cd)![1]!)).toBe('अंक "x";__.pdf');
  });
  it('adds the real extension to the download name when missing', () => {
    expect(downloadName('Marks', 'application/pdf')).toBe('Marks.pdf');
    expect(downloadName('photo.JPEG', 'image/jpeg')).toBe('photo.JPEG');
    expect(downloadName('scan.pdf', 'image/png')).toBe('scan.pdf.png');
  });
});
