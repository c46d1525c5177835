import { readdirSync } from 'node:fs';
import { afterEach, expect, it } from 'vitest';
import type { RTCPeerConnection } from 'werift';
import { silentLogger } from '../../common/log.js';
import { freePort } from '../../tests/helpers/free-port.js';
import { until } from '../../tests/helpers/until.js';
import { closeQuietly, completeLocalSdp, createPeer } from '../peer/peer-config.js';
import { Publisher } from './publisher.js';
import { createRtpSource } from './rtp-source.js';

// Issue 12 (soak): the gateway kept +2 fds per publish connection rebuilt under load. A rebuild closes the
// old connection in whatever state it is in; every state must give back every socket (real werift on loopback).

const cleanup: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

const fds = () => readdirSync('/proc/self/fd').length;
const pcOf = (p: Publisher) => (p as unknown as { pc?: RTCPeerConnection }).pc;

async function setup() {
  const source = createRtpSource({ host: '127.0.0.1', videoPort: await freePort(), audioPort: await freePort(), logger: silentLogger() });
  await source.start();
  cleanup.push(() => source.stop());
  const publisher = new Publisher({ source, logger: silentLogger(), onPacketSent: () => {} });
  cleanup.push(() => publisher.close());
  return publisher;
}

/** The hub's side of one publish connection: answers the offer, returns its peer. */
async function answer(publisher: Publisher, offer: string): Promise<RTCPeerConnection> {
  const hub = createPeer();
  cleanup.push(() => closeQuietly(hub));
  await hub.setRemoteDescription({ type: 'offer', sdp: offer });
  await hub.setLocalDescription(await hub.createAnswer());
  await publisher.applyAnswer(await completeLocalSdp(hub));
  return hub;
}

/** Runs `round` n times and says how many fds are left over once everything it opened is closed. */
async function leftOver(n: number, round: () => Promise<void>): Promise<number> {
  await round(); // werift's lazily built parts (certificates, bundles) are not a leak
  await cleanup
    .splice(2)
    .reverse()
    .reduce<Promise<unknown>>((p, c) => p.then(c), Promise.resolve());
  const before = fds();
  for (let i = 0; i < n; i++) {
    await round();
    await cleanup
      .splice(2)
      .reverse()
      .reduce<Promise<unknown>>((p, c) => p.then(c), Promise.resolve());
  }
  // Sockets close asynchronously: wait for the count to come back, then report what stays.
  await until('fds back', 15_000, () => fds() <= before).catch(() => {});
  return fds() - before;
}

const N = 6;

it('a publish connection rebuilt while ICE gathers returns every fd', async () => {
  const publisher = await setup();
  const left = await leftOver(N, async () => {
    void publisher.freshOffer().catch(() => ''); // never completes: its connection is closed while it gathers
    const pc = pcOf(publisher)!;
    // The rebuild: the old connection closed the moment it starts gathering, its sockets still being bound.
    await new Promise<void>((gathering) =>
      pc.iceGatheringStateChange.subscribe((s) => s === 'gathering' && (publisher.close(), gathering())),
    );
  });
  expect(left, `fds left after ${N} rebuilds during gathering`).toBe(0);
}, 120_000);

it('a publish connection rebuilt during its DTLS handshake returns every fd', async () => {
  const publisher = await setup();
  const left = await leftOver(N, async () => {
    const hub = await answer(publisher, await publisher.freshOffer());
    const pc = pcOf(publisher)!;
    await until('ICE connected', 15_000, () => ['connected', 'completed'].includes(pc.iceConnectionState), 1);
    publisher.close(); // DTLS had at most begun
    await closeQuietly(hub);
  });
  expect(left, `fds left after ${N} rebuilds during DTLS`).toBe(0);
}, 120_000);

it('a connected publish connection whose hub went silent returns every fd when rebuilt', async () => {
  const publisher = await setup();
  const left = await leftOver(N, async () => {
    const hub = await answer(publisher, await publisher.freshOffer());
    await until('publish connected', 15_000, () => publisher.connectionState === 'connected');
    // The hub's side goes quiet without a word (its sockets closed, no DTLS close_notify reaches us).
    for (const t of hub.iceTransports)
      for (const p of (t.connection as unknown as { protocols: { close?: () => Promise<void> }[] }).protocols) await p.close?.();
    publisher.close();
    await closeQuietly(hub);
  });
  expect(left, `fds left after ${N} rebuilds with a silent hub`).toBe(0);
}, 120_000);
