#!/usr/bin/env bash
# Kafka mode (run by kafka.sh): `crmctl project --follow` stops within a few seconds on SIGTERM
# or SIGINT, even while the cluster cannot be reached, and what it had applied is whole.
CRMCTL=${CRMCTL:-$1}
source "$(dirname "$0")/lib.sh"

c init >/dev/null
c contact create --name "Kari Nordmann" >/dev/null
replica=$E2E_SCRATCH/replica

replica_head() { CRM_BROKERS= c --data "$replica" ledger verify --json 2>/dev/null | jq -r '.head // 0'; }

# stop_within SECONDS PID: sends nothing; waits for PID to end, at most SECONDS.
stop_within() {
  local i
  for i in $(seq 1 $(($1 * 10))); do
    kill -0 "$2" 2>/dev/null || return 0
    sleep 0.1
  done
  return 1
}

# follow SIGNAL: a projector following the log, the brokers taken down, then SIGNAL.
follow() {
  local sig=$1 pid rc=0
  "$CRMCTL" --data "$replica" project --follow >"$E2E_SCRATCH/out" 2>"$E2E_SCRATCH/err" &
  pid=$!
  for _ in $(seq 1 100); do
    [ "$(replica_head)" = "$(c ledger verify --json | jq .head)" ] && break
    sleep 0.1
  done
  kafka_ctl down 1
  sleep 1.5                                   # now it waits on a cluster that does not answer
  kill "-$sig" "$pid"
  if stop_within 5 "$pid"; then
    wait "$pid" || rc=$?
    eq "$rc" 0 "project --follow exits 0 on $sig with the brokers down"
  else
    eq "still running" "stopped" "project --follow stops within 5 s of $sig with the brokers down"
    kill -9 "$pid" 2>/dev/null || true
  fi
  kafka_ctl up 1
}

follow TERM
eq "$(CRM_BROKERS= c --data "$replica" ledger verify --json | jq -c '[.ok, .head]')" "[true,$(c ledger verify --json | jq .head)]" \
   "the replica is whole and holds the log"
c contact create --name "Ola Nordmann" >/dev/null
follow INT
eq "$(CRM_BROKERS= c --data "$replica" ledger verify --json | jq -c '[.ok, .head]')" "[true,$(c ledger verify --json | jq .head)]" \
   "and caught up after the restart"
eq "$(CRM_BROKERS= c --data "$replica" projections rebuild --check 2>&1 | cut -c1-21)" "projections identical" \
   "projections equal a rebuild"

# The whole cluster gone (its process stopped), then SIGTERM.
"$CRMCTL" --data "$replica" project --follow >/dev/null 2>&1 &
pid=$!
sleep 1
kafka_stop
sleep 1.5
kill -TERM "$pid"
if stop_within 5 "$pid"; then
  eq ok ok "project --follow stops within 5 s of SIGTERM with the cluster gone"
else
  eq "still running" "stopped" "project --follow stops within 5 s of SIGTERM with the cluster gone"
  kill -9 "$pid" 2>/dev/null || true
fi
finish
