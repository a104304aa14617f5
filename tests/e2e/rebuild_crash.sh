#!/usr/bin/env bash
# A projection rebuild (chunks of rows written as table files and ingested) killed with kill -9
# at random points, again and again. While a rebuild is cut short, readers refuse to answer
# from the half-built read models (one error line, exit 4) instead of answering wrong; the next
# write completes the rebuild; then the read models equal a rebuild from the ledger and answer
# as before the first kill. No table file is left behind.
CRMCTL=$1
source "$(dirname "$0")/lib.sh"
WORK=$(dirname "$CRM_DATA")
N=30000
KILLS=${REBUILD_KILLS:-6}

c init >/dev/null
c member-status add Invited >/dev/null
c member-status add Attended --responded >/dev/null
c campaign create --name 'Rebuild crash' >/dev/null
awk -v n=$N 'BEGIN { print "Name,Email,City"; for (i = 1; i <= n; i++) printf "Lead %d,lead%d@example.com,%s\n", i, i, (i % 3 ? "Bergen" : "Oslo") }' \
  >"$WORK/leads.csv"
c import leads "$WORK/leads.csv" --campaign CP0001 --member-status Invited >/dev/null
c member mass-update CP0001 --status Attended --filter city=Oslo >/dev/null
counts=$(c roster CP0001 --count --json | jq -c .by_status)
leads=$(c lead list --json | md5sum)
eq "$counts" "{\"Attended\":$((N / 3)),\"Invited\":$((N - N / 3))}" "the data set before the kills"

cut_short=0
for k in $(seq 1 "$KILLS"); do
  "$CRMCTL" projections rebuild >/dev/null 2>&1 &
  pid=$!
  sleep "0.$((RANDOM % 8))$((RANDOM % 10))"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  err=$("$CRMCTL" roster CP0001 --count 2>&1 >/dev/null) && rc=0 || rc=$?
  if [ "$rc" != 0 ]; then
    cut_short=$((cut_short + 1))
    eq "$rc" 4 "a reader of a rebuild cut short exits 4"
    eq "$(printf '%s\n' "$err" | wc -l)" 1 "with one line"
    eq "$(printf '%s' "$err" | grep -c '^error: .*a rebuild was cut short')" 1 "which says why"
  else
    eq "$(c roster CP0001 --count --json | jq -c .by_status)" "$counts" "a rebuild the kill missed is whole"
  fi
done
echo "$cut_short of $KILLS kills cut a rebuild short"
eq "$([ "$cut_short" -gt 0 ] && echo yes)" yes "at least one kill came midway"

c member-status add Later >/dev/null  # the next write completes the rebuild
eq "$(c roster CP0001 --count --json | jq -c .by_status)" "$counts" "counts as before the kills"
eq "$(c lead list --json | md5sum)" "$leads" "leads as before the kills"
eq "$(c projections rebuild --check --json | jq .identical)" true "projections equal a rebuild"
eq "$(find "$CRM_DATA" -path '*/ingest*' | wc -l)" 0 "no table file left to ingest"
finish
