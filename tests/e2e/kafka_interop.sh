#!/usr/bin/env bash
# Interoperability with clients nobody here wrote (run through kafka.sh): kcat reads the topic
# (key = stream id, headers event_type and schema_version), and flatc decodes one of its records
# with the published schema (events/schema/crm_events.fbs).
CRMCTL=$1
source "$(dirname "$0")/lib.sh"
SCHEMA=$(cd "$(dirname "$0")/../../events/schema" && pwd)/crm_events.fbs
WORK=$(dirname "$CRM_DATA")

c init >/dev/null
schema=$(c --version | sed -E 's/.*ledger schema ([0-9]+).*/\1/')  # what this build writes
c campaign create --name "Interop fair" --budgeted-cost 99.50 >/dev/null
listing=$(kcat -b "$CRM_BROKERS" -t "$CRM_TOPIC" -p 0 -C -e -f '%o %k %h\n' 2>/dev/null)
eq "$(printf '%s\n' "$listing" | tail -n1)" "3 campaign/CP0001 event_type=CampaignCreated,schema_version=$schema" "kcat sees key and headers"
kcat -b "$CRM_BROKERS" -t "$CRM_TOPIC" -p 0 -C -o 3 -c 1 -e -f '%s' >"$WORK/record.bin" 2>/dev/null
flatc --json --strict-json --raw-binary -o "$WORK" "$SCHEMA" -- "$WORK/record.bin"
decoded=$WORK/record.json
eq "$(jq -c '[.seq, .stream, .payload_type, .payload.name, .payload.budgeted_cost, .command_last]' "$decoded")" \
   '[4,"campaign/CP0001","CampaignCreated","Interop fair",9950,true]' "flatc decodes the record"
eq "$(jq -r .schema_version "$decoded")" "$schema" "schema version in the record"
eq "$(c ledger tail --jsonl --from 4 --limit 1 | jq -c '[.seq, .payload.name]')" '[4,"Interop fair"]' "ledger tail reads the topic"

# Digests: taken from the log, the same as the replica's; verify --digest against the log.
digest=$(c ledger digest --at 3 --json | jq -r .digest)
eq "$(env -u CRM_BROKERS "$CRMCTL" ledger digest --at 3 --json | jq -r .digest)" "$digest" "the log's digest is the replica's"
eq "$(c ledger verify --digest "$digest" --at 3 --json | jq -c '[.ok, .digest.matches]')" '[true,true]' "verify --digest on the log"
expect_exit 2 ledger verify --digest "$(printf '%064d' 0)" --at 3
expect_exit 2 ledger digest --at 999
finish
