#!/bin/sh
# Installs what hoctap needs on Debian 12, idempotently and without questions:
# the Debian packages that are missing, then the npm packages from the lockfile.
#   scripts/setup.sh        everything (build, run, test and benchmark)
#   scripts/setup.sh run    only what building and running needs
set -eu
cd "$(dirname "$0")/.."
profile=${1:-test}

build_pkgs="build-essential pkg-config libmicrohttpd-dev libjansson-dev libsqlite3-dev libutf8proc-dev libsodium-dev libzip-dev libexpat1-dev libxlsxwriter-dev libcairo2-dev libpango1.0-dev libqrencode-dev fonts-liberation2 fonts-dejavu-core"
# The test suite also needs a browser, Python for the runner, clang-format, and
# LibreOffice Calc (headless) to write the .xlsx files officers save with it,
# poppler-utils (pdftotext, pdftoppm) to read the PDFs the product prints, and
# zbar-tools (zbarimg) to decode the QR codes printed on certificates.
test_pkgs="chromium python3 python3-openpyxl clang-format libreoffice-calc-nogui poppler-utils zbar-tools"
# The benchmarks' peers and tools (bench/): the sqlite3 shell and GNU time for bench/import;
# wrk (the load generator) and nginx (the static-file ceiling) for bench/http, which runs
# the nginx binary with its own prefix and configuration, never the service. (Debian 12's
# nginx-light is only a dummy package that pulls in nginx plus a module we do not use.)
# (bench/evaluate installs its npm peer itself, into bench/node_modules.)
bench_pkgs="sqlite3 time wrk nginx"

pkgs=$build_pkgs
[ "$profile" = run ] || pkgs="$pkgs $test_pkgs $bench_pkgs"
command -v node >/dev/null 2>&1 || pkgs="$pkgs nodejs"
command -v npm >/dev/null 2>&1 || pkgs="$pkgs npm"

missing=""
for p in $pkgs; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  case "$status" in
    *"install ok installed"*) ;;
    *) missing="$missing $p" ;;
  esac
done

if [ -n "$missing" ]; then
  echo "setup: installing Debian packages:$missing"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  # nginx's package starts the nginx service on port 80 where an init system lets it (a
  # machine running systemd); the benchmark only needs the binary. Unless the machine has
  # its own policy, a temporary policy-rc.d forbids starting nginx during the install, and
  # the service is left disabled.
  policy=/usr/sbin/policy-rc.d
  own_policy=""
  case " $missing " in
    *" nginx "*)
      if [ ! -e "$policy" ]; then
        printf '#!/bin/sh\n# scripts/setup.sh: no nginx service while installing\n[ "$1" = nginx ] && exit 101\nexit 0\n' |
          $sudo tee "$policy" >/dev/null
        $sudo chmod 755 "$policy"
        own_policy=1
        trap '$sudo rm -f "$policy"' EXIT
      fi ;;
  esac
  $sudo apt-get update -qq
  # shellcheck disable=SC2086
  $sudo apt-get install -y -qq --no-install-recommends $missing
  if [ -n "$own_policy" ]; then
    $sudo rm -f "$policy"
    trap - EXIT
    if [ -d /run/systemd/system ]; then
      $sudo systemctl disable --quiet nginx.service 2>/dev/null || true
    fi
  fi
fi

node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ]; then
  echo "setup: Node.js 20 or newer is needed to build the front end (found ${node_major})." >&2
  echo "setup: install a newer nodejs package and run this again." >&2
  exit 1
fi

# npm packages exactly as locked; reinstall when the lockfile changed.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm packages from package-lock.json"
  npm ci --no-audit --no-fund --loglevel=error
fi
echo "setup: all dependencies are present"
