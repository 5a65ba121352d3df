import type { PageContext } from '../render.ts';

/** "1.4 MB", "820 KB", "12 bytes", in the page's language digits (Latin digits in both). */
export function formatBytes(ctx: PageContext, n: number): string {
  const unit = ctx.lang === 'hi' ? { b: 'बाइट', kb: 'KB', mb: 'MB', gb: 'GB' } : { b: 'bytes', kb: 'KB', mb: 'MB', gb: 'GB' };
  if (n < 1024) return `${n} ${unit.b}`;
  if (n < 1024 ** 2) return `${Math.round(n / 1024)} ${unit.kb}`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1).replace(/\.0$/, '')} ${unit.mb}`;
  return `${(n / 1024 ** 3).toFixed(2).replace(/\.?0+$/, '')} ${unit.gb}`;
}
