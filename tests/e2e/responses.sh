#!/usr/bin/env bash
# One definition of "responded" (issue 14, item 10): a member responded when its status counts
# as responded; campaign stats count those members. After every kind of change that can make
# or unmake a response, the roster and the statistics agree.
CRMCTL=${CRMCTL:-$1}
source "$(dirname "$0")/lib.sh"

c init >/dev/null
c member-status add Attended --responded >/dev/null
c interaction-template add BUS --description "Business letter" --unit-cost 1.50 >/dev/null
c interaction-template add RESP --description "Response" --information-flow inbound --initiated-by them --campaign-response yes >/dev/null
for i in 1 2 3 4 5 6; do c contact create --name "Contact $i" --email "c$i@example.com" >/dev/null; done
c campaign create --name "Fair" >/dev/null
c segment create --description "Visitors" >/dev/null
c segment add-line SM0001 CT0001 CT0002 CT0003 CT0004 >/dev/null
c segment set SM0001 --campaign CP0001 --campaign-target yes --template BUS --subject "Thanks" >/dev/null
c segment log SM0001 --follow-up >/dev/null                      # LS0001: 4 members Sent

roster_responded() { c roster CP0001 --json | jq '[.[] | select(.responded)] | length'; }
stats_responses() { c campaign stats CP0001 --json | jq .responses; }
# agree N WHAT: the roster and the statistics both say N responded.
agree() {
  eq "$(roster_responded) $(stats_responses)" "$1 $1" "$2: roster and statistics agree on $1"
}
agree 0 "after the mailing"

c segment remove-line SM0002 CT0003 CT0004 >/dev/null
c segment set SM0002 --template RESP --campaign-response yes >/dev/null
c segment log SM0002 >/dev/null                                   # LS0002: CT0001, CT0002 respond
agree 2 "a response segment logged"

entry=$(c interaction log CT0003 --template RESP --campaign CP0001 --campaign-response --json | jq -r .entry)
eq "$(c roster CP0001 --json | jq -r '.[] | select(.contact == "CT0003") | .status')" Responded \
   "a response logged by hand moves the member to the responded status"
agree 3 "a response logged by hand"

c interaction cancel "$entry" >/dev/null
eq "$(c roster CP0001 --json | jq -r '.[] | select(.contact == "CT0003") | .status')" Sent \
   "canceling it puts the member back to its status before"
agree 2 "a response entry canceled"
cancel=$(c interaction cancel "$entry" --undo --json | jq -r .command_id)
agree 3 "the cancel reversed"
c undo "$cancel" >/dev/null
agree 2 "the reversal undone"

first=$(c interactions --segment LS0002 --json | jq -r '.[0].entry')
c interaction cancel "$first" >/dev/null
agree 1 "one entry of a response segment canceled"
c logged-segment cancel LS0002 >/dev/null
agree 0 "the response segment canceled"
c logged-segment cancel LS0002 --undo >/dev/null
agree 1 "its cancel reversed (the entry canceled on its own stays canceled)"
c interaction cancel "$first" --undo >/dev/null
agree 2 "and that entry's too"

# A member changed since the response keeps its later status when the response is canceled.
c member set-status CP0001 CT0002 Attended >/dev/null
c logged-segment cancel LS0002 >/dev/null
eq "$(c roster CP0001 --json | jq -r '.[] | select(.contact == "CT0002") | .status')" Attended "a later change stands"
agree 1 "a response segment canceled after a later change"
c logged-segment cancel LS0002 --undo >/dev/null
agree 2 "restored"

# Canceled on its own and with its segment, in either order: the response comes back only when
# neither cancel stands.
status_of() { c roster CP0001 --json | jq -r --arg m "$1" '.[] | select(.contact == $m) | .status'; }
who=$(c interactions --segment LS0002 --json | jq -r --arg e "$first" '.[] | select(.entry == $e) | .contact')
eq "$(status_of "$who")" Responded "before: $who responded"
c logged-segment cancel LS0002 >/dev/null
c interaction cancel "$first" >/dev/null
c logged-segment cancel LS0002 --undo >/dev/null
eq "$(status_of "$who")" Sent "its entry still canceled on its own: no response"
agree 1 "segment cancel undone, the entry still canceled"
c interaction cancel "$first" --undo >/dev/null
eq "$(status_of "$who")" Responded "neither cancel stands: the response is back"
c interaction cancel "$first" >/dev/null
c logged-segment cancel LS0002 >/dev/null
c interaction cancel "$first" --undo >/dev/null
eq "$(status_of "$who")" Sent "its segment still canceled: no response"
c logged-segment cancel LS0002 --undo >/dev/null
eq "$(status_of "$who")" Responded "the segment restored as well: the response is back"
agree 2 "after both orders"

# Member statuses set by hand count as they do on the roster (a Zoho-style response).
mass=$(c member mass-update CP0001 --status Attended --filter 'no=CT0004' --json | jq -r .command_id)
agree 3 "a mass update to a responded status"
c undo "$mass" >/dev/null
agree 2 "its undo"
eq "$(c campaign stats CP0001 --json | jq -c '[.targeted, .responses, .response_rate]')" '[4,2,50]' "the rate over the targeted"
eq "$(c projections rebuild --check 2>&1 | cut -c1-21)" "projections identical" "projections equal a rebuild"
finish
