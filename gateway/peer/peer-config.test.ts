import { describe, expect, it } from 'vitest';
import { closeQuietly, createPeer } from './peer-config.js';

describe('createPeer', () => {
  it('asks no public STUN server unless the config names one', async () => {
    const quiet = createPeer();
    const named = createPeer({ stunUrls: ['stun:stun.example.gov.vn:3478'] });
    try {
      expect(quiet.config.iceServers).toEqual([]);
      expect(named.config.iceServers).toEqual([{ urls: 'stun:stun.example.gov.vn:3478' }]);
    } finally {
      await closeQuietly(quiet);
      await closeQuietly(named);
    }
  });
});
