// Random UDP packet loss inside this Node process, both directions, for every dgram socket (werift's
// ICE transports use node:dgram). Used where the kernel has no netem (this box: "Specified qdisc kind
// is unknown", no gact action either): applied in the participants' process, it loses packets on every
// hop to and from the hub — RTP, RTCP (NACK, PLI, reports), STUN — as a lossy network would, while
// the hub process runs untouched. Signaling (TCP) and the encoders (stdout) are not affected.
import { Socket } from 'node:dgram';

export const udpLoss = { rate: 0, droppedIn: 0, droppedOut: 0, passedIn: 0, passedOut: 0 };

type SendFn = (...args: unknown[]) => void;
const send = Socket.prototype.send as unknown as SendFn;
const emit = Socket.prototype.emit;

(Socket.prototype as unknown as { send: SendFn }).send = function (this: Socket, ...args: unknown[]) {
  if (udpLoss.rate > 0 && Math.random() < udpLoss.rate) {
    udpLoss.droppedOut++;
    const cb = args.find((a) => typeof a === 'function') as ((err: Error | null, bytes: number) => void) | undefined;
    if (cb) queueMicrotask(() => cb(null, 0)); // sent as far as the sender can tell, lost on the way
    return;
  }
  udpLoss.passedOut++;
  return send.apply(this, args);
};

Socket.prototype.emit = function (this: Socket, event: string | symbol, ...args: unknown[]) {
  if (event === 'message') {
    if (udpLoss.rate > 0 && Math.random() < udpLoss.rate) {
      udpLoss.droppedIn++;
      return true;
    }
    udpLoss.passedIn++;
  }
  return (emit as (this: Socket, ...a: unknown[]) => boolean).call(this, event, ...args);
} as typeof Socket.prototype.emit;
