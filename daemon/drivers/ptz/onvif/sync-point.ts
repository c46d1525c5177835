// Media SetSynchronizationPoint: ask the camera for an I-frame now, so a subscriber that joins a passthrough
// stream decodes at once instead of waiting for the camera's next GOP. ONVIF media.wsdl (ver10), operation
// SetSynchronizationPoint: "the client can request a Synchronization Point which enforces the device to add an
// I-Frame as soon as possible … If a video stream is associated with the profile, an I-frame shall be added to
// this video stream" (Media2, ver20 media.wsdl, has the same operation; we speak Media 1, as for GetStreamUri).
import type { Logger } from '../../../../common/log.js';
import { xmlEscape } from '../../../../common/protocols/onvif/index.js';
import { SoapFaultError } from './onvif-faults.js';

export const syncPointRequest = (profileToken: string) =>
  `<trt:SetSynchronizationPoint><trt:ProfileToken>${xmlEscape(profileToken)}</trt:ProfileToken></trt:SetSynchronizationPoint>`;

/**
 * sent: the camera acknowledged (an IDR is on its way); merged: folded into one sent within the merge window
 * (a trailing one follows at its end); refused: the camera faulted it once (not supported, or not allowed for
 * this account) and is not asked again; failed: no answer this time (network, timeout, not connected).
 */
export type SyncPointAnswer = 'sent' | 'merged' | 'refused' | 'failed';

export interface SyncPointDeps {
  /** One SetSynchronizationPoint on the wire for the driver's profile; rejects as the SOAP client does. */
  send(): Promise<void>;
  log: Logger;
  /** Requests inside this window after one sent share it, plus one trailing request (default 1000 ms). */
  mergeMs?: number;
  now?: () => number;
}

/** A camera that refuses is done for this driver's life; one that does not answer may answer the next time. */
const isRefusal = (e: unknown) => e instanceof SoapFaultError || (e instanceof TypeError && /^HTTP \d{3}/.test(e.message));

export function createSyncPoint(d: SyncPointDeps) {
  const mergeMs = d.mergeMs ?? 1000;
  const now = d.now ?? (() => performance.now());
  let last = Number.NEGATIVE_INFINITY;
  let trailing: NodeJS.Timeout | undefined;
  let refused: string | undefined;
  let failureLogged = false;
  let sent = 0;
  let latest: Promise<SyncPointAnswer> = Promise.resolve('sent');

  async function fire(): Promise<SyncPointAnswer> {
    last = now();
    sent++;
    try {
      await d.send();
      failureLogged = false;
      return 'sent';
    } catch (err) {
      const message = (err as Error)?.message ?? String(err);
      if (isRefusal(err)) {
        refused = message;
        d.log.warn({ err: message }, 'camera refused SetSynchronizationPoint: subscribers wait for its GOP (not asked again)');
        return 'refused';
      }
      if (!failureLogged) d.log.warn({ err: message }, 'SetSynchronizationPoint not answered: this subscriber waits for the GOP');
      failureLogged = true;
      return 'failed';
    }
  }

  return {
    /** Never rejects: the media path must not see a camera's error. */
    request(): Promise<SyncPointAnswer> {
      if (refused !== undefined) return Promise.resolve('refused');
      const wait = last + mergeMs - now();
      if (wait <= 0) return (latest = fire());
      // Subscribers joining together: one IDR now, at most one more at the window's end, never back to back.
      trailing ??= setTimeout(() => {
        trailing = undefined;
        if (refused === undefined) latest = fire();
      }, wait);
      // Told what the camera said to the request this one joins.
      return latest.then((a) => (a === 'sent' ? 'merged' : a));
    },
    stop(): void {
      clearTimeout(trailing);
      trailing = undefined;
    },
    /** Requests put on the wire (tests, status). */
    get sent() {
      return sent;
    },
    get refused() {
      return refused;
    },
  };
}
export type SyncPoint = ReturnType<typeof createSyncPoint>;
