#!/usr/bin/env bash
# Kafka faults, with the mock cluster's own controls (run through kafka.sh):
#   1. the partition leader's broker goes down for 3 s during a write load: every write succeeds;
#   2. injected retriable produce errors are absorbed; a non-retriable one fails the command with
#      exit 4 and a hint, and repeating it with the same --command-id applies it exactly once;
#   3. injected fetch errors: a projector still converges;
#   4. a projector killed with kill -9 mid-catch-up, again and again (committing by write batches
#      and by ingested table files in turn), then restarted: nothing is lost, nothing applied
#      twice (same read models as the writer, rebuild check identical);
#   5. a record that fails the verifier: writers go on, the projector sends it to the dead-letter
#      topic with its offset and reason, and `ledger verify` names its offset;
#   6. bad Kafka settings (including ones the design rests on) and an unreachable cluster: one
#      error line, the SPEC's exit code;
#   7. a replica never follows another log: a topic of the same name on another cluster, shorter
#      than the replica's position or holding other records at its head's offset, is refused.
CRMCTL=$1
source "$(dirname "$0")/lib.sh"
WORK=$(dirname "$CRM_DATA")
KILLS=${KAFKA_KILLS:-10}

c init >/dev/null
c member-status add Invited >/dev/null
c member-status add Attended --responded >/dev/null
c campaign create --name "Fault campaign" >/dev/null
kafka_ctl leader "$CRM_TOPIC" 0 1

# 1. Broker down during a write load.
(
  for k in $(seq 1 20); do
    "$CRMCTL" --data "$WORK/w1" contact create --name "Load $k" --city Oslo >/dev/null 2>>"$WORK/load.err" || echo fail >>"$WORK/load.fail"
  done
) &
load=$!
sleep 0.5
kafka_ctl down 1
sleep 3
kafka_ctl up 1
wait "$load"
eq "$(cat "$WORK/load.fail" 2>/dev/null | wc -l)" 0 "writes failed while the leader was down for 3 s"
c project >/dev/null
eq "$(c contact list --json | jq length)" 20 "every write of the load is in the ledger"

# 2. Injected produce errors.
kafka_ctl errors Produce 5 NOT_LEADER_FOR_PARTITION
expect_exit 0 contact create --name "After retriable errors" --city Bergen
# (A campaign: a contact's first produce is its key, to the key topic, tried below.)
kafka_ctl errors Produce 1 INVALID_MSG_SIZE
out=$(c --command-id fault-once campaign create --name Once 2>&1 >/dev/null) && rc=0 || rc=$?
eq "$rc" 4 "a non-retriable produce error fails the command"
eq "$(printf '%s' "$out" | grep -c -- '--command-id fault-once')" 1 "the error says how to repeat the command"
expect_exit 0 --command-id fault-once campaign create --name Once
expect_exit 0 --command-id fault-once campaign create --name Once
eq "$(c campaign list --json | jq 'map(select(.name == "Once")) | length')" 1 "the repeated command applied once"
# The key of a new contact cannot be published: the command fails and the ledger is unchanged.
head=$(head_seq)
kafka_ctl errors Produce 1 INVALID_MSG_SIZE
expect_exit 4 contact create --name 'Keyless' --city Bergen
eq "$(head_seq)" "$head" "no record without its key"
expect_exit 0 contact create --name 'Keyless' --city Bergen

# 3. Injected fetch errors while a fresh projector reads.
kafka_ctl errors Fetch 5 NOT_LEADER_FOR_PARTITION
c --data "$WORK/p-fetch" project >/dev/null
eq "$(c --data "$WORK/p-fetch" contact list --json | jq length)" 22 "a projector converges through fetch errors"
eq "$(c --data "$WORK/p-fetch" contact list --json | jq 'map(select(.name == "Keyless")) | length')" 1 \
   "it fetched the keys to open them"

# 4. kill -9 of a projector mid-catch-up. Mass updates make long batches (one event per member).
c member add CP0001 --filter city=Oslo --status Invited >/dev/null
for k in $(seq 1 6); do
  c member mass-update CP0001 --all --status Attended >/dev/null
  c member mass-update CP0001 --all --status Invited >/dev/null
done
for k in $(seq 1 "$KILLS"); do
  # Every other run commits by ingesting table files (as a replica far behind does), the others
  # by write batches: both are killed midway.
  CRM_APPLY_CHUNK=7 CRM_INGEST_RECORDS=$([ $((k % 2)) = 0 ] && echo 1 || echo 1000000) \
    "$CRMCTL" --data "$WORK/p-kill" project >/dev/null 2>&1 &
  pid=$!
  sleep "0.$((RANDOM % 4))$((RANDOM % 10))"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  c member mass-update CP0001 --all --status "$([ $((k % 2)) = 0 ] && echo Invited || echo Attended)" >/dev/null
done
c --data "$WORK/p-kill" project >/dev/null
for view in "roster CP0001" "roster CP0001 --count" "contact list" "member history CP0001 CT0001"; do
  # shellcheck disable=SC2086
  eq "$(c --data "$WORK/p-kill" $view --json | jq -S 'del(.projection?)')" \
     "$(c $view --json | jq -S 'del(.projection?)')" "$view: killed projector equals the writer"
done
eq "$(c --data "$WORK/p-kill" projections rebuild --check --json | jq .identical)" true "killed projector equals a rebuild"
eq "$(c --data "$WORK/p-kill" ledger verify --json | jq .ok)" true "killed projector's replica is on the log's chain"

# 5. A record that fails the verifier.
printf 'not a ledger record' | kcat -b "$CRM_BROKERS" -t "$CRM_TOPIC" -p 0 -P 2>/dev/null
bad_offset=$(( $(kcat -b "$CRM_BROKERS" -t "$CRM_TOPIC" -p 0 -C -o -1 -c 1 -e -f '%o' 2>/dev/null) ))
expect_exit 0 campaign create --name "After a bad record"
eq "$(c --data "$WORK/p-kill" project --json | jq .dead_lettered)" 1 "the projector dead-letters the bad record"
eq "$(c --data "$WORK/p-kill" campaign list --json | jq length)" 3 "and goes on"
dlq=$(kcat -b "$CRM_BROKERS" -t "$CRM_TOPIC.dlq" -C -c 1 -e -f '%h' 2>/dev/null)
eq "$(printf '%s' "$dlq" | grep -c "source_offset=$bad_offset")" 1 "the dead letter carries its offset"
eq "$(printf '%s' "$dlq" | grep -c 'reason=record fails the schema verifier')" 1 "and the reason"
# A dead letter that cannot be published stops the projector before it moves past the record.
printf 'second bad record' | kcat -b "$CRM_BROKERS" -t "$CRM_TOPIC" -p 0 -P 2>/dev/null
bad2=$(( $(kcat -b "$CRM_BROKERS" -t "$CRM_TOPIC" -p 0 -C -o -1 -c 1 -e -f '%o' 2>/dev/null) ))
expect_exit 0 campaign create --name "After a second bad record"
kafka_ctl errors Produce 1 INVALID_MSG_SIZE
expect_exit 4 --data "$WORK/p-kill" project
eq "$(c --data "$WORK/p-kill" campaign list --json | jq length)" 3 "a failed dead letter applies nothing past it"
eq "$(c --data "$WORK/p-kill" project --json | jq .dead_lettered)" 1 "the next run dead-letters it"
eq "$(c --data "$WORK/p-kill" campaign list --json | jq length)" 4 "and goes on"
eq "$(kcat -b "$CRM_BROKERS" -t "$CRM_TOPIC.dlq" -C -e -f '%h\n' 2>/dev/null | grep -c "source_offset=$bad2")" 1 "it is dead-lettered once"
expect_exit 2 ledger verify
eq "$(c ledger verify --json 2>/dev/null | jq .first_bad_offset)" "$bad_offset" "verify names the bad offset"

# 6. Bad settings and an unreachable cluster.
head_before=$(kcat -b "$CRM_BROKERS" -t "$CRM_TOPIC" -p 0 -C -o -1 -c 1 -e -f '%o' 2>/dev/null)
expect_exit 1 --kafka-config nonsense campaign create --name Bad
expect_exit 1 --kafka-config no.such.setting=1 campaign create --name Bad
expect_exit 1 --topic "" campaign create --name Bad
expect_exit 1 --kafka-config enable.idempotence=false campaign create --name Bad
expect_exit 1 --kafka-config auto.offset.reset=earliest --data "$WORK/p-none" project
CRM_KAFKA_TIMEOUT=0 expect_exit 1 campaign create --name Bad
CRM_KAFKA_TIMEOUT=soon expect_exit 1 campaign create --name Bad
CRM_APPLY_CHUNK=-3 expect_exit 1 --data "$WORK/p-none" project
expect_exit 1 --data "$WORK/p-none" project --brokers ""
CRM_KAFKA_TIMEOUT=2 expect_exit 4 --brokers 127.0.0.1:1 --data "$WORK/w-unreachable" campaign create --name Bad
CRM_BROKERS= "$CRMCTL" --data "$WORK/embedded-data" init >/dev/null 2>&1 || true
expect_exit 2 --data "$WORK/embedded-data" campaign create --name "Kafka write into an embedded data directory"
CRM_BROKERS= expect_exit 2 campaign create --name "Embedded write into a Kafka replica"
eq "$(kcat -b "$CRM_BROKERS" -t "$CRM_TOPIC" -p 0 -C -o -1 -c 1 -e -f '%o' 2>/dev/null)" "$head_before" "bad input published nothing"

# 7. Another cluster with a topic of the same name.
"$DEV_KAFKA" --topic "$CRM_TOPIC" --topic "$CRM_TOPIC.dlq" --topic "$CRM_TOPIC.keys" </dev/null >"$WORK/other.out" 2>"$WORK/other.err" &
other_pid=$!
for _ in $(seq 1 100); do [ -s "$WORK/other.out" ] && break; sleep 0.05; done
other=$(head -n1 "$WORK/other.out")
out=$(c --brokers "$other" --data "$WORK/p-kill" project 2>&1 >/dev/null) && rc=0 || rc=$?
eq "$rc" 2 "a replica refuses a log that ends before its position"
eq "$(printf '%s' "$out" | grep -c 'ends at offset 0')" 1 "and says where the log ends"
err=$(c --brokers "$other" --data "$WORK/p-kill" campaign list --json 2>&1 >"$WORK/other.json")
eq "$(jq length <"$WORK/other.json")" 4 "reads still answer from the replica"
eq "$(printf '%s' "$err" | grep -c '^warning: the log of topic .* ends at offset 0')" 1 "with a warning that the log is not the replica's"
c --brokers "$other" --data "$WORK/w-other" init >/dev/null
c --brokers "$other" --data "$WORK/w-other" campaign create --name "Other cluster" >/dev/null
out=$(c --data "$WORK/w-other" campaign create --name "Wrong cluster" 2>&1 >/dev/null) && rc=0 || rc=$?
eq "$rc" 2 "a replica refuses a log whose record at its head's offset is another"
eq "$(printf '%s' "$out" | grep -c 'is not the record')" 1 "and says so"
expect_exit 0 --brokers "$other" --data "$WORK/w-other" campaign create --name "Right cluster"
kill "$other_pid"; wait "$other_pid" 2>/dev/null || true
eq "$(kcat -b "$CRM_BROKERS" -t "$CRM_TOPIC" -p 0 -C -o -1 -c 1 -e -f '%o' 2>/dev/null)" "$head_before" "refused replicas published nothing"
finish
