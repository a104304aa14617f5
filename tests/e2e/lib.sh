# Shared helpers for end-to-end tests that drive the real crmctl binary.
# Usage: source lib.sh; then `c ARGS...` runs crmctl; `expect_exit N ARGS...`; `eq A B WHAT`.
set -euo pipefail
CRMCTL=${CRMCTL:?set CRMCTL to the crmctl binary}
# Sourced once per shell: kafka.sh sources it, then the script it runs sources it again, which
# must not drop the cleanups registered in between (the mock cluster, the scratch directory).
[ -n "${E2E_LIB_LOADED:-}" ] && return 0
E2E_LIB_LOADED=1
# on_exit 'COMMAND': run when the script exits, after those registered before it.
E2E_CLEANUPS=()
on_exit() { E2E_CLEANUPS+=("$1"); }
e2e_cleanup() {
  local c
  for c in "${E2E_CLEANUPS[@]}"; do eval "$c" || true; done
}
trap e2e_cleanup EXIT
if [ -z "${CRM_DATA:-}" ]; then
  E2E_SCRATCH=$(mktemp -d /tmp/crm-e2e-XXXXXX)
  on_exit 'rm -rf "$E2E_SCRATCH"'  # a data directory this script made is removed with it
  export CRM_DATA=$E2E_SCRATCH/data
fi
export CRM_NOW=${CRM_NOW:-2027-01-10T09:00:00Z}
export CRM_USER=${CRM_USER:-tester}
FAILS=0
CHECKS=0

c() { "$CRMCTL" "$@"; }

# eq ACTUAL EXPECTED WHAT
eq() {
  CHECKS=$((CHECKS + 1))
  if [ "$1" != "$2" ]; then
    echo "FAIL: $3: expected [$2], got [$1]" >&2
    FAILS=$((FAILS + 1))
  fi
}

# expect_exit CODE ARGS... : runs crmctl, checks the exit code and that stderr is one error: line.
expect_exit() {
  local want=$1
  shift
  local err rc=0
  err=$("$CRMCTL" "$@" 2>&1 >/dev/null) || rc=$?
  eq "$rc" "$want" "exit code of: crmctl $*"
  if [ "$want" != 0 ]; then
    eq "$(printf '%s\n' "$err" | head -n1 | cut -c1-7)" "error: " "first stderr line of: crmctl $*"
  fi
}

# trade_show_contacts: SPEC scenario A's 40 contacts, CT0001..CT0040: 1-25 purchasers (job
# responsibility PURCHASE), 1-10 customers (business relation CUST), the rest prospects (PROS).
# The codes must exist, or pass --with-codes to define them first.
trade_show_contacts() {
  local i args
  if [ "${1:-}" = --with-codes ]; then
    c code add job-responsibility PURCHASE >/dev/null
    c code add business-relation CUST >/dev/null
    c code add business-relation PROS >/dev/null
  fi
  for i in $(seq 1 40); do
    args=(--name "Contact $i" --email "c$i@example.com")
    [ "$i" -le 25 ] && args+=(--job-responsibility PURCHASE)
    if [ "$i" -le 10 ]; then args+=(--business-relation CUST); else args+=(--business-relation PROS); fi
    c contact create "${args[@]}" >/dev/null
  done
}

# head_seq: the ledger's last sequence number.
head_seq() { c ledger verify --json | jq -r '.head // 0'; }

finish() {
  echo "$CHECKS checks, $FAILS failed"
  echo "$((CHECKS - FAILS)) passed, $FAILS failed"
  [ "$FAILS" -eq 0 ]
}

# A real SMTP server for delivery tests (tools/smtp_lib.sh), stopped when the script exits.
source "$(dirname "${BASH_SOURCE[0]}")/../../tools/smtp_lib.sh"
on_exit smtp_stop
