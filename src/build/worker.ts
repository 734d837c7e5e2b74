import { parentPort, workerData } from 'node:worker_threads';
import { loadConfig } from '../config/load.js';
import { toWire, type CrewReply, type CrewRequest, type WorkerData } from './crew.js';
import { Workshop } from './workshop.js';

// A build worker (see crew.ts): a workshop of its own, driven by the build's messages.
const data = workerData as WorkerData;
const workshop = new Workshop(loadConfig(data.root, data.cwd), data.options);
const port = parentPort!;

port.on('message', async (request: CrewRequest) => {
  let reply: CrewReply;
  try {
    if (request.kind === 'prepare') {
      await workshop.prepare();
      reply = { seq: request.seq, prepared: true };
    } else if (request.kind === 'load') {
      reply = { seq: request.seq, loaded: request.dirs.map((dir) => workshop.load(dir)) };
    } else {
      const rendered = [];
      for (const id of request.ids) rendered.push(await workshop.render(id));
      reply = { seq: request.seq, rendered };
    }
  } catch (err) {
    reply = { seq: request.seq, error: toWire(err) };
  }
  port.postMessage(reply);
});
