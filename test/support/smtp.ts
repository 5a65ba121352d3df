/**
 * A real SMTP server (smtp-server) on 127.0.0.1:0 that keeps what it receives, parsed with
 * mailparser, for email tests. Optionally with STARTTLS or implicit TLS (a throwaway CA and
 * certificate made with node-forge) and with password authentication.
 */
import forge from 'node-forge';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

export interface Received {
  mail: ParsedMail;
  raw: string;
  secure: boolean;
  user: string | undefined;
  envelope: { from: string | undefined; to: string[] };
}

export interface SmtpSink {
  port: number;
  received: Received[];
  /** Resolves when `n` messages have arrived. */
  waitFor(n: number): Promise<void>;
  close(): Promise<void>;
}

export interface SinkOptions {
  /** 'starttls': plain SMTP offering STARTTLS; 'implicit': TLS from the first byte (smtps); default none. */
  tls?: 'starttls' | 'implicit';
  auth?: { user: string; pass: string };
  /** Reject RCPT TO for this address with 550. */
  rejectRecipient?: string;
}

export interface TestCertificate {
  ca: string;
  key: string;
  cert: string;
}

let cached: TestCertificate | undefined;

/** A CA and a certificate for 127.0.0.1/localhost signed by it (generated once per process). */
export function testCertificate(): TestCertificate {
  if (cached) return cached;
  const caKeys = forge.pki.rsa.generateKeyPair(2048);
  const ca = forge.pki.createCertificate();
  ca.publicKey = caKeys.publicKey;
  ca.serialNumber = '01';
  ca.validity.notBefore = new Date(Date.now() - 60_000);
  ca.validity.notAfter = new Date(Date.now() + 86_400_000);
  const caName = [{ name: 'commonName', value: 'OpenLocker Test CA' }];
  ca.setSubject(caName);
  ca.setIssuer(caName);
  ca.setExtensions([{ name: 'basicConstraints', cA: true }, { name: 'keyUsage', keyCertSign: true, cRLSign: true }]);
  ca.sign(caKeys.privateKey, forge.md.sha256.create());
  const keys = forge.pki.rsa.generateKeyPair(2048);
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = '02';
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 86_400_000);
  cert.setSubject([{ name: 'commonName', value: 'localhost' }]);
  cert.setIssuer(caName);
  cert.setExtensions([{ name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] }]);
  cert.sign(caKeys.privateKey, forge.md.sha256.create());
  cached = { ca: forge.pki.certificateToPem(ca), key: forge.pki.privateKeyToPem(keys.privateKey), cert: forge.pki.certificateToPem(cert) };
  return cached;
}

export async function startSmtpSink(options: SinkOptions = {}): Promise<SmtpSink> {
  const received: Received[] = [];
  const waiters: Array<{ n: number; resolve: () => void }> = [];
  const certificate = options.tls ? testCertificate() : undefined;
  const serverOptions: SMTPServerOptions = {
    secure: options.tls === 'implicit',
    ...(certificate ? { key: certificate.key, cert: certificate.cert } : {}),
    disabledCommands: [...(options.tls ? [] : ['STARTTLS']), ...(options.auth ? [] : ['AUTH'])],
    authOptional: !options.auth,
    allowInsecureAuth: false,
    logger: false,
    size: 30 * 1024 * 1024,
    onAuth(auth, _session, cb) {
      if (options.auth && auth.username === options.auth.user && auth.password === options.auth.pass) return cb(null, { user: auth.username });
      return cb(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onRcptTo(address, _session, cb) {
      if (options.rejectRecipient && address.address === options.rejectRecipient) {
        return cb(Object.assign(new Error('No such user here'), { responseCode: 550 }));
      }
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        simpleParser(raw)
          .then((mail) => {
            received.push({
              mail,
              raw: raw.toString('utf8'),
              secure: session.secure,
              user: session.user as string | undefined,
              envelope: {
                from: session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined,
                to: session.envelope.rcptTo.map((r) => r.address),
              },
            });
            for (const w of waiters.filter((x) => received.length >= x.n)) w.resolve();
            cb();
          })
          .catch(cb);
      });
    },
  };
  const server = new SMTPServer(serverOptions);
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    received,
    waitFor: (n) => (received.length >= n ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ n, resolve }))),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
