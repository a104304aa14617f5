#!/usr/bin/env bash
# An import killed with kill -9 while it writes, then run again with the same command id: the
# batches written before the kill stand (each was acknowledged: one synced append), the rerun
# skips them and writes the rest, and the result equals an import that was never interrupted:
# every row once, the totals complete, the ledger verifies, projections equal a rebuild.
CRMCTL=$1
source "$(dirname "$0")/lib.sh"
WORK=$(dirname "$CRM_DATA")
N=100000

c init >/dev/null
c member-status add Invited >/dev/null
c campaign create --name 'Crash import' >/dev/null
{
  echo 'Name,Email,City'
  for i in $(seq 1 $N); do echo "Lead $i,lead$i@example.com,Oslo"; done
} >"$WORK/leads.csv"

id=crash-import-1
"$CRMCTL" import leads "$WORK/leads.csv" --campaign CP0001 --member-status Invited --batch-rows 1000 \
  --command-id "$id" >/dev/null 2>&1 &
pid=$!
# Kill it once some batches are written (a lead exists), long before the last.
for _ in $(seq 1 400); do
  [ "$(c lead list --limit 1 --json 2>/dev/null | jq length 2>/dev/null || echo 0)" = 1 ] && break
  sleep 0.05
done
sleep 0.3
kill -9 "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
written=$(c roster CP0001 --count --json | jq .total)
echo "killed after $written of $N rows"
eq "$([ "$written" -gt 0 ] && [ "$written" -lt "$N" ] && echo partial)" partial "the kill came midway"
eq "$((written % 1000))" 0 "only whole batches were written"
eq "$(c ledger verify --json | jq -r .ok)" true "the ledger verifies after the kill"

out=$(c import leads "$WORK/leads.csv" --campaign CP0001 --member-status Invited --batch-rows 1000 \
  --command-id "$id" --json)
eq "$(jq -c '[.rows, .created, .failed]' <<<"$out")" "[$N,$N,0]" "the rerun completes the totals"
eq "$(jq '[.rows_listed[] | select(.outcome=="earlier-run")] | length' <<<"$out")" "$((written / 1000))" \
   "the batches of the first run are skipped"
eq "$(c roster CP0001 --count --json | jq -c .by_status)" "{\"Invited\":$N}" "every row once"
eq "$(c lead list --json | jq 'map(.email) | unique | length')" "$N" "no email twice"
eq "$(c lead list --limit 1 --json --filter name='Lead 1' | jq -r '.[0].no')" LD0001 "numbers in file order"
eq "$(c ledger verify --json | jq -r .ok)" true "the ledger verifies"
eq "$(c projections rebuild --check --json | jq .identical)" true "projections equal a rebuild"
finish
