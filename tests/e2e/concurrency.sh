#!/usr/bin/env bash
# Concurrency: WRITERS (8) crmctl processes write to the same campaign and the same status
# catalogue at once. Afterwards: no lost update (every acknowledged create has its own number,
# every acknowledged add is a member, counts add up), no broken invariant (one default status,
# at most 20), the ledger verifies and the projections equal a rebuild. With CRM_BROKERS set
# (kafka_lib.sh), the same in Kafka mode: each writer has its own data directory (as writers on
# different machines would), and a projector catches up before the checks.
CRMCTL=$1
source "$(dirname "$0")/lib.sh"
WRITERS=${WRITERS:-8}
OPS=${OPS:-12}
WORK=$(dirname "$CRM_DATA")

c init >/dev/null
c member-status add Invited >/dev/null
c member-status add Attended --responded >/dev/null
c campaign create --name "Shared campaign" >/dev/null

writer() {
  local w=$1 out no
  [ -n "${CRM_BROKERS:-}" ] && export CRM_DATA=$WORK/writer$w
  for k in $(seq 1 "$OPS"); do
    no=$("$CRMCTL" contact create --name "Writer $w item $k" --city "W$w") || { echo "create failed" >&2; exit 1; }
    echo "$no" >>"$WORK/created.$w"
    "$CRMCTL" member add CP0001 "$no" --status Invited >/dev/null || { echo "add failed" >&2; exit 1; }
    case $((k % 3)) in
      0) "$CRMCTL" member set-status CP0001 "$no" Attended >/dev/null ;;
      1) "$CRMCTL" member-status set Attended --order $((100 + w)) >/dev/null ;;
      2) "$CRMCTL" member-status add "W$w-$k" >/dev/null 2>&1 || true ;;  # the 20-status cap may refuse
    esac
  done
}

pids=()
for w in $(seq 1 "$WRITERS"); do
  writer "$w" &
  pids+=($!)
done
failed=0
for p in "${pids[@]}"; do wait "$p" || failed=$((failed + 1)); done
eq "$failed" 0 "writers that failed"
[ -n "${CRM_BROKERS:-}" ] && c project >/dev/null

total=$((WRITERS * OPS))
eq "$(cat "$WORK"/created.* | sort -u | wc -l)" "$total" "distinct numbers handed out"
eq "$(c contact list --json | jq length)" "$total" "contacts in the read model"
eq "$(c roster CP0001 --count --json | jq .total)" "$total" "members in the roster"
sum=$(c roster CP0001 --count --json | jq '[.by_status[]] | add')
eq "$sum" "$total" "counts by status add up"
attended=$((WRITERS * (OPS / 3)))
eq "$(c roster CP0001 --count --json | jq '.by_status.Attended')" "$attended" "status updates kept"
eq "$(c member-status list --json | jq '[.[] | select(.default)] | length')" 1 "exactly one default status"
le20=$(c member-status list --json | jq 'length <= 20')
eq "$le20" true "at most 20 statuses"
eq "$(c ledger verify --json | jq .ok)" true "ledger verifies"
eq "$(c projections rebuild --check --json | jq .identical)" true "projections equal a rebuild"
if [ -n "${CRM_BROKERS:-}" ]; then
  # Every writer's replica holds the same ledger as the projector once caught up.
  head=$(c ledger verify --json | jq .head)
  for w in $(seq 1 "$WRITERS"); do
    c --data "$WORK/writer$w" project >/dev/null
    eq "$(c --data "$WORK/writer$w" ledger verify --json | jq .ok)" true "writer $w's head is on the log's chain"
    eq "$(CRM_BROKERS= c --data "$WORK/writer$w" ledger verify --json | jq -c '[.ok, .head]')" "[true,$head]" \
       "writer $w's own chain verifies up to the log's head"
    eq "$(c --data "$WORK/writer$w" projections rebuild --check --json | jq .identical)" true "writer $w's projections equal a rebuild"
  done
fi
finish
