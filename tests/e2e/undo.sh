#!/usr/bin/env bash
# crmctl undo COMMAND-ID (SPEC §4.10): member changes, mass updates, segment steps and
# cancellations are undone by compensating events that name the undone command (causation id);
# undo of an undo redoes; a member changed since, a step not last in effect, a delivered email,
# a logging, a creation are refused with the reason (exit 2, nothing written). Run by kafka.sh
# too (both ledger modes).
CRMCTL=$1
source "$(dirname "$0")/lib.sh"
WORK=$(dirname "$CRM_DATA")
start_smtp "$WORK/maildir"

cid() { jq -r .command_id; }   # the command id of a --json answer
counts() { c roster CP0001 --count --json | jq -c .by_status; }

c init >/dev/null
c mail set --smtp "smtp://127.0.0.1:$SMTP_PORT" --from marketing@example.com >/dev/null
c member-status add Invited >/dev/null
c member-status add Attended --responded >/dev/null
c interaction-template add BUS --description 'Business letter' --correspondence email --unit-cost 1.50 >/dev/null
trade_show_contacts --with-codes
create=$(c contact create --name 'Late Comer' --json | cid)   # CT0041
c campaign create --name 'Trade show' >/dev/null

# Members: add by criteria, mass update, one status change, a removal; each undone in turn.
add=$(c member add CP0001 --filter job_responsibility=PURCHASE --status Invited --json | cid)
mass=$(c member mass-update CP0001 --filter business_relation=CUST --status Attended --json | cid)
one=$(c member set-status CP0001 CT0020 Attended --json | cid)
gone=$(c member remove CP0001 CT0021 --json | cid)
eq "$(counts)" '{"Attended":11,"Invited":13}' "after the changes"
before_undo=$(head_seq)

# A member changed since the mass update: its undo is refused, naming the member.
c member set-status CP0001 CT0001 Invited >/dev/null
head=$(head_seq)
expect_exit 2 undo "$mass"
eq "$(c undo "$mass" 2>&1 >/dev/null | grep -c 'CT0001 in CP0001 changed after the command')" 1 "the refusal names the member"
eq "$(head_seq)" "$head" "a refused undo writes nothing"
c member set-status CP0001 CT0001 Attended >/dev/null   # back as the mass update left it

undo_mass=$(c undo "$mass" --json)
eq "$(printf '%s' "$undo_mass" | jq -c '[.undoes, .members_changed]')" "[\"$mass\",10]" "undo of the mass update: 10 members"
eq "$(counts)" '{"Attended":1,"Invited":23}' "every status back"
eq "$(c member history CP0001 CT0005 --json | jq -r '.[-1].how')" "undo" "the history says undo"
eq "$(c ledger tail --type MemberStatusUpdated --jsonl | jq -r 'select(.payload.how == "Undo") | .causation_id' | sort -u)" \
   "$mass" "compensating events name the undone command"
redo=$(c undo "$(printf '%s' "$undo_mass" | cid)" --json)
eq "$(counts)" '{"Attended":11,"Invited":13}' "undo of the undo redoes the mass update"
c undo "$(printf '%s' "$redo" | cid)" >/dev/null
eq "$(counts)" '{"Attended":1,"Invited":23}' "and undoing that again"
eq "$(c undo "$one" --json | jq .members_changed)" 1 "undo of one status change"
eq "$(c roster CP0001 --json | jq -r '.[] | select(.contact == "CT0020") | .status')" Invited "CT0020 back to Invited"
c undo "$gone" >/dev/null
eq "$(c roster CP0001 --count --json | jq .total)" 25 "the removed member is back"
c undo "$add" >/dev/null
eq "$(c roster CP0001 --count --json | jq .total)" 0 "undo of the add by criteria empties the roster"
eq "$(c --at "$before_undo" roster CP0001 --count --json | jq -c .by_status)" '{"Attended":11,"Invited":13}' \
   "the roster as of before the undos"
expect_exit 2 undo "$add"                      # nothing left as it left it
expect_exit 2 undo "$create"                   # a creation
expect_exit 2 undo no-such-command
expect_exit 1 undo ''

# Segment steps: the last step in effect goes back; a step with later ones is refused.
c segment create --description 'Visitors' >/dev/null
s1=$(c segment add-contacts SM0001 --filter job_responsibility=PURCHASE --json | cid)
s2=$(c segment reduce SM0001 --filter business_relation=CUST --json | cid)
expect_exit 2 undo "$s1"
c undo "$s2" >/dev/null
eq "$(c segment show SM0001 --json | jq .line_count)" 25 "undo of the reduce: 25 lines"
back=$(c segment show SM0001 --json | jq -r .active_steps)
eq "$back" 1 "one step in effect"
goback=$(c segment go-back SM0001 --json | cid)
eq "$(c segment show SM0001 --json | jq .line_count)" 0 "go-back: 0 lines"
c undo "$goback" >/dev/null
eq "$(c segment show SM0001 --json | jq .line_count)" 25 "undo of a go-back redoes the step"

# Cancellations, and what cannot be undone: a logging, a delivery.
c segment reduce SM0001 --filter business_relation=CUST >/dev/null
c segment set SM0001 --campaign CP0001 --campaign-target yes --template BUS --subject 'Thanks' >/dev/null
logged=$(c segment log SM0001 --send --json)
eq "$(smtp_count)" 15 "15 emails delivered"
expect_exit 2 undo "$(printf '%s' "$logged" | cid)"
delivery=$(c ledger tail --type DeliveryCompleted --jsonl | jq -r .command_id | head -n1)
eq "$(c undo "$delivery" 2>&1 >/dev/null)" \
   "error: command $delivery cannot be undone: it sent messages, and a delivered email stays delivered (cancel the logged segment to take its entries out of the statistics)" \
   "a delivered email stays delivered"
eq "$(c campaign stats CP0001 --json | jq .targeted)" 15 "15 targeted"
cancel=$(c logged-segment cancel LS0001 --json | cid)
eq "$(c campaign stats CP0001 --json | jq .targeted)" 0 "canceled: out of the statistics"
c undo "$cancel" >/dev/null
eq "$(c campaign stats CP0001 --json | jq .targeted)" 15 "undo of the cancel: back in the statistics"

# A task's changes and a campaign's prices and activation: the undo puts back what the command
# replaced, while what it changed is still as it left it.
c salesperson add AH --name 'Anna Hansen' >/dev/null
c task create --description 'Call the visitors' --salesperson AH --campaign CP0001 --due 2027-02-01 >/dev/null  # TD0001
done_task=$(c task complete TD0001 --json | cid)
eq "$(c campaign stats CP0001 --json | jq -c .tasks)" '{"canceled":0,"completed":1,"open":0}' "a task completed"
c undo "$done_task" >/dev/null
eq "$(c task show TD0001 --json | jq -r .status)" "not started" "undo of complete: open again"
eq "$(c campaign stats CP0001 --json | jq -c .tasks)" '{"canceled":0,"completed":0,"open":1}' "and counted open"
moved=$(c task set TD0001 --due 2027-03-01 --priority high --json | cid)
c task set TD0001 --description 'Call the visitors back' >/dev/null
head=$(head_seq)
expect_exit 2 undo "$moved"
eq "$(c undo "$moved" 2>&1 >/dev/null | grep -c 'task TD0001 changed since')" 1 "a task changed since: refused, named"
eq "$(head_seq)" "$head" "a refused undo writes nothing"
c task set TD0001 --description 'Call the visitors' >/dev/null
c undo "$moved" >/dev/null
eq "$(c task show TD0001 --json | jq -c '[.due, .priority, .description]')" '["2027-02-01","normal","Call the visitors"]' \
   "undo of a set: due date and priority as before"

ten=$(c campaign price add CP0001 --item 1000 --discount 10 --json | cid)
fifteen=$(c campaign price add CP0001 --item 1000 --discount 15 --json | cid)
price=$(c campaign price add CP0001 --item 2000 --price 99.50 --json | cid)
removed=$(c campaign price remove CP0001 --item 2000 --json | cid)
c undo "$removed" >/dev/null
eq "$(c campaign price list CP0001 --json | jq -c '[.[] | [.item, .discount, .price]]')" '[["1000",15,null],["2000",null,"99.50"]]' \
   "undo of a removal: the line is back as it was"
c undo "$fifteen" >/dev/null
eq "$(c campaign price list CP0001 --json | jq -c '[.[] | [.item, .discount]]')" '[["1000",10],["2000",null]]' \
   "undo of a replacing line: the one it replaced is back"
c campaign price add CP0001 --item 1000 --discount 12 >/dev/null
expect_exit 2 undo "$ten"
c campaign price add CP0001 --item 1000 --discount 10 >/dev/null
c undo "$ten" >/dev/null
eq "$(c campaign price list CP0001 --json | jq -c '[.[] | .item]')" '["2000"]' "undo of a new line removes it"
eq "$(c campaign show CP0001 | grep '^prices' | tr -s ' ')" "prices: 2000 price 99.50" "campaign show lists the prices"
activation=$(c campaign activate CP0001 --json | cid)
targets=$(c campaign show CP0001 --json | jq .targets)
off=$(c campaign deactivate CP0001 --json | cid)
eq "$(c price quote --contact CT0001 --item 2000 --json | jq -r .price)" null "deactivated: no price"
c undo "$off" >/dev/null
eq "$(c campaign show CP0001 --json | jq -c '[.active, .targets]')" "[true,$targets]" \
   "undo of a deactivation: the same target group again"
expect_exit 2 undo "$activation"
printf 'first agenda\n' >"$WORK/agenda.txt"
c campaign attach CP0001 "$WORK/agenda.txt" >/dev/null
printf 'second agenda\n' >"$WORK/agenda.txt"
replaced=$(c campaign attach CP0001 "$WORK/agenda.txt" --json | cid)
detached=$(c campaign detach CP0001 agenda.txt --json | cid)
c undo "$detached" >/dev/null
c campaign attachment CP0001 agenda.txt --output "$WORK/back.txt" >/dev/null
eq "$(cat "$WORK/back.txt")" "second agenda" "undo of a detach: the attachment is back"
c undo "$replaced" >/dev/null
c campaign attachment CP0001 agenda.txt --output "$WORK/back.txt" >/dev/null
eq "$(cat "$WORK/back.txt")" "first agenda" "undo of a replacing attach: the one it replaced, with its content"
eq "$(c projections rebuild --check --json | jq .identical)" true "projections equal a rebuild"

finish
