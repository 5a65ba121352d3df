// A file-verifier thread that loads, then never answers (file-verifier-threads tests).
import { parentPort } from 'node:worker_threads';
parentPort.postMessage({ type: 'ready' });
parentPort.on('message', () => {});
