#!/usr/bin/env bash
# The end-to-end session (session.sh) in both ledger modes. It must pass in Kafka mode too, and
# both modes must end with the same read models (compared as --json). A projector that starts
# from an empty data directory must reach the same read models, and equal its own rebuild.
CRMCTL=$1
DEV_KAFKA=$2
HERE=$(dirname "$0")
source "$HERE/lib.sh"
source "$HERE/kafka_lib.sh"
WORK=$(dirname "$CRM_DATA")

run_session() {  # MODE DATA-DIR [BROKERS]
  local rc=0 out
  out=$(CRM_DATA=$2 CRM_BROKERS=${3:-} bash "$HERE/session.sh" "$CRMCTL" 2>&1) || rc=$?
  eq "$rc" 0 "session in $1 mode"
  # On failure, what failed and how the session ended (an abort's message is in its last lines).
  [ "$rc" = 0 ] || { printf '%s\n' "$out" | grep FAIL; printf '%s\n' "$out" | tail -n 15; } >&2
}
run_session embedded "$WORK/embedded"
run_session kafka "$WORK/kafka" "$CRM_BROKERS"
c --data "$WORK/projector" project >/dev/null

view() {  # DATA-DIR BROKERS ARGS...: a read command's JSON, without the Kafka lag
  local dir=$1 brokers=$2
  shift 2
  CRM_BROKERS=$brokers "$CRMCTL" --data "$dir" "$@" --json | jq -S 'del(.projection?) | if type == "array" then map(del(.command_id?)) else . end'
}
for args in "roster CP0001" "roster CP0001 --count" "roster CP0002" "campaign list" "campaign show CP0001" \
            "contact list" "lead list" "member-status list" "campaign-status list" "member history CP0001 CT0004" \
            "interaction-template list" "salesperson list" "team list"; do
  # shellcheck disable=SC2086
  embedded=$(view "$WORK/embedded" "" $args)
  eq "$(jq 'if type == "array" then length > 0 else true end' <<<"${embedded:-null}")" true "$args: answers"
  # shellcheck disable=SC2086
  eq "$(view "$WORK/kafka" "$CRM_BROKERS" $args)" "$embedded" "$args: Kafka writer's replica equals embedded"
  # shellcheck disable=SC2086
  eq "$(view "$WORK/projector" "$CRM_BROKERS" $args)" "$embedded" "$args: projector equals embedded"
done
eq "$(c --data "$WORK/projector" projections rebuild --check --json | jq .identical)" true "projector equals a rebuild"
eq "$(c --data "$WORK/projector" ledger verify --json | jq -c '[.ok, .corrupt]')" '[true,0]' "the log verifies"
embedded_head=$(CRM_BROKERS= c --data "$WORK/embedded" ledger verify --json | jq .head)
eq "$(c --data "$WORK/projector" ledger verify --json | jq .head)" "$embedded_head" "same number of ledger records"
eq "$(c --data "$WORK/projector" roster CP0001 --count --json | jq -c .projection.lag)" 0 "reads report their lag"
finish
