#!/usr/bin/env bash
# Idempotent set-up shared by `npm run demo` and `npm test`: system packages, npm ci, build.
# Safe to run again and again: each step is skipped when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad
  gstreamer1.0-plugins-ugly gstreamer1.0-libav gstreamer1.0-x gstreamer1.0-rtsp gstreamer1.0-alsa
  libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev libgstrtspserver-1.0-dev gir1.2-gst-rtsp-server-1.0
  python3-gi python3-cairo gir1.2-gst-plugins-bad-1.0 gstreamer1.0-nice chromium socat udev ffmpeg
  prometheus faketime
  coturn
  postgresql
  janus
)

# npm runs no install script of a dependency (.npmrc: ignore-scripts=true; npm does not read
# package.json's "allowScripts"), so a new or compromised dependency runs no code at install. These are
# every package of package-lock.json that has one, each placed on purpose (tests/security/install-scripts
# fails when the lock gains one that is in neither list):
# - rebuilt below by name, with their scripts (node-gyp builds against this Node, node-gyp-build checks
#   the prebuilt binary);
NATIVE_BUILDS=(@serialport/bindings-cpp fs-ext gstreamer-superficial)
# - not run: esbuild's postinstall only verifies its platform binary (@esbuild/<platform>, an optional
#   dependency installed by npm ci, works without it) and swaps its JS launcher for it.
SCRIPTS_NOT_RUN=(esbuild)

say() { printf '[bootstrap] %s\n' "$*" >&2; }


missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    say "installing system packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    # coturn: only the TURN tests' own instances (tests/helpers/coturn.ts); the package's service stays off.
    if [[ " ${missing[*]} " == *" coturn "* ]] && [ -d /run/systemd/system ]; then
      systemctl disable --now coturn.service >/dev/null 2>&1 || true
    fi
    # janus: the media plane's tests start their own process (tests/helpers/janus-server.ts) on free ports; the
    # package's service (default config, ports 8088/8188) stays off — with systemd or with the init.d script.
    if [[ " ${missing[*]} " == *" janus "* ]]; then
      if [ -d /run/systemd/system ]; then
        systemctl disable --now janus.service >/dev/null 2>&1 || true
      else
        invoke-rc.d janus stop >/dev/null 2>&1 || true
        update-rc.d janus disable >/dev/null 2>&1 || true
      fi
    fi
  else
    say "missing system packages; run as root:"
    echo "  apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
fi

# Node: the LTS of .node-version (major must match). A box without it gets it from the npm registry
# (scripts/install-node.sh: /usr/local/lib/reception-node/v<version>, /usr/local/bin/node, integrity-checked).
want_node=$(tr -d ' \nv' < .node-version)
have_node=$(node -p 'process.versions.node' 2>/dev/null || echo none)
if [ "${have_node%%.*}" != "${want_node%%.*}" ]; then
  if [ "$(id -u)" = 0 ]; then
    say "Node $want_node (found $have_node): installing it from the npm registry"
    bash scripts/install-node.sh
    hash -r
    have_node=$(node -p 'process.versions.node' 2>/dev/null || echo none)
    if [ "${have_node%%.*}" != "${want_node%%.*}" ]; then
      say "Node $want_node is in /usr/local/bin/node, but \`node\` here is $(command -v node) ($have_node): put /usr/local/bin first in PATH"; exit 1
    fi
  else
    say "Node ${want_node%%.*} is required (found $have_node); as root: bash scripts/install-node.sh"; exit 1
  fi
fi
# node-gyp builds gstreamer-superficial and fs-ext against the headers beside this node (install-node.sh
# unpacks them; NodeSource packages have them too) instead of downloading them from nodejs.org, and
# never against another Node's (an ~/.npmrc `nodedir=/usr` left from a Node 20 box builds modules
# that Node 24 refuses: "Module did not self-register").
node_home=$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")
if [ -f "$node_home/include/node/node_api.h" ]; then export npm_config_nodedir="$node_home";
else say "no Node headers beside $(command -v node): node-gyp will fetch them from nodejs.org"; export npm_config_nodedir=""; fi

# Media arrives as bursts of UDP (a 720p keyframe is ~80 packets at once) into Node (werift) and
# Chromium sockets; the kernel's default 208 KiB receive buffer drops them under load and a lost
# keyframe freezes the picture. Media servers (MediaMTX, Janus) recommend 4 MiB; systemd/ ships the
# same as a sysctl.d drop-in for the appliance.
want=4194304
for key in net.core.rmem_default net.core.rmem_max; do
  have=$(sysctl -n "$key" 2>/dev/null || echo 0)
  if [ "$have" -lt "$want" ]; then
    if [ "$(id -u)" = 0 ]; then sysctl -q -w "$key=$want" || say "could not raise $key (read-only /proc/sys?)";
    else say "advice: sysctl -w $key=$want (UDP media buffers)"; fi
  fi
done

# npm ci only when what it installs changed since the last install: the lock file, .npmrc, patches/
# (npm ci gives patch-package clean packages to patch) or the Node major (native modules).
stamp=node_modules/.bootstrap-inputs
grep -qx 'ignore-scripts=true' .npmrc 2>/dev/null ||
  { say ".npmrc must say ignore-scripts=true: without it npm ci runs every dependency's install script"; exit 1; }
inputs=$( { cat package-lock.json .npmrc; cat patches/*.patch 2>/dev/null || true; } | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$inputs" ] || [ "$(cat node_modules/.bootstrap-node 2>/dev/null)" != "${have_node%%.*}" ]; then
  say "npm ci (install scripts off: .npmrc)"
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error  # the flag too: an npm_config_ignore_scripts in the environment would beat .npmrc
  # Reviewed patches of installed packages (patches/README.md); stops on one that does not apply.
  say "patches: $(cd patches && echo *.patch)"
  npm run --silent postinstall
  say "native builds: ${NATIVE_BUILDS[*]}"
  npm rebuild --ignore-scripts=false --no-audit --no-fund --loglevel=error "${NATIVE_BUILDS[@]}"
  echo "$inputs" > "$stamp"
  echo "${have_node%%.*}" > node_modules/.bootstrap-node
fi
# The native modules load in this Node (built for its ABI), or bootstrap stops here, not a test later.
node -e "require('gstreamer-superficial'); require('fs-ext'); require('@serialport/bindings-cpp')" ||
  { say "a native module does not load in Node $have_node: rm -rf node_modules and run bootstrap again"; exit 1; }

say "build (tsc + kiosk page)"
npm run --silent build
