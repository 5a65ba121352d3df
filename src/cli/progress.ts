/**
 * Progress bars for long operator commands (cli-progress), on stderr so stdout keeps the
 * summary. On a terminal the bar redraws in place; in a log or CI (not a TTY) it prints a
 * plain line about once a second and a final line per phase, never control characters.
 */
import cliProgress from 'cli-progress';
import type { PhaseProgress, Progress } from '../storage/backup/format.ts';
import { formatBytes } from './format.ts';

export function cliProgressBars(stream: NodeJS.WriteStream = process.stderr): Progress {
  const tty = stream.isTTY === true;
  return {
    phase(name: string, total: number, unit: string): PhaseProgress {
      const counting = total <= 0;
      const bar = new cliProgress.SingleBar({
        format: counting ? `${name.padEnd(16)} {value} ${unit}{bytes}` : `${name.padEnd(16)} [{bar}] {percentage}% | {value}/{total} ${unit}{bytes}`,
        stream,
        noTTYOutput: true,
        notTTYSchedule: 1000,
        barsize: 30,
        clearOnComplete: !tty,
        hideCursor: false,
        barCompleteChar: '=',
        barIncompleteChar: '-',
        etaBuffer: 50,
      });
      let bytes = 0;
      const payload = () => ({ bytes: bytes ? ` | ${formatBytes(bytes)}` : '' });
      bar.start(Math.max(total, 0), 0, payload());
      let stopped = false;
      return {
        tick(n = 1, b = 0) {
          bytes += b;
          bar.increment(n, payload());
        },
        setTotal(t: number) {
          bar.setTotal(t);
        },
        done() {
          if (stopped) return;
          stopped = true;
          bar.update(payload());
          bar.stop();
        },
      };
    },
    note(message: string) {
      stream.write(`${message}\n`);
    },
  };
}
