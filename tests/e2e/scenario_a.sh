#!/usr/bin/env bash
# SPEC scenario A (the Business Central trade-show walkthrough) through crmctl, with every number
# checked, sending through a real SMTP server on loopback (15 messages counted). Then cancel,
# undo and delete of entries. Run by kafka.sh too (both ledger modes).
CRMCTL=$1
source "$(dirname "$0")/lib.sh"
WORK=$(dirname "$CRM_DATA")
start_smtp "$WORK/maildir"

c init >/dev/null
c mail set --smtp "smtp://127.0.0.1:$SMTP_PORT" --from marketing@futurus.example >/dev/null
c campaign-status add 1-PLAN --description Planning >/dev/null
printf 'Dear {{name}},\nthank you for visiting our stand.\n' >"$WORK/thanks.txt"
c interaction-template add BUS --description 'Business letter' --correspondence email --unit-cost 1.50 >/dev/null
c interaction-template add RESP --description 'Campaign response' --information-flow inbound --initiated-by them \
  --campaign-response yes >/dev/null
trade_show_contacts --with-codes
eq "$(c campaign create --name 'Office Futurus trade show' --status 1-PLAN --start 2027-02-01 --end 2027-02-03)" CP0001 \
   "campaign"
eq "$(c segment create --description 'Office Futurus visitors')" SM0001 "segment"
eq "$(c segment add-contacts SM0001 --filter job_responsibility=PURCHASE --json | jq .lines)" 25 "25 purchasers"
c segment save-criteria SM0001 --code FUTURUS --description 'Trade show visitors' >/dev/null
eq "$(c segment reduce SM0001 --filter business_relation=CUST --json | jq .lines)" 15 "reduce by customers: 15"
eq "$(c segment go-back SM0001 --json | jq .lines)" 25 "go back: 25"
eq "$(c segment reduce SM0001 --filter business_relation=CUST --json | jq .lines)" 15 "reduce again: 15"
c segment set SM0001 --campaign CP0001 --campaign-target yes --template BUS --subject 'Thank you for visiting' \
  --attachment "$WORK/thanks.txt" >/dev/null
c segment set SM0001 --campaign-target yes >/dev/null  # the template's default is no; the walkthrough wants targets

# Logging: empty or unprepared segments are refused and write nothing.
c segment create --description 'Empty' >/dev/null  # SM0002
head=$(head_seq)
expect_exit 2 segment log SM0002
c segment add-line SM0002 CT0040 >/dev/null
head=$(head_seq)
expect_exit 2 segment log SM0002  # no template
eq "$(head_seq)" "$head" "refused logs wrote nothing"

log=$(c segment log SM0001 --follow-up --send --json)
eq "$(printf '%s' "$log" | jq -c '[.logged_segment, .interactions, .campaign_entry, .members_added, .follow_up]')" \
   '["LS0001",15,"CE0001",15,"SM0003"]' "log: 15 interactions, a campaign entry, 15 members, a follow-up"
eq "$(printf '%s' "$log" | jq -c '[.delivery.emails, .delivery.letters, .delivery.failed]')" '[15,0,0]' "15 emails sent"
eq "$(smtp_count)" 15 "15 messages received by the SMTP server"
eq "$(smtp_message_ids | sort -u | wc -l)" 15 "15 distinct messages"
eq "$(grep -l '^To: \"Contact 11\" <c11@example.com>' "$SMTP_MAILDIR"/new/* | xargs grep -c 'Dear Contact 11,')" 1 \
   "each message merged for its contact"
eq "$(c interactions --segment LS0001 --json | jq length)" 15 "15 interaction entries"
eq "$(c interactions --segment LS0001 --json | jq -c '.[0] | [.entry_no, .contact, .template, .campaign, .campaign_target, .campaign_response, .logged_segment, .cost, .delivery_status, .canceled]')" \
   '["IE0001","CT0011","BUS","CP0001",true,false,"LS0001","1.50","delivered",false]' "interactions --json has the SPEC's keys"
eq "$(c interactions --segment LS0001 --json | jq -c '[.[0] | .subject, .cost, .campaign_target, .attachment.file_name, .delivery.status]')" \
   '["Thank you for visiting","1.50",true,"thanks.txt","delivered"]' "entry values from line, header and template"
eq "$(c roster CP0001 --count --json | jq -c .by_status)" '{"Sent":15}' "15 members with status Sent"
eq "$(c segment show SM0003 --json | jq -c '[.line_count, .campaign, .description]')" \
   '[15,"CP0001","Follow-up on segment SM0001"]' "follow-up segment with 15 lines"
expect_exit 2 segment add-line SM0001 CT0001  # logged: read-only
expect_exit 2 segment log SM0001
eq "$(c logged-segment show LS0001 --json | jq -c '[.segment, [.steps[] | .kind]]')" '["SM0001",["add-contacts","reduce"]]' \
   "the logged segment keeps its criteria and steps"
# For people: its fields, then a table of the steps (made from the same JSON).
ls_text=$(c logged-segment show LS0001)
eq "$(printf '%s\n' "$ls_text" | grep -cE '^segment: +SM0001$')" 1 "logged-segment show: its segment, as a field"
eq "$(printf '%s\n' "$ls_text" | grep -E '^(STEP|[0-9]+ ) *' | awk '{print $1, $2}' | paste -sd,)" \
   "STEP KIND,1 add-contacts,2 reduce" "logged-segment show: a table of its steps"

# Responses: keep the 6 who answered, template RESP, campaign response.
eq "$(c segment refine SM0003 --filter 'name=Contact 11|Contact 12|Contact 13|Contact 14|Contact 15|Contact 16' --json | jq .lines)" \
   6 "the 6 who answered"
c segment set SM0003 --template RESP >/dev/null
eq "$(c segment show SM0003 --json | jq -c '[.campaign_response, .information_flow, .initiated_by]')" '[true,"inbound","them"]' \
   "response template defaults"
eq "$(c segment log SM0003 --json | jq -c '[.interactions, .responses]')" '[6,6]' "6 response entries"
eq "$(c interactions --segment LS0002 --json | jq '[.[] | select(.campaign_response)] | length')" 6 "flagged as responses"
eq "$(c roster CP0001 --count --json | jq -c .by_status)" '{"Responded":6,"Sent":9}' "6 members responded"
eq "$(c campaign-entry list --campaign CP0001 --json | jq -c '[.[] | [.entry, .interactions, .cost]]')" \
   '[["CE0001",15,"22.50"],["CE0002",6,"0.00"]]' "campaign entries: cost 22.50"
eq "$(c interactions --contact CT0011 --json | jq -c '[.[] | .entry]')" '["IE0001","IE0016"]' "a contact's interactions"

eq "$(c campaign stats CP0001 --json | jq -c '[.targeted, .responses, .response_rate, .cost, .interactions]')" \
   '[15,6,40,"22.50",21]' "campaign stats: 15 targeted, 6 responses, 40%, cost 22.50"
stats_text=$(c campaign stats CP0001)
eq "$(printf '%s\n' "$stats_text" | grep -E '^(targeted|responses|response rate|cost) ' | sed -E 's/  +/|/' | paste -sd,)" \
   "targeted|15,responses|6,response rate|40% (expected 0%),cost|22.50" "campaign stats for people: a table of figures"
eq "$(printf '%s\n' "$stats_text" | sed -n '/^STATUS/,$p' | awk '{print $1 "=" $2}' | paste -sd,)" \
   "STATUS=MEMBERS,Responded=6,Sent=9" "campaign stats for people: members by status"
c campaign create --name 'Follow-up calls' --parent CP0001 --actual-cost 10 >/dev/null  # CP0002
eq "$(c campaign stats CP0001 --rollup --json | jq -c '[.campaigns, .cost]')" '[["CP0001","CP0002"],"32.50"]' \
   "--rollup sums the hierarchy, actual cost included"
expect_exit 2 campaign stats CP0099

# Prices for the target group (SPEC §4.7): a 10 % line discount on item 1000, the campaign
# activated for its targeted contacts, quotes for a targeted contact and an untargeted one.
before_prices=$(head_seq)
eq "$(c campaign price add CP0001 --item 1000 --discount 10)" "1000 set" "a line discount"
eq "$(c campaign price list CP0001 --json | jq -c '[.[] | [.item, .discount, .min_qty]]')" '[["1000",10,0]]' \
   "the campaign's prices"
eq "$(c campaign activate CP0001 --json | jq -c '[.active, .targets]')" '[true,15]' "activated for its 15 targeted contacts"
eq "$(c price quote --contact CT0011 --item 1000 --date 2027-02-02 --json | jq -c '[.discount.discount, .discount.campaign, .price]')" \
   '[10,"CP0001",null]' "a targeted contact gets 10 %"
eq "$(c price quote --contact CT0001 --item 1000 --date 2027-02-02 --json | jq -c '[.discount, .price]')" '[null,null]' \
   "an untargeted contact gets none"
eq "$(c price quote --contact CT0011 --item 1000 --date 2027-03-01 --json | jq -c .discount)" null \
   "after the campaign's end date: none"
eq "$(c --at "$before_prices" price quote --contact CT0011 --item 1000 --date 2027-02-02 --json | jq -c .discount)" null \
   "--at: before the discount, none"
expect_exit 1 campaign price add CP0001 --item 1000
expect_exit 2 campaign price add CP0001 --item 1000 --discount 0
expect_exit 2 campaign price remove CP0001 --item 2000
c campaign deactivate CP0001 >/dev/null
eq "$(c price quote --contact CT0011 --item 1000 --date 2027-02-02 --json | jq -c .discount)" null "deactivated: none"
eq "$(c campaign activate CP0001 --json | jq .targets)" 15 "activated again"
expect_exit 2 campaign activate CP0002   # nothing to target
PRICES_CSV=$(mktemp /tmp/crm-prices-XXXXXX.csv)
on_exit 'rm -f "$PRICES_CSV"'
c export prices --output "$PRICES_CSV" >/dev/null
eq "$(tr -d '\r' <"$PRICES_CSV" | tr '\n' ' ')" \
   "campaign,item,unit,min_qty,discount,price,start_date,end_date,active CP0001,1000,,0,10.0,,$(c campaign show CP0001 --json | jq -r '[.start_date, .end_date] | join(",")'),yes " \
   "export prices: the line, where and when it applies"
expect_exit 2 export prices --campaign CP0099 --output "$PRICES_CSV"

# Past interactions as criteria, and a logged segment's contacts reused.
eq "$(c segment create --description 'Answered before')" SM0004 "a segment on past interactions"
eq "$(c segment add-contacts SM0004 --filter interaction_template=RESP --json | jq .lines)" 6 "interaction_template=RESP: 6"
eq "$(c segment reduce SM0004 --filter 'interaction_date=2027-01-10' --json | jq .lines)" 0 "interaction_date"
c segment go-back SM0004 >/dev/null
eq "$(c segment refine SM0004 --filter 'interaction_segment=LS0002&<>LS0009' --json | jq .lines)" 6 "interaction_segment"
eq "$(c segment add-contacts SM0004 --filter 'interaction_campaign=CP0001' --json | jq .lines)" 15 \
   "interaction_campaign: every contacted purchaser"
eq "$(c segment create --description 'Reused')" SM0005 "a segment for reuse-segment"
eq "$(c segment reuse-segment SM0005 LS0002 --json | jq -c '[.kind, .added, .criteria]')" '["reuse-segment",6,"LS0002"]' \
   "reuse-segment adds the logged segment's contacts"
c contact set CT0011 --exclude-from-segment yes >/dev/null
eq "$(c segment create --description 'Reused again')" SM0006 "another"
eq "$(c segment reuse-segment SM0006 LS0002 --json | jq .added)" 5 "exclusions still apply"
expect_exit 2 segment reuse-segment SM0006 LS0099
expect_exit 1 segment add-contacts SM0006 --filter 'interaction_date=2027-13-01'

# Cancel and delete: a canceled logged segment's entries leave the statistics; undo restores them.
eq "$(c logged-segment cancel LS0002)" "canceled LS0002" "cancel a logged segment"
eq "$(c campaign stats CP0001 --json | jq -c '[.responses, .interactions]')" '[0,15]' "its entries left the statistics"
eq "$(c interactions --segment LS0002 --json | jq length)" 0 "hidden from the log by default"
eq "$(c interactions --segment LS0002 --include-canceled --json | jq '[.[] | select(.canceled)] | length')" 6 \
   "shown with --include-canceled"
eq "$(c logged-segment cancel LS0002 --undo)" "restored LS0002" "undo the cancel"
eq "$(c campaign stats CP0001 --json | jq -c '[.responses, .interactions]')" '[6,21]' "the statistics are back"
expect_exit 2 interaction delete IE0001
c interaction cancel IE0001 >/dev/null
eq "$(c interaction delete IE0001)" "deleted IE0001" "a canceled entry can be deleted"
eq "$(c interactions --contact CT0011 --include-canceled --json | jq -c '[.[] | .entry]')" '["IE0016"]' "deleted: hidden everywhere"
eq "$(c campaign stats CP0001 --json | jq -c '[.targeted, .interactions, .cost]')" '[14,20,"21.00"]' "and out of the statistics"
expect_exit 2 interaction cancel IE0099

# An interaction logged by hand, then canceled and deleted.
entry=$(c interaction log CT0020 --template RESP --campaign CP0001 --subject 'Phoned back' --evaluation positive --duration 10)
eq "$(c interactions --contact CT0020 --json | jq -c --arg e "$entry" '.[] | select(.entry == $e) | [.campaign_response, .duration, .evaluation, .logged_segment, .cost]')" \
   '[true,10,"positive","","0.00"]' "a manual interaction takes the template's defaults"
expect_exit 2 interaction log CT0020 --template NOPE
expect_exit 2 interaction log CT0020 --template BUS --campaign-target
expect_exit 1 interaction log CT0020 --template BUS --duration soon
expect_exit 2 interaction log CT0999 --template BUS
c interaction cancel "$entry" >/dev/null
eq "$(c interaction delete "$entry")" "deleted $entry" "a manual entry is canceled and deleted on its own stream"

# history ID: every change of one record, from the ledger.
eq "$(c history IE0002 --json | jq -c '[.[] | .event]')" '["InteractionLogged","DeliveryAttempted","DeliveryCompleted"]' \
   "an entry's history: logged and delivered"
eq "$(c history IE0016 --json | jq -c '[.[] | .event]')" '["InteractionLogged","LoggedSegmentCanceled","LoggedSegmentCanceled"]' \
   "a response entry's history: its segment's cancel and undo"
eq "$(c history IE0001 --json | jq -c '[.[] | .event]')" \
   '["InteractionLogged","DeliveryAttempted","DeliveryCompleted","EntryCanceled","EntryDeleted"]' \
   "a deleted entry keeps its history"
eq "$(c history IE0002 --json | jq -c '.[1].payload | [.entry, .attempt, .channel]')" '["IE0002",1,"Email"]' \
   "each change with its fields"
eq "$(c history CT0011 --json | jq -c '[.[] | .event] | unique')" \
   '["ContactChanged","ContactCreated","MemberAdded","MemberStatusUpdated"]' "a contact's history includes its memberships"
eq "$(c history SM0001 --json | jq -r '.[-1].event')" SegmentLogged "a segment's history ends with its logging"
expect_exit 2 history CT0999
expect_exit 1 history nonsense

eq "$(c ledger verify --json | jq .ok)" true "ledger verifies"
eq "$(c projections rebuild --check --json | jq .identical)" true "projections equal a rebuild"
finish
