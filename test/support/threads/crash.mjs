// A file-verifier thread that loads, then dies on its first file (file-verifier-threads tests).
import { parentPort } from 'node:worker_threads';
parentPort.postMessage({ type: 'ready' });
parentPort.on('message', () => process.exit(3));
