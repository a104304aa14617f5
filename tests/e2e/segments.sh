#!/usr/bin/env bash
# Segments through the crmctl binary (SPEC §4.5), the first half of scenario A: 40 contacts of
# which 25 purchasers and 10 of those customers; add-contacts (25 lines), reduce by customers
# (15), go-back (25), reduce again (15); header defaults flowing to lines, per-line values kept
# across go-back and redo, saved and reused criteria, exclusions, companies, manual lines,
# history, bad input. Run by
# kafka.sh too, so every check holds in both ledger modes.
CRMCTL=$1
source "$(dirname "$0")/lib.sh"

c init >/dev/null
c code add job-responsibility PURCHASE >/dev/null
c code add business-relation CUST >/dev/null
c code add business-relation PROS >/dev/null
c interaction-template add BUS --description 'Business letter' --unit-cost 1.50 --unit-duration 5 >/dev/null
c campaign create --name 'Office Futurus trade show' --start 2027-02-01 --end 2027-02-03 >/dev/null
trade_show_contacts

lines() { c segment show "$1" --json | jq -r '[.lines[].contact] | join(" ")'; }
count() { c segment show "$1" --json | jq .line_count; }

eq "$(c segment create --description 'Office Futurus visitors')" SM0001 "segment created"
eq "$(c segment add-contacts SM0001 --filter job_responsibility=PURCHASE --json | jq -c '[.step, .added, .lines]')" \
   '[1,25,25]' "add-contacts: 25 purchasers"
eq "$(c segment reduce SM0001 --filter business_relation=CUST --json | jq -c '[.step, .removed, .lines]')" '[2,10,15]' \
   "reduce by customers: 15 lines"
eq "$(c segment go-back SM0001 --json | jq -c '[.undone_step, .lines]')" '[2,25]' "go-back: 25 lines again"
eq "$(count SM0001)" 25 "the projection agrees"
eq "$(c segment reduce SM0001 --filter business_relation=CUST --json | jq .lines)" 15 "reduce again: 15 lines"
eq "$(lines SM0001 | wc -w)" 15 "15 lines listed"
eq "$(lines SM0001 | cut -d' ' -f1)" CT0011 "the first non-customer purchaser"

# Header defaults flow to lines that still carry them; a line's own value stays.
c segment line set SM0001 CT0012 --subject 'Own subject' --evaluation positive >/dev/null
eq "$(c segment set SM0001 --campaign CP0001 --campaign-target yes --template BUS --subject 'Thank you for visiting' --json | jq .lines_updated)" \
   15 "header change reported on the lines that followed"
eq "$(c segment show SM0001 --json | jq -c '[.lines[] | select(.contact == "CT0011" or .contact == "CT0012") | [.subject, .campaign_target, .evaluation]]')" \
   '[["Thank you for visiting",true,""],["Own subject",true,"positive"]]' "defaults followed, own value kept"
eq "$(c segment show SM0001 --json | jq -c '[.unit_cost, .unit_duration, .interaction_template, .campaign]')" \
   '["1.50",5,"BUS","CP0001"]' "template defaults copied to the header"

# go-back and redo keep each line's own values.
c segment remove-line SM0001 CT0012 >/dev/null
eq "$(count SM0001)" 14 "remove-line"
c segment go-back SM0001 >/dev/null
eq "$(c segment show SM0001 --json | jq -c '.lines[] | select(.contact == "CT0012") | [.subject, .evaluation]')" \
   '["Own subject","positive"]' "go-back restores the removed line with its own values"
c segment redo SM0001 >/dev/null
eq "$(count SM0001)" 14 "redo removes it again"
c segment go-back SM0001 >/dev/null
eq "$(c segment history SM0001 --json | jq -c '[.[] | [.step, .kind, .in_effect]]')" \
   '[[1,"add-contacts",true],[2,"reduce",true],[3,"remove-line",false]]' "history shows the undone step"
c segment add-line SM0001 CT0030 >/dev/null
expect_exit 2 segment redo SM0001
eq "$(c segment history SM0001 --json | jq -c '[.[] | [.step, .kind, .criteria, .lines_after]]')" \
   '[[1,"add-contacts","job_responsibility=PURCHASE",25],[2,"reduce","business_relation=CUST",15],[3,"add-line","CT0030",16]]' \
   "a new step replaces the undone one"

# Saved criteria run again against today's contacts (a new purchaser appears in between).
eq "$(c segment save-criteria SM0001 --code FAIR --description 'Fair visitors, not customers' --json | jq .steps)" 3 \
   "save-criteria keeps the steps in effect"
eq "$(c segment criteria --json | jq -c '[.[0].code, [.[0].steps[] | .kind]]')" '["FAIR",["add-contacts","reduce","add-line"]]' \
   "saved criteria listed"
expect_exit 2 segment save-criteria SM0001 --code FAIR --description 'Something else'
c contact create --name 'Late purchaser' --job-responsibility PURCHASE --business-relation PROS >/dev/null  # CT0041
eq "$(c segment create --description 'Next fair')" SM0002 "segment for reuse"
eq "$(c segment reuse-criteria SM0002 fair --json | jq -c '[[.steps[] | .lines], .lines]')" '[[26,16,17],17]' \
   "reuse-criteria re-runs each step against today's contacts"
eq "$(c segment history SM0002 --json | jq -c '[.[] | .kind]')" '["add-contacts","reduce","add-line"]' "each saved step is a step"
expect_exit 2 segment reuse-criteria SM0002 NOPE

# Exclusions and companies.
c contact set CT0031 --exclude-from-segment yes >/dev/null
c contact create --name 'Fabrikam' --type company >/dev/null  # CT0042
c contact create --name 'Fab Person' --company CT0042 >/dev/null  # CT0043
eq "$(c segment create --description 'Companies')" SM0003 "third segment"
eq "$(c segment add-contacts SM0003 --filter 'name=Contact 31|Fabrikam' --json | jq -c '[.matched, .added]')" '[2,1]' \
   "an excluded contact is skipped"
eq "$(lines SM0003)" CT0042 "only the company"
eq "$(c segment add-contacts SM0003 --filter 'name=Contact 31' --ignore-exclusion --json | jq .added)" 1 "--ignore-exclusion"
eq "$(c segment add-contacts SM0003 --filter name=Fabrikam --expand-companies --json | jq .added)" 1 "--expand-companies adds its person"
eq "$(lines SM0003)" "CT0031 CT0042 CT0043" "company, person and the excluded contact"
expect_exit 0 segment add-line SM0003 CT0031  # already a line: nothing to do
eq "$(c segment create --description 'People')" SM0004 "fourth segment"
eq "$(c segment add-contacts SM0004 --filter 'name=Fab Person' --include-companies --json | jq .added)" 2 "--include-companies"
expect_exit 2 segment add-line SM0004 CT0031

# Bad input: nothing half-written.
head=$(head_seq)
expect_exit 1 segment add-contacts SM0001 --filter 'nosuchfield=1'
expect_exit 1 segment reduce SM0001 --filter 'job_responsibility'
expect_exit 2 segment add-contacts SM0099 --filter name=x
expect_exit 1 segment go-back CP0001
expect_exit 2 segment set SM0001 --template NOPE
expect_exit 2 segment set SM0001 --campaign CP0042
expect_exit 2 segment set SM0001 --salesperson NOBODY
expect_exit 1 segment set SM0001 --correspondence fax
expect_exit 2 segment line set SM0001 CT0001 --subject x
expect_exit 2 segment line set SM0001 CT0011 --evaluation great
expect_exit 2 segment add-line SM0001 CT0999
expect_exit 1 segment create
expect_exit 2 segment create --description ''
eq "$(head_seq)" "$head" "bad input wrote nothing"

eq "$(c ledger verify --json | jq .ok)" true "ledger verifies"
eq "$(c projections rebuild --check --json | jq .identical)" true "segments equal a rebuild"
finish
