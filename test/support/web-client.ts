/**
 * A browser without JavaScript, for page tests through `app.inject`: keeps cookies, reads
 * the CSRF token from the last page's forms, submits url-encoded forms, and follows
 * redirects when asked. Page tests of every module can use it.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

export class WebClient {
  readonly cookies = new Map<string, string>();
  last: LightMyRequestResponse | undefined;
  /** The last page fetched with GET: a form posted from it carries it as the Referer, as browsers send it. */
  page = '/';

  constructor(
    readonly app: FastifyInstance,
    readonly opts: { ip?: string; lang?: string; userAgent?: string } = {},
  ) {}

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    return {
      ...(cookie ? { cookie } : {}),
      accept: 'text/html',
      ...(this.opts.lang ? { 'accept-language': this.opts.lang } : {}),
      'user-agent': this.opts.userAgent ?? 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0',
      ...extra,
    };
  }

  private keep(res: LightMyRequestResponse): LightMyRequestResponse {
    const set = res.headers['set-cookie'];
    for (const c of Array.isArray(set) ? set : set ? [set] : []) {
      const [pair, ...attrs] = c.split(';');
      const i = pair!.indexOf('=');
      const name = pair!.slice(0, i);
      const value = pair!.slice(i + 1);
      const expired = attrs.some((a) => /max-age=0/i.test(a) || /expires=Thu, 01 Jan 1970/i.test(a));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    this.last = res;
    return res;
  }

  async get(url: string): Promise<LightMyRequestResponse> {
    this.page = url;
    return this.keep(await this.app.inject({ method: 'GET', url, headers: this.headers(), ...(this.opts.ip ? { remoteAddress: this.opts.ip } : {}) }));
  }

  /** The CSRF token of the last page's forms. */
  csrf(): string {
    const m = /name="_csrf" value="([^"]+)"/.exec(this.last?.body ?? '');
    if (!m) throw new Error('no CSRF token on the last page');
    return m[1]!;
  }

  async post(url: string, form: Record<string, string>, opts: { csrf?: boolean } = {}): Promise<LightMyRequestResponse> {
    const body = new URLSearchParams({ ...(opts.csrf === false ? {} : { _csrf: this.csrf() }), ...form }).toString();
    return this.keep(
      await this.app.inject({ method: 'POST', url, payload: body, headers: this.headers({ 'content-type': 'application/x-www-form-urlencoded', referer: `http://localhost:80${this.page}` }), ...(this.opts.ip ? { remoteAddress: this.opts.ip } : {}) }),
    );
  }

  /** Follows a 303/302 from the last response (GET). */
  async follow(): Promise<LightMyRequestResponse> {
    const loc = this.last?.headers.location;
    if (!loc) throw new Error(`no redirect: ${this.last?.statusCode} ${this.last?.body.slice(0, 200)}`);
    return this.get(String(loc));
  }
}
