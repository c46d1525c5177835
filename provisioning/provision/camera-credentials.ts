import type { OnvifSession } from '../../daemon/drivers/ptz/onvif/connect.js';
import type { ProfileReading } from '../../common/protocols/onvif/soap-device.js';
import { type Credentials, tryLogin } from './camera-login.js';
import type { Ctx } from './context.js';

// Credentials until the camera takes one: at the terminal the technician is told the camera refused and
// asked again; from an answers file every pair of `cameras.credentials` is tried in order, then the camera
// is named as refusing them all.

export type LoggedIn =
  | { ok: true; session: OnvifSession; profiles: ProfileReading[]; creds: Credentials; figure: string }
  | { ok: false; figure: string };

const parseCreds = (v: unknown): Credentials[] => {
  const list = Array.isArray(v) ? v : [v];
  return list.map((c, i) => {
    const o = c as Partial<Credentials>;
    if (!o || typeof o.username !== 'string' || typeof o.password !== 'string')
      throw new Error(`mục ${i}: cần {"username", "password"} / item ${i}: needs {"username": "…", "password": "…"}`);
    return { username: o.username, password: o.password };
  });
};

export async function logIn(ctx: Ctx, id: string, xaddr: string): Promise<LoggedIn> {
  const { ask } = ctx;
  if (!ask.interactive) {
    const list = await ask.ask({ key: 'cameras.credentials', vi: 'Tài khoản camera', en: 'Camera credentials', parse: parseCreds });
    const refused: string[] = [];
    for (const creds of list) {
      const r = await tryLogin(xaddr, creds);
      if (r.ok)
        return { ...r, creds, figure: `${creds.username} @ ${xaddr} (${r.auth}; ${r.session.info.manufacturer} ${r.session.info.model})` };
      if (!r.refused) return { ok: false, figure: `${xaddr}: ${r.message}` };
      refused.push(creds.username);
      ask.say(
        `Camera ${id} (${xaddr}) từ chối tài khoản "${creds.username}"`,
        `camera ${id} (${xaddr}) refused the credentials of "${creds.username}"`,
      );
    }
    return { ok: false, figure: `camera ${id} at ${xaddr} answers discovery but refused every credential given (${refused.join(', ')})` };
  }
  for (;;) {
    const username = await ask.ask({
      key: 'cameras.username',
      vi: `Tên đăng nhập camera ${id} (${xaddr})`,
      en: `Username of camera ${id}`,
      default: 'admin',
    });
    const password = await ask.ask({ key: 'cameras.password', vi: 'Mật khẩu', en: 'Password', default: '' });
    const r = await tryLogin(xaddr, { username, password });
    if (r.ok)
      return {
        ...r,
        creds: { username, password },
        figure: `${username} @ ${xaddr} (${r.auth}; ${r.session.info.manufacturer} ${r.session.info.model})`,
      };
    if (r.refused)
      ask.say(
        `Camera ${id} trả lời nhưng từ chối tài khoản này — nhập lại`,
        `camera ${id} answers but refused these credentials — try again`,
      );
    else {
      ask.say(`Không kết nối được camera ${id}: ${r.message}`, `cannot connect to camera ${id}: ${r.message}`);
      const again = await ask.ask({
        key: 'cameras.retry',
        vi: 'Thử lại?',
        en: 'Try again?',
        default: true,
        parse: (v) => /^(y|c|có|yes|true)/i.test(String(v)),
      });
      if (!again) return { ok: false, figure: `${xaddr}: ${r.message}` };
    }
  }
}
