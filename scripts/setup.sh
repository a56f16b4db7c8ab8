#!/usr/bin/env bash
# Installs what clientgate needs on Debian 12 (quick when everything is there).
#   scripts/setup.sh          build and test dependencies
#   scripts/setup.sh --bench  also wrk and nginx, for bench/
#   scripts/setup.sh --fuzz   also clang-14 and its libFuzzer runtime, for tests/fuzz
set -euo pipefail

packages=(cmake g++ make pkg-config git curl python3
  libboost1.81-dev libboost-url1.81-dev rapidjson-dev libpugixml-dev libsqlite3-dev
  catch2 libsodium-dev libtoml11-dev libgumbo-dev clang-format)
# Real clients run by the tests (tests/real_clients): Ruby ActiveResource, for legacy_xml.
packages+=(ruby ruby-activesupport ruby-activemodel ruby-activemodel-serializers-xml ruby-builder)
# The real clients the tests drive (tests/real_clients): Invoice Ninja's PHP SDK on Debian's
# Guzzle and Carbon; n8n's Invoice Ninja node on Node.js (its npm part: see below).
packages+=(php-cli php-curl php-mbstring php-guzzlehttp-guzzle php-guzzlehttp-psr7
  php-guzzlehttp-promises php-nesbot-carbon nodejs)
command -v npm >/dev/null || packages+=(npm)
for arg in "$@"; do
  case "$arg" in
    --bench) packages+=(wrk nginx-light bc time) ;;
    --fuzz) packages+=(clang-14 libclang-rt-14-dev) ;;
    *) echo "usage: scripts/setup.sh [--bench] [--fuzz]" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  # Keep package scripts from starting services (nginx) on the build machine.
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm packages at the versions their lock files pin (quick when already installed).
"$(dirname "$0")/../tests/real_clients/ninja/n8n/install.sh"
