#!/usr/bin/env bash
# Moving in, first part (issue 19): a record keeps the product it came from and its id there, and
# importing the same export again updates those records; a phone and a mobile are both kept. In
# either ledger mode (kafka.sh runs it against the mock cluster too):
#   - `import ... --source zoho` with an id column (`--map "Record Id=source_id"`, or a column named
#     source_id) keeps `source` and `source_id` on each record: shown, filtered, exported;
#   - importing a changed export again updates the records by their source id (reported `updated`,
#     whatever --duplicates says: it is that record), before any match by email; a row repeating
#     an id of the same file is skipped, naming the line; a source id without its source fails;
#   - `Phone` and `Mobile` columns fill phone and mobile (`--mobile` on create and set);
#   - export, then import into an empty data directory: the same records, source ids included.
CRMCTL=$1
source "$(dirname "$0")/lib.sh"

c init >/dev/null
work=$(mktemp -d /tmp/crm-reimport-XXXXXX)
on_exit 'rm -rf "$work"'

# A Zoho CRM leads export (its documented header's first columns; the ids its own).
cat >"$work/leads.csv" <<'CSV'
Record Id,Company,First Name,Last Name,Email,Phone,Mobile,Lead Source,City
zcrm_4876876000000333001,Chapman,Kris,Marrier,krismarrier@noemail.invalid,555-555-5555,555-555-5556,Advertisement,Baltimore
zcrm_4876876000000333002,"Chemel, James L Cpa",Mitsue,Tollner,mitsue_tollner@noemail.invalid,555-555-5557,,Cold Call,Chicago
zcrm_4876876000000333003,Feltz Printing,Leota,Dilliard,,555-555-5558,555-555-5559,Trade Show,San Jose
CSV
out=$(c import leads "$work/leads.csv" --source Zoho --map 'Record Id=source_id' --json)
eq "$(jq -r '[.created, .failed] | @tsv' <<<"$out")" $'3\t0' "a Zoho export imports"
eq "$(c lead list --filter source=zoho --json | jq -r '[.[] | .source_id] | join(",")')" \
  "zcrm_4876876000000333001,zcrm_4876876000000333002,zcrm_4876876000000333003" "each keeps its source and id"
eq "$(c lead list --filter 'source_id=*333001' --json | jq -r '.[0] | [.name, .phone, .mobile, .source] | join("|")')" \
  "Kris Marrier|555-555-5555|555-555-5556|zoho" "a phone and a mobile, both kept"

# The same export again, changed: updated by source id, even the one without an email.
cat >"$work/leads2.csv" <<'CSV'
Record Id,Company,First Name,Last Name,Email,Phone,Mobile,Lead Source,City
zcrm_4876876000000333001,Chapman,Kris,Marrier,krismarrier@noemail.invalid,555-555-5555,555-555-5556,Advertisement,Annapolis
zcrm_4876876000000333002,"Chemel, James L Cpa",Mitsue,Tollner,mitsue_tollner@noemail.invalid,555-555-5557,,Cold Call,Chicago
zcrm_4876876000000333003,Feltz Printing,Leota,Dilliard,,555-555-5558,555-555-0000,Trade Show,San Jose
zcrm_4876876000000333004,Commercial Press,Sage,Wieser,sage_wieser@noemail.invalid,555-555-5560,,Web,Sioux Falls
zcrm_4876876000000333004,Commercial Press,Sage,Wieser,sage.again@noemail.invalid,555-555-5560,,Web,Sioux Falls
CSV
out=$(c import leads "$work/leads2.csv" --source zoho --map 'Record Id=source_id' --json)
eq "$(jq -r '[.created, .updated, .unchanged, .skipped, .failed] | @tsv' <<<"$out")" $'1\t2\t1\t1\t0' \
  "re-import: changed rows updated, the same unchanged, a new one created"
eq "$(jq -r '.rows_listed[] | select(.outcome == "skipped") | .reason' <<<"$out")" "duplicate of line 5 (same source id)" \
  "a row repeating an id of the file is skipped"
eq "$(c lead list --json | jq -r '[.[] | .city] | join(",")')" "Annapolis,Chicago,San Jose,Sioux Falls" \
  "no record twice; the changed city taken"
eq "$(c lead list --filter 'source_id=*333003' --json | jq -r '.[0].mobile')" "555-555-0000" \
  "a record without an email is found by its id"

# A source id without its source fails its row.
printf 'Name,source_id\nNo Source,abc\n' >"$work/nosource.csv"
eq "$(c import contacts "$work/nosource.csv" --json | jq -r '.rows_listed[0].reason')" \
  "a source id needs its source (the product it is an id of: --source zoho)" "a source id needs its source"

# Contacts: --mobile by hand; export and import into an empty data directory.
c contact create --name 'Ann Hand' --phone '+47 22 00 00 00' --mobile '+47 900 00 000' >/dev/null
expect_exit 2 contact create --name 'Bad Mobile' --mobile 'call me'
c export leads --output "$work/export.csv" >/dev/null
eq "$(head -n 1 "$work/export.csv" | tr -d '\r' | tr ',' '\n' | grep -E '^(mobile|source|source_id)$' | paste -sd,)" \
  "mobile,source,source_id" "the export has mobile, source and source_id"
(
  export CRM_DATA=$work/fresh
  unset CRM_BROKERS CRM_TOPIC  # an embedded ledger of its own
  c init >/dev/null
  c import leads "$work/export.csv" --map no= --json >"$work/fresh.json"
  c import leads "$work/export.csv" --map no= --json >"$work/fresh-again.json"
  c lead list --json | jq -c '[.[] | [.name, .phone, .mobile, .source, .source_id, .city]]' >"$work/fresh.txt"
)
eq "$(jq -r '[.created, .failed] | @tsv' "$work/fresh.json")" $'4\t0' "the export imports whole"
eq "$(jq -r '[.created, .unchanged] | @tsv' "$work/fresh-again.json")" $'0\t4' "and again: every record unchanged"
eq "$(cat "$work/fresh.txt")" "$(c lead list --json | jq -c '[.[] | [.name, .phone, .mobile, .source, .source_id, .city]]')" \
  "with the same fields, source ids included"

c projections rebuild --check >/dev/null
finish
