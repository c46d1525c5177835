import { COMMISSIONING_ROUTE, type CommissioningUpload } from '../../common/contracts/commissioning.js';
import { HUB_API } from '../../common/contracts/route.js';
import { openHubLink } from '../../common/enrollment/hub-link.js';

/** The report to the hub with the room's enrolled token; the hub's answer, or why it was not sent. */
export async function sendReport(stateDir: string, room: string, upload: CommissioningUpload): Promise<{ ok: boolean; message: string }> {
  const link = await openHubLink(stateDir, { hubUrl: 'http://127.0.0.1:1' });
  try {
    if (!link.enrolled) return { ok: false, message: 'chưa ghi danh / not enrolled: the report stays on the box' };
    const res = await link.fetch(`${link.baseUrl}${HUB_API}${COMMISSIONING_ROUTE.replace(':room', encodeURIComponent(room))}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${link.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(upload),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await res.text();
    return res.ok
      ? { ok: true, message: `${link.baseUrl}: ${text}` }
      : { ok: false, message: `hub answered ${res.status}: ${text.slice(0, 300)}` };
  } catch (err) {
    return { ok: false, message: `${link.baseUrl}: ${String((err as { cause?: Error }).cause?.message ?? (err as Error).message)}` };
  } finally {
    await link.close();
  }
}
