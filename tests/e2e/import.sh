#!/usr/bin/env bash
# crmctl import and export (SPEC §4.9), CSV: automatic column mapping (other programs' header
# names, first + last name), a byte-order mark, `;` separators, quoted fields with separators,
# doubled quotes and line breaks; every row accounted for (a bad row reported with its line, the
# others imported); imported opt-outs honoured; --campaign/--member-status; --duplicates skip,
# overwrite and create; --dry-run writes nothing; malformed files refused with the file and line
# and nothing written; a repeated import answers as the first time; export -> import -> export
# gives the same file. Run by kafka.sh too (both ledger modes).
CRMCTL=$1
source "$(dirname "$0")/lib.sh"
WORK=$(dirname "$CRM_DATA")

c init >/dev/null
c member-status add Invited >/dev/null
c member-status add Attended --responded >/dev/null
c code add job-responsibility PURCHASE >/dev/null
c code add job-responsibility IT >/dev/null
c campaign create --name 'Spring webinar' >/dev/null

# Leads as another CRM exports them: BOM, CRLF, a quoted note with a comma, quotes and a line
# break, an opt-out column; line 6 has a bad email.
{
  printf '\xEF\xBB\xBFFirst Name,Last Name,Email,Account Name,Lead Source,Phone,Notes,Email Opt Out\r\n'
  printf 'Ada,Lovelace,ada@example.com,Analytical Ltd,Web,+44 20 1234,"Met at the fair, ""very"" keen\r\ncall back",no\r\n'
  printf 'Alan,Turing,alan@example.com,Bletchley,Web,,,\r\n'
  printf 'Grace,Hopper,grace@example.com,Navy,Event,,,yes\r\n'
  printf '\r\n'
  printf 'Bad,Email,not-an-email,Nowhere,Web,,,\r\n'
  for i in $(seq 1 15); do printf 'Lead,%s,lead%s@example.com,Co %s,Web,,,\r\n' "$i" "$i" "$i"; done
} >"$WORK/leads.csv"

before=$(head_seq)
dry=$(c import leads "$WORK/leads.csv" --campaign CP0001 --member-status Invited --dry-run --json)
eq "$(jq -c '[.rows, .created, .failed, .dry_run]' <<<"$dry")" '[19,18,1,true]' "a dry run decides every row"
eq "$(head_seq)" "$before" "a dry run writes nothing"

out=$(c import leads "$WORK/leads.csv" --campaign CP0001 --member-status Invited --json --report "$WORK/report.csv")
eq "$(jq -c '[.rows, .created, .updated, .skipped, .failed]' <<<"$out")" '[19,18,0,0,1]' "leads import totals"
eq "$(jq -r '.rows_listed[] | select(.outcome=="failed") | "\(.line) \(.reason)"' <<<"$out" | cut -c1-40)" \
   "7 email 'not-an-email' is not valid: exp" "the bad row is reported with its line"
eq "$(jq -c .ignored_columns <<<"$out")" '[]' "every column mapped"
eq "$(wc -l <"$WORK/report.csv")" 20 "the report has a line per row (and a header)"
eq "$(grep -c ',created,LD' "$WORK/report.csv")" 18 "the report names each created record"
import_id=$(jq -r .command_id <<<"$out")
eq "$(c lead show LD0001 --json | jq -r .description)" $'Met at the fair, "very" keen\ncall back' "quoted text with separators, quotes and a line break (CRLF kept as LF)"
eq "$(c lead show LD0001 --json | jq -r '[.name, .company_name, .lead_source, .phone] | join("|")')" \
   "Ada Lovelace|Analytical Ltd|Web|+44 20 1234" "first + last name and mapped columns"
eq "$(c lead show LD0003 --json | jq -r .consent)" opted-out "an imported opt-out is honoured"
eq "$(c lead opt-in LD0003 --reason 'called back' --json | jq -r .consent)" opt-in "leads record consent too"
eq "$(c lead show LD0003 --json | jq -r '[.consent, .consent_reason] | join("|")')" "opted-in|called back" "a lead's consent"
eq "$(c roster CP0001 --count --json | jq -c .by_status)" '{"Invited":18}' "imported leads are members with the status"
eq "$(c roster CP0001 --json | jq -r '.[0].contact')" LD0001 "the roster lists them"

# The same import again (same command id): answered as the first time, nothing written.
head=$(head_seq)
again=$(c import leads "$WORK/leads.csv" --campaign CP0001 --member-status Invited --json --report "$WORK/report.csv" \
  --command-id "$import_id")
eq "$(jq -c '[.created, .failed]' <<<"$again")" '[18,1]' "a repeated import answers as the first time"
eq "$(head_seq)" "$head" "a repeated import writes nothing"

# A new import of the same file: every row a duplicate of its record (skip, the default).
skip=$(c import leads "$WORK/leads.csv" --json)
eq "$(jq -c '[.created, .skipped, .failed]' <<<"$skip")" '[0,18,1]' "duplicates skipped by email"
eq "$(jq -r '.rows_listed[0].reason' <<<"$skip")" "duplicate of LD0001 (same email)" "a skipped row names its duplicate"

# Overwrite: only the cells with a value change the record; a row that changes nothing is unchanged.
printf 'email;phone;lead status\nada@example.com;+44 20 9999;Qualified\n' >"$WORK/noname.csv"
expect_exit 1 import leads "$WORK/noname.csv" --duplicates overwrite   # no column gives the name
printf 'name;email;phone;lead status\nAda L;ada@example.com;+44 20 9999;Qualified\nAlan Turing;alan@example.com;;\n' >"$WORK/update.csv"
upd=$(c import leads "$WORK/update.csv" --duplicates overwrite --json)
eq "$(jq -c '[.updated, .unchanged]' <<<"$upd")" '[1,1]' "overwrite: one updated, one unchanged"
eq "$(c lead show LD0001 --json | jq -r '[.name, .phone, .lead_status, .company_name] | join("|")')" \
   "Ada L|+44 20 9999|Qualified|Analytical Ltd" "overwrite changes the given cells only"
create=$(c import leads "$WORK/update.csv" --duplicates create --json)
eq "$(jq -c '[.created, .rows_listed[0].reason]' <<<"$create")" '[2,"duplicate of LD0001 (same email), created as asked"]' "--duplicates create"

# Contacts: profile codes, a company by number, a flag, in-file duplicates, a row too long.
c contact create --name 'Acme' --type company >/dev/null   # CT0001
cat >"$WORK/contacts.csv" <<'CSV'
Name,E-mail Address,Company No,Job Responsibility,City,Exclude From Segment,Consent,Consent Reason
Pat Buyer,pat@example.com,CT0001,"PURCHASE, IT",Oslo,no,opted-in,web form
Sam Seller,sam@example.com,CT0001,IT,Bergen,yes,,
Pat Again,PAT@example.com,,,,,,
Too Long,long@example.com,,,,,,,extra
No Code,nocode@example.com,,NOPE,,,,
CSV
ct=$(c import contacts "$WORK/contacts.csv" --json)
eq "$(jq -c '[.created, .skipped, .failed]' <<<"$ct")" '[2,1,2]' "contacts import totals"
eq "$(jq -r '.rows_listed[] | "\(.line) \(.outcome) \(.reason)"' <<<"$ct" | cut -c1-50 | tr '\n' '/')" \
   "4 skipped duplicate of line 2 (same email)/5 failed the row has 9 cells, the header 8 columns/6 failed job-responsibility NOPE is not defined (c/" \
   "in-file duplicate, a long row and an undefined code, each with its line"
eq "$(c contact show CT0002 --json | jq -c '[.company, .job_responsibility, .city, .consent, .consent_reason]')" \
   '["CT0001",["PURCHASE","IT"],"Oslo","opted-in","web form"]' "contact fields, codes and consent"
eq "$(c contact show CT0003 --json | jq -r .exclude_from_segment)" true "a yes/no column"

# vCard: an address book's export (made by python3-vobject, the library behind khard and Radicale:
# tests/io/fixtures/make_vobject_vcf.py), imported as leads; a card without a name refuses the file.
vcf=$(c import leads "$(dirname "$0")/../io/fixtures/vobject.vcf" --json)
eq "$(jq -c '[.rows, .created, .ignored_columns]' <<<"$vcf")" '[2,2,[]]' "vCard cards imported as leads"
vno=$(c lead list --filter email=margaret@example.org --json | jq -r '.[0].no')
eq "$(c lead show "$vno" --json | jq -r '[.name, .company_name, .phone, .city, .post_code, .country, .description] | join("|")')" \
   "Margaret Hamilton|Apollo Guidance, MIT|+1 617 555 0199|Cambridge|02139|USA|Wrote the flight software; call back" \
   "a card's fields"
head=$(head_seq)
printf 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Named\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nEMAIL:anon@example.com\r\nEND:VCARD\r\n' >"$WORK/noname.vcf"
expect_exit 1 import leads "$WORK/noname.vcf"
eq "$(c import leads "$WORK/noname.vcf" 2>&1 | grep -c 'noname.vcf:5: a vCard without a name')" 1 "a card without a name is named by its line"
eq "$(head_seq)" "$head" "nothing of that file is imported"

# lead from-email: a lead from a real message (encoded name and subject, a quoted-printable
# Latin-1 signature); a message without a sender is refused and writes nothing.
EML=$(dirname "$0")/../io/fixtures/eml
no=$(c lead from-email "$EML/signature.eml")
eq "$(c lead show "$no" --json | jq -r '[.name, .email, .company_name, .phone, .lead_source, .description] | join("|")')" \
   "Ola Nordmann Ø|ola@fabrikam.no|Fabrikam AS|+47 22 33 44 55|Email|Request for a quote – 50 chairs" "a lead from an email"
eq "$(c lead from-email "$EML/domain.eml" --json | jq -r '[.company_name, .company_from] | join("|")')" "Contoso|domain" \
   "the company from the sender's domain"
head=$(head_seq)
expect_exit 1 lead from-email "$EML/nofrom.eml"
eq "$(c lead from-email "$EML/nofrom.eml" 2>&1 | grep -c 'nofrom.eml: the message has no From address')" 1 "no From: named"
eq "$(head_seq)" "$head" "a message without a sender writes nothing"

# Lead statuses: a catalogue (New, Contacted, Qualified, Lost until changed); imports and sets
# take only defined ones; a status leads have is removed only with --replace-with, which moves them.
eq "$(c lead-status list --json | jq -r '[.[].name] | join(",")')" "New,Contacted,Qualified,Lost" "the default catalogue"
c lead-status add Nurturing --order 25 >/dev/null
printf 'name,email,lead status\nNora Nurture,nora@example.com,nurturing\nBad Status,bad.status@example.com,Sleeping\n' >"$WORK/status.csv"
st=$(c import leads "$WORK/status.csv" --json)
eq "$(jq -c '[.created, .failed]' <<<"$st")" '[1,1]' "an undefined lead status fails its row"
eq "$(jq -r '.rows_listed[] | select(.outcome=="failed") | .reason' <<<"$st" | cut -c1-42)" "lead status 'Sleeping' is not defined (New" \
   "the reason names the catalogue"
nora=$(c lead list --filter email=nora@example.com --json | jq -r '.[0].no')
eq "$(c lead show "$nora" --json | jq -r .lead_status)" Nurturing "a defined status, by any case"
expect_exit 2 lead-status remove Nurturing
eq "$(c lead-status remove Nurturing --replace-with Qualified --json | jq .leads_moved)" 1 "its leads move"
eq "$(c lead show "$nora" --json | jq -r .lead_status)" Qualified "moved to the replacement"
eq "$(c lead-status list --json | jq -r '[.[].name] | join(",")')" "New,Contacted,Qualified,Lost" "removed"

# Malformed files: refused with the file and line; nothing written.
head=$(head_seq)
printf 'name,email\n"Open quote,a@example.com\nB,b@example.com\n' >"$WORK/open.csv"
expect_exit 1 import contacts "$WORK/open.csv"
eq "$(c import contacts "$WORK/open.csv" 2>&1 | grep -c "open.csv:2: malformed CSV: a quoted field is never closed")" 1 "an unclosed quote names its line"
printf 'name,email\nA "B",a@example.com\nC,c@example.com\n' >"$WORK/stray.csv"
eq "$(c import contacts "$WORK/stray.csv" 2>&1 | grep -c "stray.csv:2: malformed CSV")" 1 "a stray quote names its line"
printf 'name,email\nA,a@example.com\nJos\xe9,j@example.com\n' >"$WORK/latin1.csv"
# (Detected as Windows-1252 and imported unless told it is UTF-8: tests/e2e/files.sh.)
eq "$(c import contacts "$WORK/latin1.csv" --encoding utf-8 2>&1 | grep -c "latin1.csv:3: text that is not UTF-8")" 1 \
  "text not in the encoding given names its line"
printf '\xff\xfen\x00a\x00' >"$WORK/utf16.csv"
expect_exit 1 import contacts "$WORK/utf16.csv"
: >"$WORK/empty.csv"
expect_exit 1 import contacts "$WORK/empty.csv"
expect_exit 1 import contacts "$WORK/missing.csv"
expect_exit 1 import contacts "$WORK/contacts.csv" --map Name=nonsense
expect_exit 1 import contacts "$WORK/contacts.csv" --map Nope=name
expect_exit 1 import contacts "$WORK/contacts.csv" --duplicates maybe
expect_exit 2 import contacts "$WORK/contacts.csv" --campaign CP0099
expect_exit 2 import contacts "$WORK/contacts.csv" --campaign CP0001 --member-status Nope
eq "$(head_seq)" "$head" "refused imports write nothing"

# Export -> import into a fresh data set -> export: the same file.
c export contacts --output "$WORK/out/contacts.csv" >/dev/null
c export leads --output "$WORK/out/leads.csv" >/dev/null
c export leads --format jsonl --output "$WORK/out/leads.jsonl" >/dev/null
eq "$(wc -l <"$WORK/out/leads.jsonl")" "$(c lead list --json | jq length)" "jsonl: one line per lead"
eq "$(head -n1 "$WORK/out/leads.jsonl" | jq -r .no)" LD0001 "jsonl rows are the --json rows"
c export roster CP0001 --output "$WORK/out/roster.csv" >/dev/null
eq "$(sed -n 2p "$WORK/out/roster.csv" | cut -d, -f1-4)" "LD0001,lead,Ada L,Invited" "roster export"
expect_exit 2 export roster CP0099 --output "$WORK/out/none.csv"
eq "$(ls "$WORK/out" | grep -c none)" 0 "a refused export leaves no file"
# roundtrip EXT NAME: imports the exported contacts and leads (.EXT) into a fresh data set
# $WORK/NAME and exports them there as CSV ($WORK/NAME-contacts.csv, $WORK/NAME-leads.csv).
roundtrip() (
  export CRM_DATA=$WORK/$2
  unset CRM_BROKERS   # a data set of its own (the file formats are the point here)
  c init >/dev/null
  c code add job-responsibility PURCHASE >/dev/null
  c code add job-responsibility IT >/dev/null
  c import contacts "$WORK/out/contacts.$1" --duplicates create >/dev/null
  c import leads "$WORK/out/leads.$1" --duplicates create >/dev/null
  c export contacts --output "$WORK/$2-contacts.csv" >/dev/null
  c export leads --output "$WORK/$2-leads.csv" >/dev/null
)
roundtrip csv copy
eq "$(cmp "$WORK/out/contacts.csv" "$WORK/copy-contacts.csv" && echo same)" same "contacts: export, import, export"
eq "$(cmp "$WORK/out/leads.csv" "$WORK/copy-leads.csv" && echo same)" same "leads: export, import, export"

# The same through XLSX: export as a workbook, import it into a fresh data set, export as CSV.
c export contacts --format xlsx --output "$WORK/out/contacts.xlsx" >/dev/null
c export leads --format xlsx --output "$WORK/out/leads.xlsx" >/dev/null
roundtrip xlsx copy2
eq "$(cmp "$WORK/out/contacts.csv" "$WORK/copy2-contacts.csv" && echo same)" same "contacts: export xlsx, import, export csv"
eq "$(cmp "$WORK/out/leads.csv" "$WORK/copy2-leads.csv" && echo same)" same "leads: export xlsx, import, export csv"
# And through JSON Lines (the --json rows, every key a column).
c export contacts --format jsonl --output "$WORK/out/contacts.jsonl" >/dev/null
roundtrip jsonl copy3
eq "$(cmp "$WORK/out/contacts.csv" "$WORK/copy3-contacts.csv" && echo same)" same "contacts: export jsonl, import, export csv"
eq "$(cmp "$WORK/out/leads.csv" "$WORK/copy3-leads.csv" && echo same)" same "leads: export jsonl, import, export csv"
head=$(head_seq)
printf '{"name": "Good Row", "email": "good@example.com"}\n\n{"name": "Broken", "email": \n' >"$WORK/broken.jsonl"
expect_exit 1 import leads "$WORK/broken.jsonl"
eq "$(c import leads "$WORK/broken.jsonl" 2>&1 | grep -c "broken.jsonl:3: not JSON")" 1 "a broken JSON line is named with its line"
printf '["not", "an", "object"]\n' >"$WORK/array.jsonl"
eq "$(c import leads "$WORK/array.jsonl" 2>&1 | grep -c "array.jsonl:1: a line must be a JSON object")" 1 "a line that is not an object"
eq "$(head_seq)" "$head" "a malformed JSON Lines file writes nothing"
head -c 2000 "$WORK/out/leads.xlsx" >"$WORK/truncated.xlsx"
expect_exit 1 import leads "$WORK/truncated.xlsx"
eq "$(c import leads "$WORK/truncated.xlsx" 2>&1 | grep -c "truncated.xlsx: not an XLSX workbook")" 1 "a truncated workbook is named"
eq "$(head_seq)" "$head" "a damaged workbook writes nothing"

# Undo of an import, as a whole: created records removed (numbers never reused, personal data
# shredded), changed records restored, memberships taken back; refused while anything it wrote
# has changed since. Batches of 2 rows: the undo spans batches.
printf 'name,email,city\nUndo One,u1@example.com,Rome\nUndo Two,u2@example.com,Rome\nUndo Three,u3@example.com,\nPat Buyer,pat@example.com,Paris\n' >"$WORK/undo.csv"
members_before=$(c roster CP0001 --count --json | jq -c .by_status)
imp=$(c import contacts "$WORK/undo.csv" --campaign CP0001 --duplicates overwrite --batch-rows 2 --json)
eq "$(jq -c '[.created, .updated, .batches]' <<<"$imp")" '[3,1,2]' "an import in two batches"
imp_id=$(jq -r .command_id <<<"$imp")
new=$(c contact list --filter city=Rome --json | jq -r '.[0].no')
eq "$(c contact show CT0002 --json | jq -r .city)" Paris "overwritten by the import"
expect_exit 2 undo "$imp_id#1"   # one batch alone
c member set-status CP0001 "$new" Attended >/dev/null
head=$(head_seq)
expect_exit 2 undo "$imp_id"
eq "$(c undo "$imp_id" 2>&1 | grep -c "$new in CP0001 changed after the command")" 1 "a member changed since: refused, named"
eq "$(head_seq)" "$head" "a refused undo writes nothing"
c member set-status CP0001 "$new" Sent >/dev/null   # back as the import left it
undo=$(c undo "$imp_id" --json)
eq "$(jq -c '[.removed, .restored, .members_changed]' <<<"$undo")" '[3,1,4]' "the whole import undone"
expect_exit 2 contact show "$new"
eq "$(c contact show CT0002 --json | jq -r .city)" Oslo "a changed record restored"
eq "$(c roster CP0001 --count --json | jq -c .by_status)" "$members_before" "memberships taken back"
eq "$(c contact list --filter city=Rome --json | jq length)" 0 "removed records are gone from lists"
eq "$(c ledger tail --stream "contact/$new" --jsonl | grep -c 'Undo One')" 0 "a removed record's personal data is shredded"
eq "$(c ledger tail --stream "contact/$new" --jsonl | jq -r 'select(.payload_type=="RecordRemoved") | .payload.no')" "$new" \
   "the removal is a record of its own"
head=$(head_seq)
eq "$(c undo "$imp_id" --command-id "$(jq -r .command_id <<<"$undo")" --json | jq -c '[.removed, .restored]')" '[3,1]' \
   "a repeated undo answers as the first time"
eq "$(head_seq)" "$head" "a repeated undo writes nothing"
expect_exit 2 undo "$(jq -r .command_id <<<"$undo")"   # an import's undo is not undone: import again
again=$(c import contacts "$WORK/undo.csv" --json)
eq "$(jq -c '[.created, .skipped]' <<<"$again")" '[3,1]' "the emails are free again"
eq "$(c contact list --filter city=Rome --json | jq -r '.[0].no' | cut -c3-)" "$(printf '%04d' $((10#${new:2} + 3)))" \
   "numbers are not reused"
again_id=$(jq -r .command_id <<<"$again")
changed=$(c contact list --filter city=Rome --json | jq -r '.[0].no')
c contact set "$changed" --phone '+39 06 1234' >/dev/null
eq "$(c undo "$again_id" 2>&1 | grep -c "$changed changed after the import")" 1 "a record changed since: refused, named"

# A company made by one batch and named by persons in the batches after it, which are decided
# while the batch before them is being appended (one row per batch here).
probe=$(c contact create --name 'Number probe')
company=$(printf 'CT%04d' $((10#${probe:2} + 1)))
printf 'Name,Type,Company No,Email\nGlobex,company,,\nHank Scorpio,person,%s,hank@globex.example\nMindy Simmons,person,%s,mindy@globex.example\nHank Again,person,%s,HANK@globex.example\n' \
  "$company" "$company" "$company" >"$WORK/globex.csv"
eq "$(c import contacts "$WORK/globex.csv" --batch-rows 1 --json | jq -c '[.created, .skipped, .failed, .batches]')" '[3,1,0,4]' \
   "a company of an earlier batch, and an email of an earlier batch, as in one batch"
eq "$(c contact list --filter "company=$company" --json | jq -c '[.[].name]')" '["Hank Scorpio","Mindy Simmons"]' \
   "the persons belong to the company made before them"

eq "$(c ledger verify --json | jq -r .ok)" true "the ledger verifies"
eq "$(c projections rebuild --check --json | jq .identical)" true "projections equal a rebuild"
finish
