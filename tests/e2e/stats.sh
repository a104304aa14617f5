#!/usr/bin/env bash
# Campaign statistics are kept by their read model (projections/stats_rows.h), not scanned per
# query. After every kind of change that moves a figure (members added, moved by a lead's
# conversion, removed, mass-updated and undone; interactions logged, canceled, un-canceled,
# canceled with their logged segment; opportunities created and closed; tasks created,
# completed, canceled, made by an activity), `campaign stats` equals a recount of the lists the
# other read commands print, for the parent and the child campaign; `--rollup` is the sum of the
# hierarchy's figures; and the projections equal a rebuild.
CRMCTL=${CRMCTL:-$1}
source "$(dirname "$0")/lib.sh"

c init >/dev/null
c member-status add Invited >/dev/null
c member-status add Attended --responded >/dev/null
c interaction-template add BUS --description "Business letter" --unit-cost 1.50 >/dev/null
c interaction-template add RESP --description "Response" --information-flow inbound --initiated-by them \
  --campaign-response yes >/dev/null
c salesperson add AH --name 'Anna Hansen' >/dev/null
c sales-cycle add DEAL --description 'A deal' --stage 'Talk|20|20' --stage 'Offer|60|60' >/dev/null
c activity add FOLLOWUP --description 'Follow-up' --step 'phone-call|+1W|Call' --step 'meeting|CM+5D|Visit' >/dev/null
for i in 1 2 3 4 5 6; do c contact create --name "Contact $i" --email "c$i@example.com" >/dev/null; done
c lead create --name "Lead One" --email "lead1@example.com" --company-name "Lead Co" >/dev/null   # LD0001
c campaign create --name "Fair" >/dev/null                          # CP0001
c campaign create --name "Fair follow-up" --parent CP0001 >/dev/null  # CP0002

# The figures `campaign stats` prints, money in cents.
cents='def cents: (tonumber * 100 | round);'
stats() {
  c campaign stats "$1" --json | jq -S -c "$cents"'
    {members, members_by_status, contacts, leads, responses, targeted, interactions,
     interaction_cost: (.interaction_cost | cents), duration: .duration_minutes,
     opportunities: (.opportunities | .estimated_value |= cents | .won_amount |= cents), tasks}'
}
# The same figures recounted from the roster, the interaction log, the opportunities and the tasks.
recount() {
  jq -n -S -c --argjson r "$(c roster "$1" --json)" --argjson i "$(c interactions --campaign "$1" --json)" \
    --argjson o "$(c opportunity list --campaign "$1" --json)" --argjson t "$(c task list --campaign "$1" --json)" "$cents"'
    def count(f): [.[] | select(f)] | length;
    {members: ($r | length),
     members_by_status: ($r | group_by(.status) | map({(.[0].status): length}) | add // {}),
     contacts: ($r | count(.kind == "contact")), leads: ($r | count(.kind == "lead")),
     responses: ($r | count(.responded)),
     targeted: ([$i[] | select(.campaign_target) | .contact] | unique | length),
     interactions: ($i | length),
     interaction_cost: ([$i[] | .cost | cents] | add // 0),
     duration: ([$i[] | .duration] | add // 0),
     opportunities: {count: ($o | length), open: ($o | count(.status == "not started" or .status == "in progress")),
                     won: ($o | count(.status == "won")), lost: ($o | count(.status == "lost")),
                     estimated_value: ([$o[] | .estimated_value | cents] | add // 0),
                     won_amount: ([$o[] | .amount_won | cents] | add // 0)},
     tasks: {open: ($t | count(.status != "completed" and .status != "canceled")),
             completed: ($t | count(.status == "completed")), canceled: ($t | count(.status == "canceled"))}}'
}
# agree WHAT: both campaigns' statistics equal their recounts, and the rollup is their sum.
agree() {
  local cp
  for cp in CP0001 CP0002; do eq "$(stats $cp)" "$(recount $cp)" "$1: $cp's statistics equal a recount"; done
  local sum
  sum=$(jq -n -c --argjson a "$(stats CP0001)" --argjson b "$(stats CP0002)" '
    def plus($x; $y): if ($x | type) == "object" then
        reduce ((($x | keys) + ($y | keys)) | unique)[] as $k ({}; .[$k] = plus($x[$k] // 0; $y[$k] // 0))
      else $x + $y end;
    plus($a; $b)')
  local rollup
  rollup=$(c campaign stats CP0001 --rollup --json | jq -c "$cents"'
    {members, members_by_status, contacts, leads, responses, targeted, interactions,
     interaction_cost: (.interaction_cost | cents), duration: .duration_minutes,
     opportunities: (.opportunities | .estimated_value |= cents | .won_amount |= cents), tasks}')
  eq "$(jq -S -c . <<<"$rollup")" "$(jq -S -c . <<<"$sum")" "$1: the rollup sums the hierarchy"
}
agree "nothing yet"
eq "$(c campaign stats CP0001 --json | jq -c '[.campaign, (["campaign", "members", "by_status", "targeted", "responses",
     "response_rate", "interactions", "cost", "duration", "opportunities"] - keys)]')" '["CP0001",[]]' "SPEC §3's keys"

c member add CP0001 CT0001 CT0002 CT0003 CT0004 LD0001 --status Invited >/dev/null
c member add CP0002 CT0003 CT0004 CT0005 CT0006 >/dev/null
agree "members added"
eq "$(c campaign stats CP0001 --json | jq -c '[.members, .contacts, .leads]')" '[5,4,1]' "contacts and leads apart"

c segment create --description "Visitors" >/dev/null
c segment add-line SM0001 CT0001 CT0002 CT0003 >/dev/null
c segment set SM0001 --campaign CP0001 --campaign-target yes --template BUS --subject "Welcome" >/dev/null
c segment log SM0001 >/dev/null                                       # LS0001: IE0001..IE0003
c interaction log CT0003 --template BUS --campaign CP0001 --campaign-target --cost 2.25 --duration 15 >/dev/null
c interaction log CT0004 --template BUS --campaign CP0002 --campaign-target --duration 5 >/dev/null
agree "interactions logged"
eq "$(c campaign stats CP0001 --json | jq -c '[.targeted, .interactions, .interaction_cost, .duration_minutes]')" \
   '[3,4,"6.75",15]' "a contact targeted twice counts once"

resp=$(c interaction log CT0002 --template RESP --campaign CP0001 --campaign-response --json | jq -r .entry)
agree "a response logged"
c interaction cancel IE0003 >/dev/null
agree "a target entry canceled (its contact still targeted by another)"
c interaction cancel IE0004 >/dev/null
eq "$(c campaign stats CP0001 --json | jq .targeted)" 2 "both of CT0003's target entries canceled: no longer targeted"
agree "the other canceled too"
c interaction cancel IE0004 --undo >/dev/null
c interaction cancel "$resp" >/dev/null
agree "a cancel reversed, the response canceled"
c logged-segment cancel LS0001 >/dev/null
agree "the logged segment canceled"
undo_cancel=$(c logged-segment cancel LS0001 --undo --json | jq -r .command_id)
agree "its cancel reversed"
c undo "$undo_cancel" >/dev/null
agree "the reversal undone"
c logged-segment cancel LS0001 --undo >/dev/null

c lead convert LD0001 --new-account --opportunity 'Chairs' --value 1200 --sales-cycle DEAL --campaign CP0001 >/dev/null
agree "a lead converted: its membership moved to the contact, an opportunity made"
eq "$(c campaign stats CP0001 --json | jq -c '[.contacts, .leads, .converted_leads, .opportunities.count]')" '[5,0,1,1]' \
   "the converted lead counts as a contact"
c opportunity create --description 'Desks' --contact CT0004 --sales-cycle DEAL --campaign CP0002 --value 800 >/dev/null
c opportunity create --description 'Lamps' --contact CT0005 --sales-cycle DEAL --campaign CP0002 --value 300 >/dev/null
c opportunity next OP0002 >/dev/null
agree "opportunities created and moved"
c opportunity close OP0002 --won --amount 750 >/dev/null
c opportunity close OP0003 --lost --reason 'Too dear' >/dev/null
agree "opportunities won and lost"

c task create --description 'Call' --salesperson AH --campaign CP0001 --due 2027-02-01 >/dev/null
c task create --description 'Write' --salesperson AH --campaign CP0001 >/dev/null
c task create --description 'Visit' --salesperson AH --campaign CP0002 >/dev/null
c activity assign FOLLOWUP --salesperson AH --campaign CP0002 --date 2027-02-04 >/dev/null
agree "tasks created by hand and by an activity"
task_ids=$(c task list --campaign CP0001 --json | jq -r '.[].no' | tr '\n' ' ')
read -r first second <<<"$task_ids"
c task complete "$first" >/dev/null
c task cancel "$second" >/dev/null
c task set TD0003 --status 'in progress' >/dev/null
agree "tasks completed, canceled and started"

c member set-status CP0001 CT0001 Attended >/dev/null
mass=$(c member mass-update CP0002 --status Attended --filter 'no=CT0005|CT0006' --json | jq -r .command_id)
agree "statuses set by hand and by a mass update"
c undo "$mass" >/dev/null
agree "the mass update undone"
removed=$(c member remove CP0001 CT0002 --json | jq -r .command_id)
agree "a member removed"
c undo "$removed" >/dev/null
agree "its removal undone"

eq "$(c projections rebuild --check 2>&1 | cut -c1-21)" "projections identical" "projections equal a rebuild"
agree "after the rebuild check"
finish
