#!/usr/bin/env bash
# A full disk is a storage failure: exit 4 with one clear error line, no abort, nothing
# half-written (issue 14, item 3). Runs on a 20 MiB tmpfs filled with dd; needs root to mount
# one (CI and the dev machines run as root), and is skipped (exit 77) where it cannot.
CRMCTL=${CRMCTL:-$1}
source "$(dirname "$0")/lib.sh"
mnt=$E2E_SCRATCH/small
mkdir -p "$mnt"
if ! mount -t tmpfs -o size=20m tmpfs "$mnt" 2>/dev/null; then
  echo "SKIP: cannot mount a tmpfs here (needs root)"
  exit 77
fi
E2E_CLEANUPS=("umount '$mnt'" "${E2E_CLEANUPS[@]}")  # before the scratch directory goes
export CRM_DATA=$mnt/data

c init >/dev/null
c code add job-responsibility PURCHASE >/dev/null
c contact create --name "Kari Nordmann" >/dev/null
before=$(head_seq)
dd if=/dev/zero of="$mnt/filler" bs=1M count=40 status=none 2>/dev/null || true   # fills it

# one_storage_error WHAT ARGS...: exit 4, one error line, no core.
one_storage_error() {
  local what=$1 err rc=0
  shift
  err=$("$CRMCTL" "$@" 2>&1 >/dev/null) || rc=$?
  eq "$rc" 4 "$what: exit code (a full disk is a storage failure)"
  eq "$(printf '%s\n' "$err" | wc -l)" 1 "$what: one line"
  eq "$(printf '%s\n' "$err" | cut -c1-7)" "error: " "$what: an error line"
}
one_storage_error "campaign create" campaign create --name "Full disk"
rows=$E2E_SCRATCH/rows.csv
{ echo "Name,Email"; for i in $(seq 1 3000); do echo "Person $i,p$i@example.com"; done; } >"$rows"
one_storage_error "import" import contacts "$rows"
rm -f "$mnt/filler"

# Space back: nothing was half-written, and the next command takes the next number.
eq "$(head_seq)" "$before" "the ledger is as it was"
c ledger verify >/dev/null
eq "$(c contact list --json | jq length)" 1 "no contact was half-imported"
eq "$(c campaign create --name 'After')" CP0001 "the next campaign takes the first number"
eq "$(c projections rebuild --check 2>&1 | cut -c1-21)" "projections identical" "projections equal a rebuild"
finish
