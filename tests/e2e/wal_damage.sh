#!/usr/bin/env bash
# A damaged write-ahead log never loses an acknowledged command silently (issue 14, items 1-2).
# Every acknowledged command is synced, so a log that lost it was damaged after the fact: each
# damage below is refused by every reader and writer (exit 4, one line saying what and what to
# do), the record number is never reused, and `projections rebuild --check` fails on a ledger
# with a hole.
CRMCTL=${CRMCTL:-$1}
source "$(dirname "$0")/lib.sh"
base=$E2E_SCRATCH/base

# A data set whose last acknowledged command is alone in the newest non-empty WAL file (the
# issue's reproduction: a writer leaves its command in its own WAL, no flush at close).
make_base() {
  CRM_DATA=$base c init >/dev/null
  CRM_DATA=$base c contact create --name K --command-id ack-1 >/dev/null
}
make_base
acked=$(CRM_DATA=$base head_seq)
eq "$(awk '{print $3}' "$base/LEDGER_HEAD")" "$acked" "the witness names the acknowledged head"

# The first non-empty file named on stdin. It reads on to the end (no early exit, which would
# make `ls` die of SIGPIPE and, under pipefail, the script with it).
first_nonempty() {
  local f found=""
  while read -r f; do
    if [ -z "$found" ] && [ -s "$f" ]; then found=$f; fi
  done
  [ -n "$found" ] && echo "$found"
}
newest_wal() { ls -t "$1"/db/*.log | first_nonempty; }

# damage NAME COMMAND...: a copy of the base, COMMAND run on its newest non-empty WAL ($wal).
damage() {
  local name=$1
  shift
  export CRM_DATA=$E2E_SCRATCH/$name
  rm -rf "$CRM_DATA"
  cp -a "$base" "$CRM_DATA"
  wal=$(newest_wal "$CRM_DATA")
  eval "$*"
}

# refused WHAT: every kind of open refuses the damaged data set, and nothing is written.
refused() {
  local what=$1 err rc
  for cmd in "ledger verify" "contact list" "contact create --name Next"; do
    rc=0
    err=$($CRMCTL $cmd 2>&1 >/dev/null) || rc=$?
    eq "$rc" 4 "$what: exit code of $cmd"
    eq "$(printf '%s\n' "$err" | wc -l)" 1 "$what: one line from $cmd"
    case $err in
      "error: "*"restore it from a backup"*|"error: "*"Corruption"*) eq ok ok "$what: $cmd says what to do" ;;
      *) eq "$err" "error: ... restore it from a backup ..." "$what: $cmd says what to do" ;;
    esac
  done
  eq "$(awk '{print $3}' "$CRM_DATA/LEDGER_HEAD")" "$acked" "$what: the acknowledged head is still named"
}

damage cut1 'truncate -s -1 "$wal"'
refused "one byte cut off"
damage cut10 'truncate -s -10 "$wal"'
refused "ten bytes cut off"
damage cut1000 'truncate -s -1000 "$wal"'
refused "a thousand bytes cut off"
damage half 'truncate -s $(($(stat -c %s "$wal") / 2)) "$wal"'
refused "half the file cut off"
damage zero 'size=$(stat -c %s "$wal"); z=$((size < 4096 ? size : 4096)); dd if=/dev/zero of="$wal" bs=1 seek=$((size - z)) count=$z conv=notrunc status=none'
refused "its last 4 KiB zeroed"
damage deleted 'rm "$wal"'
refused "the file deleted"
damage flipped 'size=$(stat -c %s "$wal"); printf "\xff" | dd of="$wal" bs=1 seek=$((size - 20)) count=1 conv=notrunc status=none'
refused "a byte flipped"

# The witness names the head: replacing the lost record by another of the same number is seen.
damage replaced 'truncate -s -1 "$wal"; mv "$CRM_DATA/LEDGER_HEAD" "$E2E_SCRATCH/witness"'
c contact create --name Intruder >/dev/null                       # takes the lost number again
mv "$E2E_SCRATCH/witness" "$CRM_DATA/LEDGER_HEAD"
expect_exit 4 ledger verify
expect_exit 4 contact create --name Next

# An undamaged data set opens as before, the witness moving with every append.
export CRM_DATA=$E2E_SCRATCH/ok
cp -a "$base" "$CRM_DATA"
eq "$(c contact create --name Next)" CT0002 "an undamaged copy takes the next number"
eq "$(awk '{print $3}' "$CRM_DATA/LEDGER_HEAD")" $((acked + 1)) "the witness names the new head"
eq "$(head_seq)" $((acked + 1)) "and the ledger ends there"
# A data set written before the witness existed is checked from its next append on.
rm "$CRM_DATA/LEDGER_HEAD"
expect_exit 0 contact list
c contact create --name Later >/dev/null
eq "$(awk '{print $3}' "$CRM_DATA/LEDGER_HEAD")" $((acked + 2)) "the witness comes back with the next append"
printf 'not a witness\n' >"$CRM_DATA/LEDGER_HEAD"
expect_exit 4 contact list
: >"$CRM_DATA/LEDGER_HEAD"                                       # what a power loss can leave
eq "$(c contact list --json 2>/dev/null | jq length)" 3 "an empty witness counts as none"
c contact create --name "After" >/dev/null
eq "$(awk '{print $3}' "$CRM_DATA/LEDGER_HEAD")" $((acked + 3)) "and is written again by the next append"

# A torn tail that was never acknowledged is no loss: a crash mid-write (simulated by appending
# half a record's worth of garbage after the last acknowledged one) still opens.
export CRM_DATA=$E2E_SCRATCH/torn
cp -a "$base" "$CRM_DATA"
wal=$(newest_wal "$CRM_DATA")
printf '\x00\x10\x00\x00\x01\x02' >>"$wal"
expect_exit 0 ledger verify
eq "$(c contact create --name Next)" CT0002 "a torn unacknowledged tail is dropped, not the acknowledged record"

# Issue 14 item 2: a hole in the middle of the ledger (an older WAL cut, a later one intact)
# fails the rebuild check, whose read models would otherwise count records that are gone.
export CRM_DATA=$E2E_SCRATCH/hole
cp -a "$base" "$CRM_DATA"
older=$(ls -tr "$CRM_DATA"/db/*.log | first_nonempty)
[ "$older" != "$(newest_wal "$CRM_DATA")" ] || { echo "FAIL: expected two WAL files" >&2; exit 1; }
truncate -s -1 "$older"
rc=0; c ledger verify >/dev/null 2>&1 || rc=$?
eq "$rc" 2 "verify finds the hole"
expect_exit 2 projections rebuild --check
# A writer would build on the hole (reuse the lost numbers): it refuses to open.
rc=0; err=$(c contact create --name Next 2>&1 >/dev/null) || rc=$?
eq "$rc" 4 "a writer refuses a ledger with a hole"
case $err in
  "error: the ledger in $CRM_DATA has lost acknowledged records: record "*" is missing"*) eq ok ok "saying which record" ;;
  *) eq "$err" "error: the ledger in ... has lost acknowledged records: record N is missing ..." "saying which record" ;;
esac
finish
