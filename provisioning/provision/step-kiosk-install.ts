import { run as kioskPin } from '../../daemon/modules/kiosk/kiosk-pin-command.js';
import { run as install } from '../commands/install-command.js';
import { parse } from './asker.js';
import { pinReleaseKey, trustReleaseKey } from './release-key.js';
import type { Step } from './context.js';
import { check } from './progress.js';

// The officers' kiosk PIN (`reception kiosk-pin`) and the system units (`reception install`), each through
// its own command, so the flow stores and installs exactly as those do; the release key for updates beside them.

const PIN = /^\d{4,8}$/;

export const kioskStep: Step = {
  name: 'kiosk',
  vi: 'Mã PIN màn hình',
  en: 'Kiosk PIN',
  async run(ctx) {
    const pin = await ctx.ask.ask({
      key: 'kiosk.pin',
      vi: 'Mã PIN của cán bộ (4–8 chữ số)',
      en: "Officers' PIN (4–8 digits)",
      parse: (v) => {
        if (!PIN.test(String(v))) throw new Error('4–8 chữ số / 4 to 8 digits');
        return String(v);
      },
    });
    const code = await kioskPin(['--config', ctx.configFile, pin]);
    return {
      checks: [
        check(
          'kiosk',
          'Mã PIN màn hình / kiosk PIN',
          code === 0,
          code === 0 ? 'stored as a salted scrypt hash (kiosk.pinHash)' : `reception kiosk-pin exited ${code}`,
        ),
      ],
    };
  },
};

export const installStep: Step = {
  name: 'install',
  vi: 'Cài dịch vụ và khoá phát hành',
  en: 'Units and release key',
  async run(ctx) {
    const release = await trustReleaseKey(ctx); // whether or not the units are installed here
    const wanted =
      ctx.flags.install === false
        ? false
        : await ctx.ask.ask({
            key: 'install',
            vi: 'Cài người dùng hệ thống và unit systemd?',
            en: 'Install the system users and systemd units?',
            default: true,
            parse: parse.yes,
          });
    if (!wanted)
      return {
        checks: [
          check(
            'install',
            'Cài dịch vụ / install units',
            'skipped',
            ctx.flags.install === false ? '--no-install' : 'technician chose not to',
          ),
          release,
        ],
      };
    const prefix = await ctx.ask.ask({ key: 'installPrefix', vi: 'Thư mục ứng dụng', en: 'Application prefix', default: '/opt/reception' });
    const code = await install(['--prefix', prefix, '--role', 'room']);
    const units = check(
      'install',
      'Cài dịch vụ / install units',
      code === 0,
      code === 0 ? `units installed from ${prefix}/systemd` : `reception install exited ${code}`,
    );
    return { checks: code === 0 ? [units, release, await pinReleaseKey(ctx.stateDir)] : [units, release] };
  },
};
