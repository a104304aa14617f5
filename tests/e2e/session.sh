#!/usr/bin/env bash
# A realistic session through the crmctl binary: reference data, contacts and leads, campaigns
# with hierarchy and clone, members by id and by filter, mass update, removal of a status with
# replacement, roster counts and JSON shapes, the sales catalogue (templates with attachments,
# salespeople, teams), history, idempotency, conflicts, ledger tail and
# export, verify, rebuild.
CRMCTL=$1
source "$(dirname "$0")/lib.sh"

c init --currency EUR >/dev/null
eq "$(c member-status list --json | jq -c '[.[] | [.name, .responded, .default]]')" \
   '[["Sent",false,true],["Responded",true,false]]' "init creates Sent and Responded"
c campaign-status add 1-plan --description Planning >/dev/null
c campaign-status add 2-run --description Running >/dev/null
c member-status add Invited >/dev/null
c member-status add Attended --responded >/dev/null
c member-status add "No Show" >/dev/null
c code add job-responsibility PURCHASE --description Purchasing >/dev/null
c code add business-relation CUST >/dev/null
c code add business-relation PROS >/dev/null

eq "$(c contact create --name 'Cronus AS' --type company --email post@cronus.example --city Oslo)" CT0001 "company created"
for i in $(seq 1 12); do
  city=Oslo; [ $((i % 3)) -eq 0 ] && city=Bergen
  rel=PROS; [ "$i" -le 4 ] && rel=CUST
  c contact create --name "Person $i" --company CT0001 --email "p$i@cronus.example" --city "$city" \
    --job-responsibility purchase --business-relation "$rel" >/dev/null
done
eq "$(c lead create --name 'Lena Lead' --company-name Fabrikam --email lena@fabrikam.example --source Fair)" LD0001 "lead created"
eq "$(c contact list --filter city=Bergen --json | jq length)" 4 "contact list filter"
eq "$(c contact list --filter 'business_relation=cust' --filter 'city=@oslo' --json | jq length)" 3 "two filters, code and case-insensitive"
eq "$(c lead show LD0001 --json | jq -r .company_name)" Fabrikam "lead show"
c contact set CT0002 --phone "+47 22 00 00 00" >/dev/null
eq "$(c contact show CT0002 --json | jq -r .phone)" "+47 22 00 00 00" "contact set"
dup_err=$(c contact create --name Dup --email p1@cronus.example 2>&1 >/dev/null)
eq "$(printf '%s' "$dup_err" | grep -c 'also used by CT0002')" 1 "duplicate email reported"
expect_exit 2 contact create --name Dup2 --email p1@cronus.example --unique-email

eq "$(c campaign create --name 'Office Futurus trade show' --type 'trade show' --status 1-plan --start 2027-02-01 --end 2027-02-03 --budgeted-cost 1250.50)" CP0001 "campaign created"
eq "$(c campaign show CP0001 --json | jq -c '[.type, .status, .budgeted_cost, .owner]')" '["Trade Show","1-PLAN","1250.50","tester"]' "campaign fields"
eq "$(c --json campaign create --name Child --parent CP0001 | jq -c '[.no, .name, .parent, .budgeted_cost, (.command_id | length > 0)]')" \
   '["CP0002","Child","CP0001","0.00",true]' "a create answers with the record (--json)"
c campaign create --name Grandchild --parent CP0002 >/dev/null
c campaign create --name L4 --parent CP0003 >/dev/null
c campaign create --name L5 --parent CP0004 >/dev/null
expect_exit 2 campaign create --name L6 --parent CP0005
expect_exit 2 campaign set CP0001 --parent CP0003
c campaign set CP0001 --number-sent 250 >/dev/null
eq "$(c campaign show CP0001 --json | jq .number_sent)" 250 "number sent"
eq "$(c campaign clone CP0001 --name 'Futurus 2028')" CP0006 "clone"
eq "$(c campaign show CP0006 --json | jq -r .cloned_from)" CP0001 "clone records its source"
eq "$(c campaign list --filter type=Trade* --json | jq length)" 2 "campaign list filter"

# Members by id and by criteria.
eq "$(c member add CP0001 CT0002 CT0003 LD0001 --status invited --json | jq .added)" 3 "add by id"
eq "$(c member add CP0001 CT0002 --json | jq -c .already_members)" '["CT0002"]' "adding a member again is a no-op"
eq "$(c member add CP0006 CT0005 CT0005 --json | jq -c '[.added, .added_ids]')" '[1,["CT0005"]]' "an id named twice counts once"
c member remove CP0006 CT0005 >/dev/null
eq "$(c member add CP0001 --filter job_responsibility=PURCHASE --status Invited --json | jq .added)" 10 "add by criteria"
eq "$(c roster CP0001 --count --json | jq -c 'del(.projection)')" '{"by_status":{"Invited":13},"campaign":"CP0001","total":13}' "roster counts"
before_mass=$(head_seq)
eq "$(c member mass-update CP0001 --status Attended --filter city=Oslo --filter member_status=Invited --json | jq .updated)" 8 "mass update by filter"
eq "$(c roster CP0001 --count --json | jq -c .by_status)" '{"Attended":8,"Invited":5}' "counts after mass update"
eq "$(c roster CP0001 --status attended --json | jq length)" 8 "roster by status"
eq "$(c roster CP0001 --filter member_status=attended --count --json | jq .total)" 8 "member_status filters ignore case"
eq "$(c roster CP0001 --limit 2 --json | jq -r '.[1].contact')" CT0003 "roster page"
eq "$(c roster CP0001 --limit 2 --after CT0003 --json | jq -r '.[0].contact')" CT0004 "roster paging with --after"
eq "$(c roster CP0001 --json | jq -c '.[0] | keys')" '["added_at","added_by","changed_at","contact","kind","name","responded","responded_at","status"]' \
  "roster JSON shape (SPEC §3's keys, and responded_at since issue 19)"
c member set-status CP0001 CT0003 "No Show" >/dev/null
eq "$(c member add-campaigns CT0002 CP0002 CP0006 --json | jq -c .added_to)" '["CP0002","CP0006"]' "add campaigns from the contact side"
eq "$(c member campaigns CT0002 --json | jq length)" 3 "a contact's campaigns"
c member remove CP0001 CT0013 >/dev/null
eq "$(c roster CP0001 --count --json | jq .total)" 12 "remove"

# Removing a status in use needs --replace-with, which moves members as events.
expect_exit 2 member-status remove Invited
eq "$(c roster CP0001 --count --json | jq -c .by_status)" '{"Attended":7,"Invited":4,"No Show":1}' "counts before replacement"
eq "$(c member-status remove Invited --replace-with 'No Show' --json | jq .members_moved)" 4 "replace-with moves members"
eq "$(c roster CP0001 --count --json | jq -c .by_status)" '{"Attended":7,"No Show":5}' "counts after replacement"
eq "$(c member history CP0001 CT0004 --json | jq -c '[.[] | .how]')" '["criteria","status replaced"]' "member history says how"
eq "$(c member history CP0001 CT0002 --json | jq -c '.[0] | keys')" '["actor","at","command_id","event","how","responded","seq","status"]' "history JSON shape"

# The sales catalogue: interaction templates with attachments, salespeople, teams.
ATT=$(mktemp -d /tmp/crm-att-XXXXXX)
printf 'Dear {{name}},\nthank you for visiting.\n' >"$ATT/thanks.txt"
printf 'Sehr geehrte {{name}}\n' >"$ATT/danke.txt"
eq "$(c interaction-template add BUS --description 'Business letter' --unit-cost 1.50 --unit-duration 5 \
        --language ENU --attachment "$ATT/thanks.txt")" "added BUS" "template with an attachment"
c interaction-template add RESP --description 'Campaign response' --information-flow inbound --initiated-by them \
  --campaign-response yes --correspondence letter >/dev/null
c interaction-template attach BUS "$ATT/danke.txt" --language deu >/dev/null
eq "$(c interaction-template show BUS --json | jq -c '[.unit_cost, .unit_duration, .language, [.attachments[] | [.language, .file_name, .size]]]')" \
   '["1.50",5,"ENU",[["DEU","danke.txt",22],["ENU","thanks.txt",39]]]' "template fields and attachments by language"
eq "$(c interaction-template show BUS --json | jq -r '.attachments[] | select(.language == "ENU") | .sha256')" \
   "$(sha256sum "$ATT/thanks.txt" | cut -d' ' -f1)" "the attachment is kept by its hash"
eq "$(c interaction-template list --json | jq -c '[.[] | [.code, .information_flow, .initiated_by, .campaign_response, .correspondence]]')" \
   '[["BUS","outbound","us",false,"email"],["RESP","inbound","them",true,"letter"]]' "template list"
eq "$(c interaction-template add BUS --description 'Business letter' --unit-cost 1.50 --unit-duration 5 --language ENU)" \
   "no change" "adding the same template again changes nothing"
expect_exit 2 interaction-template add BUS --description 'Another'
expect_exit 2 interaction-template set NOPE --unit-cost 2
expect_exit 1 interaction-template add X1 --description X --correspondence fax
expect_exit 1 interaction-template add X1 --description X --unit-duration soon
expect_exit 1 interaction-template attach BUS "$ATT/missing.txt"
c interaction-template set BUS --unit-cost 1.75 >/dev/null
eq "$(c interaction-template show BUS --json | jq -r .unit_cost)" "1.75" "set changes the template"
c salesperson add SP1 --name 'Ann Sales' --email ann@example.com >/dev/null
c salesperson add SP2 --name 'Bo Sales' >/dev/null
expect_exit 2 salesperson add SP3 --name 'Cy' --email not-an-address
expect_exit 2 team add NORTH --member SP1 --member SP9
c team add NORTH --member sp2 --member SP1 --description North >/dev/null
eq "$(c team list --json | jq -c '.[0] | [.code, .members]')" '["NORTH",["SP1","SP2"]]' "team with its members"
c salesperson set SP2 --email bo@example.com >/dev/null
eq "$(c salesperson list --json | jq -c '[.[] | [.code, .email]]')" '[["SP1","ann@example.com"],["SP2","bo@example.com"]]' "salespeople"
rm -rf "$ATT"

# Idempotency and concurrency control.
eq "$(c --command-id fixed-1 campaign create --name Once)" CP0007 "first run of a command id"
eq "$(c --command-id fixed-1 campaign create --name Once)" CP0007 "retry answers as the first time"
eq "$(c --command-id fixed-1 --json campaign create --name Once | jq -r .request)" "campaign create --name Once" "the answer names the request"
eq "$(c campaign list --json | jq length)" 7 "retry created nothing"
expect_exit 3 --expected-version 1 campaign set CP0001 --description "stale write"
v=$(c ledger tail --stream campaign/CP0007 --jsonl | wc -l)
expect_exit 0 --expected-version "$v" campaign set CP0007 --description "fresh write"

eq "$(c ledger tail --jsonl --limit 3 | jq -c '[.seq, .payload_type, (.hash | length), (.recorded_at | test("Z$"))]' | tr '\n' ' ')" \
   '[1,"DataSetInitialized",64,true] [2,"MemberStatusAdded",64,true] [3,"MemberStatusAdded",64,true] ' "ledger tail JSON from the schema"

# Export for analytics, and tail --follow (in Kafka mode both read the log itself).
OUT=$(mktemp -d /tmp/crm-export-XXXXXX)
c campaign create --name 'Fair, "big"' >/dev/null
head=$(head_seq)
eq "$(c ledger export --output "$OUT/all.jsonl" --json | jq -c '[.events, .first, .last]')" "[$head,1,$head]" "export counts every event"
eq "$(cmp -s "$OUT/all.jsonl" <(c ledger tail --jsonl) && echo same)" same "jsonl export is the tail's JSON"
eq "$(c ledger export --format csv --from 3 --to 5 --output - | jq -R -s -c 'split("\n") | [length, (.[1] | split(",")[0]), (.[3] | split(",")[0])]')" \
   '[5,"3","5"]' "csv export: a header and the records 3 to 5"
eq "$(c ledger export --format csv --output - | head -n1 | cut -d, -f1-3,11)" "seq,stream,stream_version,payload_type" "csv columns from the envelope"
eq "$(c ledger export --format csv --output - | head -n1 | tr , '\n' | grep -c '^payload\.')" \
   "$(c ledger export --format csv --output - | head -n1 | tr , '\n' | grep '^payload\.' | sort -u | wc -l)" "each payload field once"
eq "$(c ledger export --format csv --type CampaignCreated --output - | grep -c '"Fair, ""big"""')" 1 "csv quotes commas and quotes"
expect_exit 1 ledger export --format xml --output "$OUT/x"
expect_exit 1 ledger export --from 5 --to 2 --output "$OUT/x"
expect_exit 2 ledger export --output "$OUT/missing/x.jsonl"
eq "$(ls "$OUT" | tr '\n' ' ')" "all.jsonl " "failed exports leave no file"
"$CRMCTL" ledger tail --follow --jsonl --from $((head + 1)) >"$OUT/follow.jsonl" 2>/dev/null &  # not `c`: $! must be crmctl itself
follower=$!
c campaign create --name Followed >/dev/null
for _ in $(seq 1 100); do grep -q Followed "$OUT/follow.jsonl" && break; sleep 0.1; done
kill "$follower"; wait "$follower" 2>/dev/null || true
eq "$(jq -c '[.seq, .payload.name]' "$OUT/follow.jsonl")" "[$((head + 1)),\"Followed\"]" "tail --follow prints new events"
rm -rf "$OUT"
eq "$(c ledger verify --json | jq .ok)" true "ledger verifies"
eq "$(c projections rebuild --check --json | jq .identical)" true "rebuild check"
c projections rebuild >/dev/null
eq "$(c projections rebuild --check --json | jq .identical)" true "check after a real rebuild"
eq "$(c roster CP0001 --count --json | jq -c .by_status)" '{"Attended":7,"No Show":5}' "counts survive a rebuild"
eq "$(c contact create --name "$(printf 'ø%.0s' $(seq 1 45))" --json | jq -r .no)" CT0015 "lengths count characters, not bytes"
finish
