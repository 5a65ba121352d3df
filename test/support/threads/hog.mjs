// A file-verifier thread that loads, then allocates without end on its first file: its heap limit stops it.
import { parentPort } from 'node:worker_threads';
parentPort.postMessage({ type: 'ready' });
parentPort.on('message', () => {
  const keep = [];
  for (;;) keep.push(new Array(1e6).fill(Math.random()));
});
