// A loopback SMTP server that accepts and discards every message, for the sending
// benchmark (bench/send.js). It runs in its own process, started with child_process.fork,
// so that it does not share an event loop with what is measured.
//
// Protocol over the IPC channel: it sends { port } once listening on 127.0.0.1; each "take"
// message gets back what it received since the previous one (messages, bytes, connections,
// the most connections open at once, and the sending window: from the first MAIL FROM to
// the last message's 250 reply, in milliseconds), and resets the counts. It exits when the
// parent disconnects.

import smtp from 'smtp-server';

const { SMTPServer } = smtp;

const fresh = () => ({ messages: 0, bytes: 0, connections: 0, maxOpen: 0, firstMail: 0n, lastDone: 0n });
let counts = fresh();
let open = 0;

const server = new SMTPServer({
  banner: 'aimq benchmark sink: every message is discarded',
  disabledCommands: ['STARTTLS'],
  authOptional: true,
  logger: false,
  onConnect(_session, callback) {
    counts.connections++;
    counts.maxOpen = Math.max(counts.maxOpen, ++open);
    callback();
  },
  onClose() {
    open--;
  },
  onMailFrom(_address, _session, callback) {
    if (!counts.firstMail) counts.firstMail = process.hrtime.bigint();
    callback();
  },
  onData(stream, _session, callback) {
    let bytes = 0;
    stream.on('data', (chunk) => {
      bytes += chunk.length;
    });
    stream.on('end', () => {
      counts.messages++;
      counts.bytes += bytes;
      counts.lastDone = process.hrtime.bigint();
      callback(null, 'OK: discarded');
    });
  },
});

server.on('error', (err) => {
  console.error(`smtp-sink: ${err.message}`);
  process.exit(1);
});

server.listen(0, '127.0.0.1', () => {
  process.send({ port: server.server.address().port });
});

process.on('message', (message) => {
  if (message !== 'take') return;
  const c = counts;
  counts = fresh();
  process.send({
    messages: c.messages,
    bytes: c.bytes,
    connections: c.connections,
    maxOpen: c.maxOpen,
    windowMs: c.messages ? Number(c.lastDone - c.firstMail) / 1e6 : 0,
  });
});

process.on('disconnect', () => server.close(() => process.exit(0)));
