import type { Conference } from '../sfu/conference.js';

// A node's load as its heartbeat carries it: open legs (each a werift peer connection: publishers' and
// subscribers', WHEP viewers') and the share of one core the process used since the last sample; and the
// rooms connected here (any node then answers whether a room is online).

export function createLoadSampler(conference: Pick<Conference, 'legs' | 'members'>) {
  let last = { cpu: process.cpuUsage(), at: performance.now() };
  return () => {
    const cpu = process.cpuUsage();
    const at = performance.now();
    const usedUs = cpu.user - last.cpu.user + (cpu.system - last.cpu.system);
    const share = at > last.at ? usedUs / 1000 / (at - last.at) : 0;
    last = { cpu, at };
    const legs = conference.legs().length + conference.members().filter((m) => m.publish).length;
    const rooms = conference
      .members()
      .filter((m) => m.info.kind === 'room')
      .map((m) => ({ id: m.info.id, publishing: !!m.publish }));
    return { legs, cpu: Math.round(share * 1000) / 1000, rooms };
  };
}
