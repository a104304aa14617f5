#!/usr/bin/env bash
# Moving in, campaigns (issue 19), in either ledger mode (kafka.sh runs it against the mock
# cluster too). Fixtures written to match Salesforce's Campaign and CampaignMember Data Loader
# headers, Zoho's campaigns export and Business Central's campaign list (accents, empty cells, a
# quoted line break, ids of both Salesforce lengths):
#   - campaigns import with their statuses (added by --add-missing-statuses), parents (the parent
#     later in the file), costs, dates and the source's times; importing again changes nothing,
#     a changed export updates;
#   - campaign members resolve their campaign, lead and contact ids against earlier imports,
#     in any order of the leads and contacts imports; a member whose records are not imported
#     yet fails, naming the id, and imports once they are; HasResponded is the status's responded
#     flag and FirstRespondedDate the membership's responded_at, counted in statistics;
#   - contacts, leads and campaigns exported again and imported into an empty data directory
#     give the same records.
CRMCTL=$1
source "$(dirname "$0")/lib.sh"

c init >/dev/null
work=$(mktemp -d /tmp/crm-moving-in-campaigns-XXXXXX)
on_exit 'rm -rf "$work"'

cat >"$work/sf_campaigns.csv" <<'CSV'
Id,Name,ParentId,Type,Status,StartDate,EndDate,ExpectedRevenue,BudgetedCost,ActualCost,ExpectedResponse,NumberSent,IsActive,Description,OwnerId,CreatedDate,LastModifiedDate
7015g000000AbC1AAK,Spring Webinar — Växjö,7015g000000AbC0,Webinar,In Progress,2024-04-01,2024-04-30,50000,5000,1200.50,10,250,true,"Two
lines",0055g00000AbCdE,2024-02-01T09:00:00.000+0000,2024-03-01T09:00:00.000+0000
7015g000000AbC0,Spring 2024,,Other,Planned,2024-03-01,2024-06-30,,20000,,,,true,,0055g00000AbCdE,2024-01-15T09:00:00.000+0000,2024-01-15T09:00:00.000+0000
CSV
out=$(c import campaigns "$work/sf_campaigns.csv" --json)
eq "$(jq -r '[.from, .created, .failed] | @tsv' <<<"$out")" $'salesforce\t0\t2' "statuses the catalogue lacks fail their rows"
eq "$(jq -r '.rows_listed[0].reason' <<<"$out")" \
  "campaign status code PLANNED is not defined (crmctl campaign-status add PLANNED)" "naming the status as a code"
out=$(c import campaigns "$work/sf_campaigns.csv" --add-missing-statuses --json)
eq "$(jq -c '[.created, .failed, .campaign_statuses_added]' <<<"$out")" '[2,0,["IN-PROGRESS","PLANNED"]]' \
  "with --add-missing-statuses: every row, the parent before its child"
eq "$(c campaign-status list --json | jq -r '[.[] | select(.code == "IN-PROGRESS") | .description] | join("")')" \
  "In Progress" "a status added keeps the source's wording"
parent=$(c campaign list --filter source_id=7015g000000AbC0 --json | jq -r '.[0].no')
eq "$(c campaign list --filter source_id=7015g000000AbC1 --json | jq -c '.[0] | [.name, .parent == "'"$parent"'", .status, .start_date, .budgeted_cost, .actual_cost, .expected_response, .number_sent, .description, .created_at, .source_modified_at]')" \
  '["Spring Webinar — Växjö",true,"IN-PROGRESS","2024-04-01","5000.00","1200.50",10,250,"Two\nlines","2024-02-01T09:00:00Z","2024-03-01T09:00:00Z"]' \
  "its fields, its parent, a 15-character id for an 18-character one, and the source's times"
eq "$(c import campaigns "$work/sf_campaigns.csv" --json | jq -r '[.created, .unchanged, .failed] | @tsv')" $'0\t2\t0' \
  "importing it again changes nothing"
sed -i 's/,5000,1200.50,/,5500,1300.00,/' "$work/sf_campaigns.csv"
eq "$(c import campaigns "$work/sf_campaigns.csv" --json | jq -r '[.created, .updated, .unchanged] | @tsv')" $'0\t1\t1' \
  "a changed export updates"
eq "$(c campaign list --filter source_id=7015g000000AbC1 --json | jq -r '.[0].actual_cost')" "1300.00" "the change is there"

cat >"$work/sf_leads.csv" <<'CSV'
Id,OwnerId,FirstName,LastName,Company,Status,Email
00Q5g000004BqXk,0055g00000AbCdE,Jürgen,Müller,Müller GmbH,Open - Not Contacted,jm@example.de
CSV
cat >"$work/sf_contacts.csv" <<'CSV'
Id,OwnerId,FirstName,LastName,Email
0035g00000AbCd1AAB,0055g00000AbCdE,Rose,Gonzalez,rose@edge.invalid
CSV
cat >"$work/sf_members.csv" <<'CSV'
Id,CampaignId,LeadId,ContactId,Status,HasResponded,FirstRespondedDate,CreatedDate
00v5g00000Mem01,7015g000000AbC1AAK,00Q5g000004BqXkEAC,,Responded,true,2024-04-03,2024-04-01T09:00:00.000Z
00v5g00000Mem02,7015g000000AbC1,,0035g00000AbCd1,Sent,false,,2024-04-01T09:00:00.000Z
00v5g00000Mem04,7015g000000AbC0,00Q5g000004BqXk,0035g00000AbCd1,Attended,true,2024-03-15,2024-04-01T09:00:00.000Z
CSV
# Members before their leads and contacts: every row fails, naming the ids; then the contacts,
# then the leads (the other order than moving_in.sh's), and the same file imports.
out=$(c import members "$work/sf_members.csv" --add-missing-statuses --json)
eq "$(jq -c '[.from, .created, .failed, .member_statuses_added]' <<<"$out")" '["salesforce",0,3,["Attended"]]' \
  "members whose records are not imported fail"
eq "$(jq -r '.rows_listed[1].reason' <<<"$out")" \
  "no contact or lead was imported with the id '0035g00000AbCd1' (import the contacts and leads first)" "naming the ids"
eq "$(c import contacts "$work/sf_contacts.csv" --json | jq -r .created)" 1 "the contacts"
eq "$(c import leads "$work/sf_leads.csv" --add-missing-statuses --json | jq -r .created)" 1 "the leads"
out=$(c import members "$work/sf_members.csv" --json)
eq "$(jq -r '[.created, .failed] | @tsv' <<<"$out")" $'3\t0' "then the members, every row"
webinar=$(c campaign list --filter source_id=7015g000000AbC1 --json | jq -r '.[0].no')
eq "$(c roster "$webinar" --json | jq -c '[.[] | [.name, .status, .responded, .responded_at]]')" \
  '[["Rose Gonzalez","Sent",false,""],["Jürgen Müller","Responded",true,"2024-04-03T00:00:00Z"]]' \
  "statuses, HasResponded and the responded date kept (a lead found by its 18-character id)"
eq "$(c roster "$parent" --json | jq -c '[.[] | [.name, .status, .responded_at]]')" '[["Rose Gonzalez","Attended","2024-03-15T00:00:00Z"]]' \
  "a member naming both a lead and a contact is the contact; a status added with its responded flag"
eq "$(c roster "$webinar" --filter 'responded_at=<2024-04-30' --json | jq -r 'length')" 1 "responded_at filters"
eq "$(c campaign stats "$parent" --rollup --json | jq -c '[.members, .responses]')" '[3,2]' "responses feed the statistics"
eq "$(c import members "$work/sf_members.csv" --json | jq -r '[.created, .unchanged, .failed] | @tsv')" $'0\t3\t0' \
  "importing the members again changes nothing"
sed -i 's/,Sent,false,,/,Responded,true,2024-04-20,/' "$work/sf_members.csv"
eq "$(c import members "$work/sf_members.csv" --json | jq -r '[.updated, .unchanged] | @tsv')" $'1\t2' "a changed membership updates"
eq "$(c roster "$webinar" --filter 'name=Rose*' --json | jq -r '.[0] | [.status, .responded_at] | join(" ")')" \
  "Responded 2024-04-20T00:00:00Z" "to the new status and its date"
# An import of members is undone as a whole (the memberships it added go, those it changed are
# as before); an import of campaigns is not (creations are not undone), and says so.
printf 'CampaignId,ContactId,Status,HasResponded\n7015g000000AbC0,0035g00000Nobody,Sent,false\n7015g000000AbC1,0035g00000AbCd1,Attended,true\n' \
  >"$work/sf_more.csv"
out=$(c import members "$work/sf_more.csv" --source salesforce --command-id more-members --json 2>/dev/null)
eq "$(jq -r '[.updated, .failed] | @tsv' <<<"$out")" $'1\t1' "a second members file"
eq "$(c roster "$webinar" --filter 'name=Rose*' --json | jq -r '.[0].status')" Attended "changed Rose's status"
c undo more-members >/dev/null
eq "$(c roster "$webinar" --filter 'name=Rose*' --json | jq -r '.[0].status')" Responded "undo puts it back"
# A hierarchy deeper than five levels is refused in one batch as across batches.
{
  echo 'Id,Name,ParentId'
  for i in 1 2 3 4 5 6; do echo "701L$i,Level $i,$([ "$i" -gt 1 ] && echo "701L$((i - 1))")"; done
} >"$work/sf_deep.csv"
out=$(c import campaigns "$work/sf_deep.csv" --from salesforce --command-id deep --json 2>/dev/null)
eq "$(jq -r '[.created, .failed] | @tsv' <<<"$out")" $'5\t1' "a sixth level fails"
eq "$(jq -r '.rows_listed[0].reason' <<<"$out")" \
  "campaign hierarchies are at most 5 levels deep; under $(c campaign list --filter source_id=701L5 --json | jq -r '.[0].no') this would make 6" \
  "naming the limit"
expect_exit 2 undo deep
printf 'CampaignId,ContactId,Status,HasResponded\n7015g000000AbC0,0035g00000AbCd1,Sent,true\n' >"$work/sf_wrong.csv"
eq "$(c import members "$work/sf_wrong.csv" --source salesforce --json 2>/dev/null | jq -r '.rows_listed[0].reason')" \
  "HasResponded says yes, but member status 'Sent' counts as not responded" "HasResponded must agree with the status"

# Zoho's campaigns export and BC's campaign list.
c salesperson add PB --name 'Patricia Boyle' >/dev/null
cat >"$work/zoho_campaigns.csv" <<'CSV'
Record Id,Campaign Owner,Campaign Name,Type,Status,Start Date,End Date,Expected Revenue,Budgeted Cost,Actual Cost,Expected Response,Num sent,Description,Created Time,Modified Time
zcrm_4876876000000339001,Patricia Boyle,Trade Show Ålesund,Trade Show,Active,2024-05-01,2024-05-03,100000,8000,7500,,1200,,2024-03-01 10:00:00,2024-03-02 11:00:00
CSV
out=$(c import campaigns "$work/zoho_campaigns.csv" --add-missing-statuses --json)
eq "$(jq -r '[.from, .created, .failed] | @tsv' <<<"$out")" $'zoho\t1\t0' "a Zoho campaigns export imports"
eq "$(c campaign list --filter source=zoho --json | jq -c '.[0] | [.salesperson, .status, .number_sent, .created_at]')" \
  '["PB","ACTIVE",1200,"2024-03-01T10:00:00Z"]' "the owner as a salesperson, the status as a code"
eq "$(jq -r '.ignored_columns | join(",")' <<<"$out")" "Expected Response" "what is not imported is listed"
cat >"$work/bc_campaigns.csv" <<'CSV'
No.,Description,Starting Date,Ending Date,Salesperson Code,Status Code,Last Date Modified
CP1001,Winter mailing,2024-11-01,2024-12-15,PB,,2024-10-20
CSV
out=$(c import campaigns "$work/bc_campaigns.csv" --json)
eq "$(jq -r '[.from, .created, .failed] | @tsv' <<<"$out")" $'bc\t1\t0' "a Business Central campaign list imports"
eq "$(c campaign list --filter source=bc --json | jq -c '.[0] | [.name, .source_id, .salesperson, .end_date]')" \
  '["Winter mailing","CP1001","PB","2024-12-15"]' "its number kept as the source id"
expect_exit 1 import campaigns "$work/bc_campaigns.csv" --campaign CP0001

# Companies and their persons, for the round trip below.
cat >"$work/zoho_accounts.csv" <<'CSV'
Record Id,Account Owner,Account Name,Phone,Billing City,Billing Country,Created Time,Modified Time
zcrm_4876876000000334001,Patricia Boyle,Chapman,555-555-5555,Baltimore,United States,2023-11-02 08:00:00,2024-02-01 12:30:00
CSV
cat >"$work/zoho_contacts.csv" <<'CSV'
Record Id,Contact Owner,First Name,Last Name,Account Name,Email,Mobile,Email Opt Out,Created Time,Modified Time
zcrm_4876876000000335001,Patricia Boyle,Kris,Marrier,Chapman,kris@example.invalid,555-555-5556,true,2024-03-01 10:12:01,2024-04-01 10:12:01
CSV
eq "$(c import companies "$work/zoho_accounts.csv" --json | jq -r .failed)" 0 "Zoho accounts"
eq "$(c import contacts "$work/zoho_contacts.csv" --json | jq -r .failed)" 0 "and contacts"

# Round trip: contacts, leads and campaigns exported again and imported into an empty data
# directory (embedded, whatever this run's mode) give the same records. Numbers are each data
# set's own: persons find their companies by name (the export's company_name), a campaign's
# parent is not carried (a number), its owner is a user of each data set.
for what in contacts leads campaigns; do c export "$what" --output "$work/again_$what.csv" >/dev/null; done
other=$(mktemp -d /tmp/crm-round-trip-XXXXXX)
on_exit "rm -rf '$other'"
o() { env -u CRM_BROKERS -u CRM_TOPIC CRM_DATA="$other/data" "$CRMCTL" "$@"; }
o init >/dev/null
o salesperson add PB --name 'Patricia Boyle' >/dev/null
# Here the leads first, then the contacts (the other order than above), then the members.
eq "$(o import leads "$work/again_leads.csv" --add-missing-statuses --json | jq -r '[.created, .failed] | @tsv')" $'1\t0' \
  "the leads export imports"
eq "$(o import contacts "$work/again_contacts.csv" --map company= --map company_name=company --json | jq -r '[.created, .failed] | @tsv')" \
  $'3\t0' "the contacts export imports"
eq "$(o import campaigns "$work/again_campaigns.csv" --map parent= --add-missing-statuses --json | jq -r '[.created, .failed] | @tsv')" \
  "$(c campaign list --json | jq -r length)"$'\t0' "the campaigns export imports"
same() {  # KIND: the records of both data sets, without what each numbers or stamps itself
  local what=$1 drop='del(.no, .company, .parent, .owner, .modified_at, .created_by, .converted_to)'
  eq "$(o "$what" list --json | jq -c "map($drop) | sort_by(.source, .source_id, .name)")" \
    "$(c "$what" list --json | jq -c "map($drop) | sort_by(.source, .source_id, .name)")" "the same ${what}s"
}
same contact
same lead
same campaign
eq "$(o campaign list --json | jq -r length)" 9 "(all of them)"
# Members: each campaign's roster exported, imported into the campaign of the same source id there
# (its members found by their source ids).
for cp in $(c campaign list --json | jq -r '.[].no'); do
  [ "$(c roster "$cp" --json | jq length)" -gt 0 ] || continue
  c export roster "$cp" --output "$work/roster_$cp.csv" >/dev/null
  there=$(o campaign list --filter "source_id=$(c campaign show "$cp" --json | jq -r .source_id)" --json | jq -r '.[0].no')
  eq "$(o import members "$work/roster_$cp.csv" --campaign "$there" --map contact= --map source_id=member \
          --add-missing-statuses --json | jq -r .failed)" 0 "the roster of $cp imports"
  eq "$(o roster "$there" --json | jq -c 'map([.name, .kind, .status, .responded, .responded_at]) | sort')" \
    "$(c roster "$cp" --json | jq -c 'map([.name, .kind, .status, .responded, .responded_at]) | sort')" "the same members of $cp"
done
eq "$(o campaign stats "$(o campaign list --filter source_id=7015g000000AbC1 --json | jq -r '.[0].no')" --json | jq -c '[.members, .responses, .by_status]')" \
  "$(c campaign stats "$webinar" --json | jq -c '[.members, .responses, .by_status]')" "and the same statistics"
links() { jq -c '(map({key: .no, value: .name}) | from_entries) as $n | [.[] | select(.company != "") | [.name, $n[.company]]] | sort'; }
eq "$(o contact list --json | links)" "$(c contact list --json | links)" "each person with its company"
finish
