import { describe, expect, it } from 'vitest';
import { doctorDns } from '../../src/doctor/dns.js';
import { AimqError } from '../../src/errors/index.js';

/** `aimq doctor --dns`: what is refused before any query is sent. */

describe('--dns with a port that does not exist', () => {
  it.each(['127.0.0.1:99999', '127.0.0.1:0', '[::1]:70000'])('%s is a usage error', (server) => {
    let caught: unknown;
    try {
      doctorDns(server);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(AimqError);
    expect((caught as AimqError).code).toBe('AIMQ-USAGE');
  });

  it.each(['127.0.0.1:5353', '9.9.9.9', '[::1]:53', '::1', '127.0.0.1:65535'])('%s is accepted', (server) => {
    expect(doctorDns(server).server).toBe(server);
  });
});
