import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { Outbox } from '../../src/outbox/outbox.js';
import { REPO, tempDir } from '../helpers/cli.js';

/**
 * #11.3: processes opening a new outbox at the same moment. Threads stand for them: each
 * has its own SQLite connection, as a process does, and they are released together.
 */
describe('#11.3 opening a new outbox at the same moment', () => {
  it('#11.3 eight threads creating the same new outbox at once all open it, one schema, no "already exists"', async () => {
    const dist = join(REPO, 'dist', 'outbox', 'outbox.js');
    expect(existsSync(dist), 'run npm run build first: the threads use dist/').toBe(true);
    const code = `
      const { workerData, parentPort } = require('node:worker_threads');
      import(workerData.url).then(({ Outbox }) => {
        Atomics.wait(workerData.start, 0, 0);
        try {
          Outbox.open(workerData.path).close();
          parentPort.postMessage('ok');
        } catch (err) {
          parentPort.postMessage(String(err && err.message));
        }
      });`;
    for (let round = 0; round < 6; round++) {
      const path = join(tempDir('aimq-open-'), 'sub', 'outbox.sqlite');
      const start = new Int32Array(new SharedArrayBuffer(4));
      const results = Array.from({ length: 8 }, () => {
        const w = new Worker(code, {
          eval: true,
          workerData: { url: pathToFileURL(dist).href, path, start },
        });
        return new Promise<string>((resolve, reject) => {
          w.once('message', resolve);
          w.once('error', reject);
        });
      });
      // Let every thread load the module, then release them together.
      await new Promise((r) => setTimeout(r, 300));
      Atomics.store(start, 0, 1);
      Atomics.notify(start, 0);
      expect(await Promise.all(results), `round ${round}`).toEqual(Array(8).fill('ok'));
      const outbox = Outbox.open(path);
      try {
        expect(await outbox.campaigns()).toEqual([]);
      } finally {
        await outbox.close();
      }
    }
  });
});
