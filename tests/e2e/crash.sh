#!/usr/bin/env bash
# Crash test: a write load of crmctl commands is killed with kill -9 at random moments, ITER
# times (100 by default, 300 with CRM_LONG_TESTS=1). After each kill: the ledger verifies, every
# command that had been acknowledged (crmctl exited 0) is in the ledger, and the projections
# equal a rebuild. As-of snapshots are taken every 3 records, so kills also land while one is
# being taken; afterwards `--at` answers from the snapshots equal replays from record 1.
CRMCTL=$1
source "$(dirname "$0")/lib.sh"
ITER=${CRASH_ITERATIONS:-100}
[ "${CRM_LONG_TESTS:-0}" = 1 ] && ITER=300
WORK=$(dirname "$CRM_DATA")
ACKED=$WORK/acked
export CRM_SNAPSHOT_INTERVAL=3

c init >/dev/null
c member-status add Invited >/dev/null
c member-status add Attended --responded >/dev/null
c campaign create --name "Crash campaign" >/dev/null
: >"$ACKED"

# One writer load: commands with unique ids. An id is logged, with the number of events its
# answer reports, only after crmctl exited 0 (acknowledged).
load() {
  local iter=$1 k=0 out rc
  while true; do
    k=$((k + 1))
    local id="crash-$iter-$k"
    rc=0
    case $((k % 4)) in
      0) out=$("$CRMCTL" --json --command-id "$id" member mass-update CP0001 --all --status Attended 2>/dev/null) || rc=$? ;;
      1) out=$("$CRMCTL" --json --command-id "$id" contact create --name "Contact $iter $k" --city Oslo 2>/dev/null) || rc=$? ;;
      2) out=$("$CRMCTL" --json --command-id "$id" member add CP0001 --filter city=Oslo --status Invited 2>/dev/null) || rc=$? ;;
      3) out=$("$CRMCTL" --json --command-id "$id" member mass-update CP0001 --all --status Invited 2>/dev/null) || rc=$? ;;
    esac
    if [ "$rc" = 0 ]; then
      echo "$id $(printf '%s' "$out" | jq .events)" >>"$ACKED"
    fi
  done
}

for iter in $(seq 1 "$ITER"); do
  setsid bash -c "$(declare -f load); CRMCTL='$CRMCTL' ACKED='$ACKED' load $iter" &
  pid=$!
  sleep "0.$((RANDOM % 40 + 5))"
  kill -9 -- -"$pid" 2>/dev/null || kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  ok=$(c ledger verify --json 2>/dev/null | jq -r .ok)
  eq "$ok" true "iteration $iter: ledger verifies after kill -9"
  eq "$(c projections rebuild --check --json 2>/dev/null | jq -r .identical)" true "iteration $iter: projections equal a rebuild"
done

# Every acknowledged command that wrote events must have all of them in the ledger; one that
# wrote none (a no-op) must still answer from its stored result when retried.
in_ledger=$(mktemp)
c ledger tail --jsonl | jq -r .command_id | sort | uniq -c | awk '{print $2, $1}' | sort >"$in_ledger"
missing=$(awk '$2 > 0' "$ACKED" | sort | comm -23 - "$in_ledger" | wc -l)
eq "$missing" 0 "acknowledged commands missing (or incomplete) in the ledger"
noop=$(awk '$2 == 0 {print $1; exit}' "$ACKED")
if [ -n "$noop" ]; then
  eq "$(c --json --command-id "$noop" member mass-update CP0001 --all --status Invited | jq .events)" 0 "a retried no-op answers as the first time"
fi
head=$(head_seq)
for point in $((head / 4)) $((head / 2)) $((head * 3 / 4)) $((head - 1)); do
  with=$(c --at "$point" --json roster CP0001 --count | jq -c '[.as_of.seq, .total, .by_status]')
  eq "$(c --at "$point" --json roster CP0001 --count | jq '.as_of.snapshot > 0')" true "--at $point starts from a snapshot"
  mv "$CRM_DATA/snapshots" "$WORK/snapshots.hidden"
  without=$(c --at "$point" --json roster CP0001 --count | jq -c '[.as_of.seq, .total, .by_status]')
  rm -rf "$CRM_DATA/snapshots"  # the reader made an empty one for its scratch copy
  mv "$WORK/snapshots.hidden" "$CRM_DATA/snapshots"
  eq "$with" "$without" "--at $point: the answer from snapshots taken among kills equals a replay"
done
echo "acknowledged commands: $(wc -l <"$ACKED"), ledger records: $head, kills: $ITER, snapshots: $(ls "$CRM_DATA/snapshots" | grep -c -- '-f')"
finish
