#!/usr/bin/env bash
# Installs n8n's Invoice Ninja node, unmodified, for the ninja real-client test (run by
# scripts/setup.sh; quick when already installed).
#
# The node's runtime (n8n-workflow, lodash) comes from package-lock.json with `npm ci`.
# n8n-nodes-base itself depends on some 300 packages (databases, brokers, browsers) that the
# Invoice Ninja node never loads, so only its tarball is fetched, checked against the
# registry's integrity below, and the files the node needs are unpacked from it as they are:
# dist/nodes/InvoiceNinja/*, dist/credentials/InvoiceNinjaApi.credentials.js and the one
# module they require, dist/utils/ISOCountryCodes.js.
set -euo pipefail
cd "$(dirname "$0")"

nodes_base_version=2.41.2
nodes_base_integrity='sha512-qUItyawxR1aR/t6Fgk0whYwBSDR+VOu5RkgAI3AElVI3dqPLLcCAawAMFc/N3GFG35//quOVRUwuc7a3mVLC0g=='

stamp=node_modules/.clientgate-installed
want="$(cat package-lock.json install.sh | sha256sum | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi

echo "setup: installing n8n's Invoice Ninja node (n8n-nodes-base@$nodes_base_version)" >&2
rm -rf node_modules
npm ci --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
npm pack "n8n-nodes-base@$nodes_base_version" --pack-destination "$tmp" --loglevel=error >/dev/null
tarball="$tmp/n8n-nodes-base-$nodes_base_version.tgz"
got="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
if [ "$got" != "$nodes_base_integrity" ]; then
  echo "setup: n8n-nodes-base tarball integrity mismatch: $got" >&2
  exit 1
fi
mkdir -p node_modules/n8n-nodes-base
tar xzf "$tarball" -C node_modules/n8n-nodes-base --strip-components=1 \
  package/package.json package/LICENSE.md package/dist/nodes/InvoiceNinja \
  package/dist/credentials/InvoiceNinjaApi.credentials.js package/dist/utils/ISOCountryCodes.js
echo "$want" >"$stamp"
