import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';

// systemd/50-reception.rules: polkit's JavaScript rule, run here in a bare context with polkit's rule API
// (addRule, Result, action.lookup) — what the room daemon may ask systemd for, and what it may not.
// polkitd's engine (Debian 12: 122, duktape) reads ES5: no arrow functions, let/const or template strings.

const source = readFileSync(new URL('./50-reception.rules', import.meta.url), 'utf8');
const Result = { YES: 'yes', NO: 'no', NOT_HANDLED: null } as const;
const rules: Array<(action: object, subject: object) => unknown> = [];
runInNewContext(source, { polkit: { Result, addRule: (f: (typeof rules)[number]) => rules.push(f) } });

const decide = (user: string, unit: string, verb: string, id = 'org.freedesktop.systemd1.manage-units') =>
  rules[0]!({ id, lookup: (k: string) => ({ unit, verb })[k as 'unit' | 'verb'] }, { user });

describe('polkit rule for the room daemon', () => {
  it('is ES5 and adds one rule', () => {
    expect(rules).toHaveLength(1);
    const code = source.replace(/^\s*\/\/.*$/gm, ''); // the comments may say anything
    expect(code).not.toMatch(/=>|\blet\b|\bconst\b|`/);
  });

  it('lets reception restart its own units', () => {
    for (const unit of ['reception-daemon.service', 'reception-gateway.service', 'reception-kiosk.service'])
      expect(decide('reception', unit, 'restart')).toBe('yes');
  });

  it('lets reception start the update installer, whose command and key its unit file pins — only start', () => {
    expect(decide('reception', 'reception-update.service', 'start')).toBe('yes');
    for (const verb of ['stop', 'restart', 'reload', 'enable']) expect(decide('reception', 'reception-update.service', verb)).toBeNull();
    expect(decide('reception-kiosk', 'reception-update.service', 'start')).toBeNull();
    expect(decide('reception', 'reception-update@x.service', 'start')).toBeNull();
  });

  it('nothing else: other verbs, units, users or actions are left to polkit’s defaults', () => {
    expect(decide('reception', 'reception-daemon.service', 'stop')).toBeNull();
    expect(decide('reception', 'ssh.service', 'restart')).toBeNull();
    // No transient unit: polkit would not see what it runs, or as whom.
    expect(decide('reception', 'reception-update-0.2.0-1796308620497.service', 'start')).toBeNull();
    expect(decide('reception-kiosk', 'reception-daemon.service', 'restart')).toBeNull();
    expect(decide('reception', 'reception-daemon.service', 'restart', 'org.freedesktop.login1.reboot')).toBeNull();
  });
});
