import { silentLogger } from '../../common/log.js';
import { parseProfiles, type ProfileReading } from '../../common/protocols/onvif/soap-device.js';
import { mediaRequests } from '../../common/protocols/onvif/soap-requests.js';
import { connectCamera, type OnvifSession } from '../../daemon/drivers/ptz/onvif/connect.js';
import { SoapFaultError } from '../../daemon/drivers/ptz/onvif/onvif-faults.js';
import { OnvifSoapClient } from '../../daemon/drivers/ptz/onvif/soap-client.js';

// One login attempt with one pair of credentials, exactly as the daemon's ONVIF driver connects (clock,
// capabilities, identity, profiles, PTZ spaces), then every media profile read. A NotAuthorized fault is
// told apart from everything else: the camera answered, but not to these credentials.

export interface Credentials {
  username: string;
  password: string;
}

export type Login =
  | { ok: true; session: OnvifSession; profiles: ProfileReading[]; auth: string }
  | { ok: false; refused: true; message: string }
  | { ok: false; refused: false; message: string };

const isRefused = (e: unknown) => e instanceof SoapFaultError && e.fault.subcodes.some((c) => /(^|:)NotAuthorized$/.test(c));

export async function tryLogin(xaddr: string, creds: Credentials, timeoutMs = 4000): Promise<Login> {
  const client = new OnvifSoapClient({ ...creds, auth: 'auto', deviceUrl: xaddr });
  const signal = AbortSignal.timeout(timeoutMs * 8);
  try {
    const session = await connectCamera({ id: 'provision', xaddr, timeoutMs, client, log: silentLogger() }, signal);
    const profiles = parseProfiles(await client.call(session.urls.media, mediaRequests.getProfiles(), AbortSignal.timeout(timeoutMs)));
    return { ok: true, session, profiles, auth: client.auth };
  } catch (err) {
    // A refusal shows as the fault itself or as a driver error wrapping it.
    const cause = (err as { cause?: unknown }).cause;
    if (isRefused(err) || isRefused(cause)) return { ok: false, refused: true, message: (err as Error).message };
    return { ok: false, refused: false, message: (err as Error).message };
  }
}
