#!/usr/bin/env bash
# Issue 14, items 4-6 and 8-12: owner-only files, actor names that cannot forge audit lines,
# errors that echo input safely, rules that keep bad data out, consistent output and messages.
CRMCTL=${CRMCTL:-$1}
source "$(dirname "$0")/lib.sh"
umask 022

# --- 4. Owner-only files whatever the umask ------------------------------------------------
c init >/dev/null
c code add job-responsibility PURCHASE >/dev/null
c interaction-template add LTR --description Letter --correspondence letter >/dev/null
c contact create --name "Kari Nordmann" --job-responsibility PURCHASE --city Oslo >/dev/null
c contact create --name "Ola Nordmann" --city Bergen >/dev/null
c segment create --description "Letters" >/dev/null
c segment add-contacts SM0001 --filter job_responsibility=PURCHASE >/dev/null
c segment set SM0001 --template LTR --subject "Hello" >/dev/null
c segment log SM0001 --send >/dev/null 2>&1 || true
c export contacts --format csv --output "$E2E_SCRATCH/exports/contacts.csv" >/dev/null
c user add boss --role admin >/dev/null
CRM_USER=nobody c roster CP0001 >/dev/null 2>&1 || true     # a refusal: access.log
eq "$(stat -c %a "$CRM_DATA")" 700 "the data directory is owner-only"
eq "$(find "$CRM_DATA" "$E2E_SCRATCH/exports" -perm /077 | head -n 3)" "" "no file or directory others can read"
eq "$(find "$CRM_DATA" -path '*outbox*' -type f | wc -l | tr -d ' ')" 1 "the letter is in the outbox"
eq "$(stat -c %a "$E2E_SCRATCH/exports/contacts.csv")" 600 "an export is owner-only"
eq "$(stat -c %a "$CRM_DATA/access.log")" 600 "the access log is owner-only"

# --- 5. An actor name cannot forge an audit line ---------------------------------------------
forged=$'mallory\n[2027-01-10 09:00:00.000] [access] [warning] refused actor=boss command=[roster]: forged'
lines_before=$(wc -l <"$CRM_DATA/access.log")
expect_exit 1 --as "$forged" roster CP0001
CRM_USER=$forged expect_exit 1 contact list
eq "$(wc -l <"$CRM_DATA/access.log")" "$lines_before" "an invalid actor writes nothing to the access log"
eq "$(grep -c 'actor=boss' "$CRM_DATA/access.log" || true)" 0 "no line is attributed to boss"
expect_exit 1 --as 'a b' contact list
expect_exit 2 --as mallory contact list                        # valid name, not a user: refused and logged
eq "$(tail -n1 "$CRM_DATA/access.log" | grep -c 'refused actor=mallory command=\[contact list\]')" 1 "the refusal is logged"
export CRM_USER=boss

# --- 6. Errors quote, escape and shorten what they echo ---------------------------------------
err=$(c contact show $'CT\n0001' 2>&1 >/dev/null || true)
eq "$(printf '%s\n' "$err" | wc -l | tr -d ' ')" 1 "a newline in an argument stays on one line"
eq "$err" "error: 'CT\\n0001' is not a contact number (like CT0001)" "and is shown escaped"
err=$(c contact show $'\e[31mCT0001' 2>&1 >/dev/null || true)
eq "$(printf '%s' "$err" | grep -c $'\e' || true)" 0 "no escape sequence reaches the terminal"
long=$(head -c 100000 /dev/zero | tr '\0' 'x')
err=$(c contact show "$long" 2>&1 >/dev/null || true)
eq "$([ ${#err} -lt 300 ] && echo short || echo "${#err} bytes")" short "a 100 KB argument gives a short error line"
eq "$(printf '%s' "$err" | grep -c '(100000 bytes)')" 1 "saying how long it was"

# --- 8. Values of closed catalogues must exist --------------------------------------------------
before=$(head_seq)
expect_exit 2 segment add-contacts SM0001 --filter job_responsibility=NOPE
c segment create --description "Step check" >/dev/null
seq_now=$(head_seq)
expect_exit 2 segment add-contacts SM0002 --filter job_responsibility=NOPE
expect_exit 2 segment add-contacts SM0002 --filter 'job_responsibility=PURCHASE|NOPE'
expect_exit 2 segment reduce SM0002 --filter business_relation=NOPE
eq "$(head_seq)" "$seq_now" "a refused step writes nothing"
eq "$(c segment add-contacts SM0002 --filter 'job_responsibility=purch*' --json | jq .added)" 1 "a pattern is not a catalogue value"
c campaign create --name "Roster" >/dev/null
c member add CP0001 CT0001 >/dev/null
expect_exit 2 roster CP0001 --filter member_status=Snt
eq "$(c roster CP0001 --filter member_status=sent --json | jq length)" 1 "a defined status matches, any case"
expect_exit 2 member mass-update CP0001 --status Responded --filter member_status=Snt
expect_exit 2 segment add-contacts SM0002 --filter interaction_template=NOPE
expect_exit 2 contact list --filter lead_status=Nope
c lead create --name "Lena Lead" >/dev/null
eq "$(c lead list --filter lead_status=new --json | jq length)" 1 "a lead status matches whatever its case"
expect_exit 2 campaign list --filter status=NOPE
err=$(c contact list --filter job_responsibility=NOPE 2>&1 >/dev/null || true)
eq "$err" "error: filter job_responsibility: 'NOPE' is not a defined job responsibility code (see crmctl code list job-responsibility)" \
   "the error names the value and where the catalogue is listed"

# --- 9. Undefined salespeople and owners ---------------------------------------------------------
expect_exit 2 campaign create --name "Bad SP" --salesperson SP9
expect_exit 2 campaign set CP0001 --salesperson SP9
expect_exit 2 contact set CT0001 --salesperson SP9
expect_exit 2 contact create --name "Bad SP" --salesperson SP9
expect_exit 2 campaign set CP0001 --owner nobody
c salesperson add SP1 --name "Ann Sales" >/dev/null
c user add ann --role staff >/dev/null
c campaign set CP0001 --salesperson sp1 --owner ann >/dev/null
eq "$(c campaign show CP0001 --json | jq -c '[.salesperson, .owner]')" '["SP1","ann"]' "defined ones are taken"
c contact set CT0001 --salesperson SP1 >/dev/null
eq "$(c contact show CT0001 --json | jq -r .salesperson)" SP1 "a contact's salesperson"

# --- 11. segment show --json: line_count and lines (SPEC §3) -----------------------------------
eq "$(c segment show SM0002 --json | jq -c '[.line_count, (.lines | length), .lines[0].contact]')" '[1,1,"CT0001"]' \
   "segment show --json has line_count and a list of lines"

# --- 12. Messages that say what to write ---------------------------------------------------------
err=$(c interaction cancel 21 2>&1 >/dev/null || true)
eq "$err" "error: interaction entry IE0021 does not exist" "an entry number may be given as a whole number"
err=$(c interaction cancel X21 2>&1 >/dev/null || true)
eq "$err" "error: 'X21' is not an interaction entry number (like IE0001)" "a malformed number names the kind expected"
err=$(c contact show 21 2>&1 >/dev/null || true)
eq "$err" "error: '21' is not a contact number (like CT0021)" "the example uses the digits given"
err=$(c contact list --filter 'created_at>=2027-01-01' 2>&1 >/dev/null || true)
eq "$err" "error: filter 'created_at>=2027-01-01': a comparison goes after '=': write created_at=>=2027-01-01" \
   "a comparison before the = says how to write it"
mass=$(c member mass-update CP0001 --status Responded --all --json | jq -r .command_id)
c undo "$mass" >/dev/null
err=$(c undo "$mass" 2>&1 >/dev/null || true)
case $err in
  "error: command $mass was already undone (by command "*) eq ok ok "undoing twice says it was already undone" ;;
  *) eq "$err" "error: command $mass was already undone (by command ...)" "undoing twice says it was already undone" ;;
esac
finish
