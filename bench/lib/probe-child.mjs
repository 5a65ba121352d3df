// A latency probe in its own process: autocannon with the options given as JSON in argv[2],
// printing its result as JSON. Scenarios that measure latency while another client floods
// the server run the probe here, so the flood's client-side work (in the bench process)
// never delays the probe's own timing.
import autocannon from 'autocannon';

const opts = JSON.parse(process.argv[2]);
// One second at the same rate first, discarded: connections open and this process's code
// is compiled before the measured part, as it would be in a long-running client.
await autocannon({ ...opts, duration: 1 });
const result = await autocannon(opts);
process.stdout.write(JSON.stringify({ latency: result.latency, requests: result.requests, errors: result.errors, timeouts: result.timeouts, non2xx: result.non2xx }));
