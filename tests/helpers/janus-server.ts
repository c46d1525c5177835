// Janus (Debian's `janus` package, 1.1.2) as a benchmark's own process: its own config dir in a temp
// dir, only the HTTP transport and the VideoRoom plugin (symlinked into private folders, so nothing
// else loads), a free HTTP port, ICE on one interface. Never the system service's config.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../../tests/helpers/free-port.js';

const INSTALL_HINT =
  'Janus is not installed: `sudo apt-get install -y --no-install-recommends janus` (Debian 12: 1.1.2), then ' +
  '`sudo systemctl disable --now janus` (the benchmark starts its own process, the service is not needed)';

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
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts janus with `iface` as its only ICE interface; resolves when GET /janus/info answers. */
export async function startJanus(dir: string, o: { iface: string; rtpPorts: [number, number] }): Promise<JanusProcess> {
  const install = janusInstall();
  const folders = Object.fromEntries(['conf', 'plugins', 'transports', 'events', 'loggers'].map((f) => [f, join(dir, f)]));
  for (const f of Object.values(folders)) mkdirSync(f, { recursive: true });
  symlinkSync(install.plugin, join(folders.plugins!, 'libjanus_videoroom.so'));
  symlinkSync(install.transport, join(folders.transports!, 'libjanus_http.so'));
  const port = await freePort();
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
  server_name = "reception-bench"
}
media: { rtp_port_range = "${o.rtpPorts[0]}-${o.rtpPorts[1]}" }
nat: { nice_debug = false  ice_enforce_list = "${o.iface}" }
`,
  );
  writeFileSync(
    join(folders.conf!, 'janus.transport.http.jcfg'),
    `general: { json = "compact"  base_path = "/janus"  http = true  port = ${port}  https = false }
admin: { admin_http = false  admin_https = false }
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
