/** Capturing what the locker logs, for tests that search the log for secrets. */
import { Writable } from 'node:stream';
import { testConfig } from '../../src/config/index.ts';
import { loggerOptions } from '../../src/http/logging.ts';

/** A stream that keeps every log line written to it. */
export function captureLines(): { lines: string[]; stream: Writable } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, stream };
}

/** The locker's logger settings (redaction included) at trace level, written into `lines`. */
export function traceLogger(): { lines: string[]; logger: object } {
  const { lines, stream } = captureLines();
  return { lines, logger: { ...(loggerOptions(testConfig({ LOG_LEVEL: 'trace' })) as object), level: 'trace', stream } };
}
