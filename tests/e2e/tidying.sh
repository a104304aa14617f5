#!/usr/bin/env bash
# Tidying (issue 18, SPEC §4.11): deleting contacts, leads and campaigns, in either ledger mode
# (kafka.sh runs it against the mock cluster too):
#   - delete is refused while something still needs the record (a company's person, an open
#     opportunity, a campaign's interactions that are not canceled), naming it; allowed once that is gone; undone by `undo` or `restore`;
#   - a deleted record leaves lists, filters, segment steps, criteria-based memberships and
#     exports; `--deleted` and `--filter deleted=yes` find it; `show` and `history` still do;
#   - a deleted record cannot be changed; deleting twice or restoring what is not deleted changes
#     nothing; the undo of a restore is refused (deleting again goes through the checks);
#   - projections equal a rebuild.
CRMCTL=$1
source "$(dirname "$0")/lib.sh"

c init >/dev/null
c code add job-responsibility PURCHASE >/dev/null
fab=$(c contact create --name 'Fabrikam' --type company)
kim=$(c contact create --name 'Kim Buyer' --company "$fab" --email kim@fabrikam.example --job-responsibility PURCHASE)
ole=$(c contact create --name 'Ole Buyer' --email ole@example.no --job-responsibility PURCHASE)
lead=$(c lead create --name 'Liv Lead' --company-name 'Nordlys')
nos() { jq -r '[.[].no] | join(",")'; }

# Refused while needed, naming what needs it; nothing written.
c sales-cycle add DEAL --description 'Deal' --stage 'One|50|50' >/dev/null
opp=$(c opportunity create --description 'Desks' --contact "$ole" --sales-cycle DEAL --value 300)
before=$(head_seq)
expect_exit 2 contact delete "$fab"
eq "$(c contact delete "$fab" 2>&1 >/dev/null)" "error: cannot delete contact $fab: still needed by its person $kim" \
  "a company with people: refused, naming them"
eq "$(c contact delete "$ole" 2>&1 >/dev/null)" "error: cannot delete contact $ole: still needed by open opportunity $opp" \
  "a contact with an open opportunity: refused, naming it"
eq "$(head_seq)" "$before" "refusals wrote nothing"

# Allowed once nothing needs it.
eq "$(c contact delete "$kim")" "deleted $kim" "a person is deleted"
eq "$(c contact delete "$kim")" "$kim was already deleted" "twice: no change"
eq "$(c contact delete "$fab")" "deleted $fab" "then its company"
c opportunity close "$opp" --lost --reason 'No budget' >/dev/null
eq "$(c contact delete "$ole" --json | jq -c '[.deleted, .changed]')" "[true,true]" "after the opportunity closed"

# Hidden from lists, filters, segments, criteria and exports; found when asked for.
eq "$(c contact list --json | nos)" "" "contact list leaves them out"
eq "$(c contact list --deleted --json | nos)" "$fab,$kim,$ole" "--deleted shows them"
eq "$(c contact list --filter deleted=yes --json | nos)" "$fab,$kim,$ole" "deleted=yes finds them"
eq "$(c contact list --deleted --json | jq -r '[.[].deleted] | unique | join(",")')" "true" "their JSON says deleted"
eq "$(c contact show "$kim" --json | jq -r '[.name, .deleted] | join(",")')" "Kim Buyer,true" "show still shows one"
c campaign create --name 'Spring' >/dev/null
eq "$(c member add CP0001 --filter job_responsibility=PURCHASE --json | jq -r '.added')" 0 "criteria add no deleted contact"
seg=$(c segment create --description 'Buyers')
eq "$(c segment add-contacts "$seg" --filter job_responsibility=PURCHASE --json | jq -r '.added')" 0 \
  "a segment step adds no deleted contact"
c export contacts --format jsonl --output "$CRM_DATA/../contacts.jsonl" >/dev/null
eq "$(wc -l < "$CRM_DATA/../contacts.jsonl" | tr -d ' ')" 0 "exports leave them out"

# Not changed while deleted; history shows the deletion; restore and undo bring them back.
eq "$(c contact set "$kim" --city Oslo 2>&1 >/dev/null)" \
  "error: contact $kim is deleted (crmctl contact restore $kim brings it back)" "a deleted record cannot be changed"
eq "$(c history "$kim" --json | jq -r '.[-1].event')" RecordDeleted "history shows the deletion"
del_id=$(c history "$ole" --json | jq -r '.[-1].command_id')
eq "$(c undo "$del_id" >/dev/null && c contact list --json | nos)" "$ole" "undo of a delete restores"
eq "$(c contact restore "$kim")" "restored $kim" "restore"
eq "$(c contact restore "$kim")" "$kim is not deleted" "restore twice: no change"
restore_id=$(c history "$kim" --json | jq -r '.[-1].command_id')
expect_exit 2 undo "$restore_id"
eq "$(c member add CP0001 --filter job_responsibility=PURCHASE --json | jq -r '.added')" 2 "criteria find them again"

# Leads alike.
eq "$(c lead delete "$lead")" "deleted $lead" "a lead is deleted"
eq "$(c lead list --json | nos)" "" "and leaves lead list"
eq "$(c lead restore "$lead" >/dev/null && c lead list --json | nos)" "$lead" "and comes back"

# Campaigns: refused while interactions logged on them are not canceled; hidden from campaign
# lists and filters; not changed while deleted; restored by undo.
cp=$(c campaign create --name 'Old fair')
c campaign create --name 'New fair' >/dev/null
c interaction-template add LTR --description 'Letter' >/dev/null
entry=$(c interaction log "$ole" --template LTR --campaign "$cp" --json | jq -r .entry)
eq "$(c campaign delete "$cp" 2>&1 >/dev/null)" \
  "error: cannot delete campaign $cp: still needed by 1 logged interaction(s) not canceled" "a campaign with live entries: refused"
c interaction cancel "$entry" >/dev/null
eq "$(c campaign delete "$cp")" "deleted $cp" "deleted once its entries are canceled"
eq "$(c campaign list --json | jq -r '[.[].name] | join(",")')" "Spring,New fair" "campaign list leaves it out"
eq "$(c campaign list --deleted --filter deleted=yes --json | jq -r '[.[].name] | join(",")')" "Old fair" "asked for, it is there"
eq "$(c campaign set "$cp" --name 'Renamed' 2>&1 >/dev/null)" \
  "error: campaign $cp is deleted (crmctl campaign restore $cp brings it back)" "a deleted campaign is not changed"
before=$(head_seq)
expect_exit 2 member add "$cp" "$kim"
expect_exit 2 interaction log "$ole" --template LTR --campaign "$cp" --campaign-response
expect_exit 2 campaign price add "$cp" --item 1000 --discount 10
eq "$(head_seq)" "$before" "nor takes members, responses or prices"
c undo "$(c history "$cp" --json | jq -r '.[-1].command_id')" >/dev/null
eq "$(c campaign list --json | jq -r '[.[].name] | join(",")')" "Spring,Old fair,New fair" "undo restores it"

c projections rebuild --check >/dev/null
finish
