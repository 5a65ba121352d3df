/**
 * Foundation: the cost of the locker's HTTP stack. A bare Fastify "hello" route and the
 * locker's /readyz (which queries the database and the blob store) under the same load.
 */
import { load, warmUp } from '../lib/load.ts';
import { startBareServer, startLocker } from '../lib/processes.ts';
import { ms, type BenchRow, type Scenario } from '../lib/report.ts';

export const foundation: Scenario = {
  name: 'foundation',
  async run(): Promise<BenchRow[]> {
    const bare = await startBareServer();
    const locker = await startLocker();
    try {
      await warmUp(`${bare.url}/hello`);
      const hello = await load({ url: `${bare.url}/hello` });
      await warmUp(`${locker.url}/readyz`);
      const readyz = await load({ url: `${locker.url}/readyz` });
      const r = readyz.rps / hello.rps;
      return [
        { scenario: 'foundation', measure: 'bare Fastify /hello', value: `${hello.rps} req/s, p99 ${ms(hello.p99)}` },
        { scenario: 'foundation', measure: 'locker /readyz (db + blobs)', value: `${readyz.rps} req/s, p99 ${ms(readyz.p99)}, errors ${readyz.errors + readyz.non2xx}` },
        { scenario: 'foundation', measure: '/readyz ÷ /hello (req/s)', value: r.toFixed(2) },
      ];
    } finally {
      await bare.stop();
      await locker.stop();
    }
  },
};
