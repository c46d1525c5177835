// Janus (Debian's `janus` package, 1.1.2) as a test's or a benchmark's own process: its own config dir in a
// temp dir, only the HTTP transport and the VideoRoom plugin (symlinked into private folders, so nothing
// else loads), the HTTP API on loopback on a free port with an API secret, ICE on every interface but
// loopback (libnice offers none) or on one. Never the system service's config.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './free-port.js';

const INSTALL_HINT =
  'Janus is not installed: `sudo apt-get install -y --no-install-recommends janus` (Debian 12: 1.1.2), then ' +
  '`sudo systemctl disable --now janus` (tests and benchmarks start their own process, the service is not needed)';

/** Why Janus tests cannot run here (null: they can) — the reason a test skips with. */
export function janusMissing(): string | null {
  try {
    janusInstall();
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

/** Where Debian puts the binary and the two modules we load; a clear error naming what is missing. */
export function janusInstall(): { bin: string; plugin: string; transport: string } {
  const bin = (spawnSync('/bin/sh', ['-c', 'command -v janus'], { encoding: 'utf8' }).stdout ?? '').trim();
  // Debian's multiarch dir (/usr/lib/x86_64-linux-gnu/janus, /usr/lib/aarch64-linux-gnu/janus…).
  const multiarch = readdirSync('/usr/lib').find((d) => d.endsWith('-linux-gnu') && existsSync(join('/usr/lib', d, 'janus')));
  const lib = join('/usr/lib', multiarch ?? 'x86_64-linux-gnu', 'janus');
  const plugin = join(lib, 'plugins', 'libjanus_videoroom.so');
  const transport = join(lib, 'transports', 'libjanus_http.so');
  const missing = [!bin && 'janus binary', !existsSync(plugin) && plugin, !existsSync(transport) && transport].filter(Boolean);
  if (missing.length) throw new Error(`${INSTALL_HINT} — missing: ${missing.join(', ')}`);
  return { bin, plugin, transport };
}

export interface JanusProcess {
  url: string; // http://127.0.0.1:<port>/janus
  apiSecret: string;
  /** the Admin API (with `admin`): http://127.0.0.1:<port>/admin and its secret */
  admin?: { url: string; secret: string };
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts janus (ICE on `iface` only, if given); resolves when GET /janus/info answers. `port`: to restart on the same one. */
export async function startJanus(
  dir: string,
  o: { iface?: string; rtpPorts: [number, number]; apiSecret?: string; port?: number; admin?: { port: number; secret: string } },
): Promise<JanusProcess> {
  const install = janusInstall();
  const folders = Object.fromEntries(['conf', 'plugins', 'transports', 'events', 'loggers'].map((f) => [f, join(dir, f)]));
  for (const f of Object.values(folders)) mkdirSync(f, { recursive: true });
  for (const [target, link] of [
    [install.plugin, join(folders.plugins!, 'libjanus_videoroom.so')],
    [install.transport, join(folders.transports!, 'libjanus_http.so')],
  ] as const)
    if (!existsSync(link)) symlinkSync(target, link);
  const port = o.port ?? (await freePort());
  const apiSecret = o.apiSecret ?? '';
  // session_timeout 0: the bench keeps sessions for the whole run (it also sends keepalives).
  writeFileSync(
    join(folders.conf!, 'janus.jcfg'),
    `general: {
  configs_folder = "${folders.conf}"
  plugins_folder = "${folders.plugins}"
  transports_folder = "${folders.transports}"
  events_folder = "${folders.events}"
  loggers_folder = "${folders.loggers}"
  debug_level = 3
  session_timeout = 0
  server_name = "reception-test"${apiSecret ? `\n  api_secret = "${apiSecret}"` : ''}${o.admin ? `\n  admin_secret = "${o.admin.secret}"` : ''}
}
media: { rtp_port_range = "${o.rtpPorts[0]}-${o.rtpPorts[1]}" }
nat: { nice_debug = false${o.iface ? `  ice_enforce_list = "${o.iface}"` : ''} }
`,
  );
  writeFileSync(
    join(folders.conf!, 'janus.transport.http.jcfg'),
    `general: { json = "compact"  base_path = "/janus"  http = true  port = ${port}  https = false  ip = "127.0.0.1" }
admin: { ${o.admin ? `admin_http = true  admin_port = ${o.admin.port}  admin_ip = "127.0.0.1"  admin_base_path = "/admin"` : 'admin_http = false'}  admin_https = false }
`,
  );
  writeFileSync(join(folders.conf!, 'janus.plugin.videoroom.jcfg'), 'general: { }\n');
  const log = openSync(join(dir, 'janus.log'), 'a');
  const child = spawn(install.bin, ['-F', folders.conf!, '-C', join(folders.conf!, 'janus.jcfg'), '-o'], {
    stdio: ['ignore', log, log],
  });
  const url = `http://127.0.0.1:${port}/janus`;
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`janus exited (${code}) before answering: see ${join(dir, 'janus.log')}`))),
  );
  const up = (async () => {
    for (const t0 = Date.now(); Date.now() - t0 < 20_000; await new Promise((r) => setTimeout(r, 200))) {
      const ok = await fetch(`${url}/info`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return;
    }
    throw new Error(`janus did not answer ${url}/info within 20 s: see ${join(dir, 'janus.log')}`);
  })();
  await Promise.race([up, exited]).catch((err) => {
    child.kill('SIGKILL');
    throw err;
  });
  exited.catch(() => undefined);
  return {
    url,
    apiSecret,
    admin: o.admin && { url: `http://127.0.0.1:${o.admin.port}/admin`, secret: o.admin.secret },
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}
