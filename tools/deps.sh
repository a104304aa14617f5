# Sourced by tools/quickstart and tools/test: installs the Debian packages crmledger needs when
# any is missing (apt-get update once, then install), and configures + builds into $BUILD.
# Needs root for installs (CI and the dev machines run as root).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$ROOT/build}
JOBS=${JOBS:-2}

PACKAGES=(
  build-essential cmake ccache pkg-config
  librocksdb-dev rocksdb-tools libflatbuffers-dev flatbuffers-compiler
  librdkafka-dev kcat jq libspdlog-dev libfmt-dev doctest-dev libcli11-dev nlohmann-json3-dev
  libsodium-dev libssl-dev clang libclang-rt-14-dev
  libcurl4-openssl-dev libmstch-dev python3-aiosmtpd
  libcsv-dev libzip-dev libpugixml-dev libxlsxwriter-dev libbelcard-dev libgmime-3.0-dev
  libuchardet-dev libfreexl-dev libutf8proc-dev python3-xlwt python3-docx
  iso-codes tzdata
)

crm_install_deps() {
  local missing=()
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "installing: ${missing[*]}" >&2
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
  fi
}

crm_build() {
  cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" >/dev/null
  cmake --build "$BUILD" -j"$JOBS"
}
