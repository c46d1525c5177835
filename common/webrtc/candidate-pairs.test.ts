import { describe, expect, it } from 'vitest';
import { sameScopePair } from './candidate-pairs.js';

const pair = (local: string, remote: string) => ({ protocol: { localCandidate: { host: local } }, remoteCandidate: { host: remote } });

describe('sameScopePair', () => {
  it('pairs loopback with loopback and real interfaces with real ones, never across', () => {
    expect(sameScopePair(pair('127.0.0.1', '127.0.0.1'))).toBe(true);
    expect(sameScopePair(pair('127.0.0.1', '127.0.1.5'))).toBe(true);
    expect(sameScopePair(pair('192.0.2.2', '198.51.100.7'))).toBe(true);
    expect(sameScopePair(pair('::1', '::1'))).toBe(true);
    expect(sameScopePair(pair('192.0.2.2', '127.0.0.1'))).toBe(false);
    expect(sameScopePair(pair('127.0.0.1', '192.0.2.2'))).toBe(false);
    expect(sameScopePair(pair('::1', '2001:db8::1'))).toBe(false);
  });
  it('keeps a pair whose local candidate is not known yet', () => {
    expect(sameScopePair({ protocol: {}, remoteCandidate: { host: '127.0.0.1' } })).toBe(true);
  });
});
