#!/usr/bin/env bash
# Everyday use (issue 18), the small things people expect, in either ledger mode (kafka.sh runs
# it against the mock cluster too):
#   - `crmctl --version` names the release and the formats its data directory holds;
#   - a mistyped command is named, with the nearest valid one (not "A subcommand is required");
#     a group given without its command lists them; an unknown option keeps CLI11's message;
#   - `ledger tail -n N`: the last N records, also of a filtered tail and up to --to; refused
#     beside --limit;
#   - `init` again with another currency is refused (exit 2), the same currency or none is not;
#     a currency that is not an ISO 4217 currency is refused;
#   - converted leads leave `lead list` (`--converted` shows them, `converted` filters);
#   - lead conversion links the existing company it finds (by name, else email domain);
#   - `show` lists a record's fields in their natural order;
#   - times shown in the user's zone (--tz, CRM_TZ), stored in UTC.
CRMCTL=$1
source "$(dirname "$0")/lib.sh"

# says WANT ARGS...: crmctl ARGS exits 1 and its stderr is exactly WANT.
says() {
  local want=$1 err rc=0
  shift
  err=$("$CRMCTL" "$@" 2>&1 >/dev/null) || rc=$?
  eq "$rc" 1 "exit code of: crmctl $*"
  eq "$err" "$want" "message of: crmctl $*"
}

# --version, on stdout, exit 0.
eq "$(c --version | grep -cE '^crmctl [0-9]+\.[0-9]+\.[0-9]+ \(ledger schema [0-9]+, projection format [0-9]+\)$')" 1 \
  "--version names the release and the formats"
eq "$(c --version | od -An -c | tr -d ' ' | tail -c 3)" '\n' "--version ends its line"

says "error: unknown command 'contct' (did you mean 'contact'?)" contct list
says "error: unknown command 'lst' for 'crmctl contact' (did you mean 'list'?)" contact lst
says "error: unknown command 'tial' for 'crmctl ledger' (did you mean 'tail'?)" --json --as someone ledger tial
says "error: unknown command 'Campaign' (did you mean 'campaign'?)" Campaign list
says "error: unknown command 'lsit' for 'crmctl contact' (did you mean 'list'?)" contact lsit
says "error: unknown command 'interaction-temp' (did you mean 'interaction-template'?)" interaction-temp list
says "error: unknown command 'ist' for 'crmctl code' (did you mean 'list'?)" code ist
says "error: 'crmctl ledger' needs a command: verify, digest, tail, export" ledger
err=$("$CRMCTL" frobnicate 2>&1 >/dev/null) || true
eq "${err%%(*}" "error: unknown command 'frobnicate' " "a word near no command"
eq "$(printf '%s' "$err" | grep -c 'contact, ')" 1 "a word near no command lists the commands"
err=$("$CRMCTL" contact list --bogus 2>&1 >/dev/null) || true
eq "$err" "error: The following argument was not expected: --bogus
(see crmctl --help)" "an unknown option keeps its message"

# init: once with NOK; again with NOK or without a currency is fine; with EUR it is refused and
# nothing is written.
c init --currency NOK >/dev/null
c init --currency nok >/dev/null
c init >/dev/null
before=$(head_seq)
expect_exit 2 init --currency EUR
err=$("$CRMCTL" init --currency EUR 2>&1 >/dev/null) || true
eq "$err" "error: the data set is initialised already, in NOK; its currency cannot change to EUR" "init with another currency"
eq "$(head_seq)" "$before" "a refused init writes nothing"
dir=$CRM_DATA
for bad in ABC XXX XTS EU EURO; do
  CRM_DATA=$dir.$bad expect_exit 2 init --currency "$bad"
  [ -n "${CRM_BROKERS:-}" ] || eq "$(ls "$dir.$bad" 2>/dev/null | wc -l)" 0 "a refused init leaves no data set ($bad)"
  rm -rf "$dir.$bad"
done
if [ -z "${CRM_BROKERS:-}" ]; then  # in Kafka mode another directory is a replica of the same ledger
  CRM_DATA=$dir.gbp c init --currency gbp >/dev/null
  rm -rf "$dir.gbp"
fi

# ledger tail -n.
for i in 1 2 3 4 5; do c contact create --name "Person $i" >/dev/null; done
# `show` in the record's natural order: what it is, then how to reach it, ..., then when made.
keys=$(c contact show CT0001 | cut -d: -f1)
eq "$(printf '%s\n' "$keys" | head -n 5 | paste -sd,)" "no,kind,type,name,company" "show: number, kind, name first"
eq "$(printf '%s\n' "$keys" | tail -n 2 | paste -sd,)" "created_at,modified_at" "show: when made and changed last"
c campaign create --name Spring >/dev/null
eq "$(c campaign show CP0001 | cut -d: -f1 | head -n 3 | paste -sd,)" "no,type,name" "campaign show: number, type, name first"
last=$(head_seq)
eq "$(c ledger tail -n 2 --jsonl | jq -r .seq | paste -sd,)" "$((last - 1)),$last" "tail -n 2: the last two records"
eq "$(c ledger tail -n 1000 --jsonl | wc -l)" "$last" "tail -n more than there are: all"
eq "$(c ledger tail -n 3 --type ContactCreated --jsonl | jq -r .payload.no | paste -sd,)" "CT0003,CT0004,CT0005" \
  "tail -n of a filtered tail: the last that pass"
eq "$(c ledger tail -n 2 --to 4 --jsonl | jq -r .seq | paste -sd,)" "3,4" "tail -n up to --to"
eq "$(c ledger tail --last 1 --stream campaign/CP0001 --jsonl | jq -r .payload_type)" "CampaignCreated" "--last with --stream"
eq "$(c ledger tail -n 2 | tail -n +2 | wc -l)" 2 "tail -n as a table: a header and two rows"
expect_exit 1 ledger tail -n 2 --limit 1
expect_exit 1 ledger tail -n many

# Times in the user's zone (--tz, CRM_TZ): the same instant with its offset, summer time too;
# JSON and tables alike; stored in UTC (projections equal a rebuild; the ledger unchanged).
eq "$(c contact show CT0001 --json | jq -r .created_at)" "2027-01-10T09:00:00Z" "UTC without a zone"
eq "$(c --tz Europe/Oslo contact show CT0001 --json | jq -r .created_at)" "2027-01-10T10:00:00+01:00" "--tz, JSON"
eq "$(CRM_TZ=America/New_York c contact show CT0001 | grep '^created_at:' | awk '{print $2}')" \
  "2027-01-10T04:00:00-05:00" "CRM_TZ, text"
eq "$(CRM_NOW=2027-07-01T12:00:00.25Z c --json contact create --name Summer | jq -r .no)" CT0006 "a summer contact"
eq "$(c --tz Europe/Oslo contact show CT0006 --json | jq -r .created_at)" "2027-07-01T14:00:00.250000+02:00" \
  "summer time, the fraction kept"
eq "$(c --tz Europe/Oslo ledger tail -n 1 --jsonl | jq -r .recorded_at)" "2027-07-01T14:00:00.250000+02:00" \
  "ledger tail in the zone"
eq "$(c --tz UTC contact show CT0001 --json | jq -r .created_at)" "2027-01-10T09:00:00+00:00" "UTC as a zone"
expect_exit 1 --tz Europe/Olso contact show CT0001
expect_exit 1 --tz ../../etc/passwd contact show CT0001
c --tz Asia/Tokyo projections rebuild --check >/dev/null

# Converted leads leave `lead list` unless asked for; `converted` is a field of filters.
c lead create --name 'Ola Lead' --company-name 'Nordic AS' >/dev/null  # LD0001
c lead create --name 'Kari Lead' >/dev/null                           # LD0002
c lead convert LD0001 --new-account >/dev/null
nos() { jq -r '[.[].no] | join(",")'; }
eq "$(c lead list --json | nos)" "LD0002" "lead list leaves converted leads out"
eq "$(c lead list --converted --json | nos)" "LD0001,LD0002" "lead list --converted shows them too"
eq "$(c lead list --filter converted=yes --json | nos)" "LD0001" "a filter on converted=yes"
eq "$(c lead list --filter converted=no --json | nos)" "LD0002" "a filter on converted=no"
eq "$(c lead list | tail -n +2 | awk '{print $1}' | paste -sd,)" "LD0002" "the table leaves them out too"
expect_exit 1 contact list --converted

# Lead conversion finds the company: by name (case and spaces aside), else by the email's domain
# (not a public mail provider's); --new-account still makes a new one; two that match is refused.
lead() { c --json lead create "$@" | jq -r .no; }
found() { c --json lead convert "$@" | jq -r '[.company, .new_company, .company_found_by] | map(tostring) | join(" ")'; }
fab=$(c --json contact create --name 'Fabrikam Ltd' --type company --email info@fabrikam.example | jq -r .no)
eq "$(found "$(lead --name 'Per Lead' --company-name ' fabrikam LTD ')")" "$fab false name" "a company found by name"
eq "$(found "$(lead --name 'Eva Lead' --email eva@fabrikam.example)")" "$fab false email domain" \
  "a company found by the email's domain"
per=$(lead --name 'Ola Nordmann' --company-name 'Fabrikam Ltd')
eq "$(c lead convert "$per" --new-account | grep -c 'found by')" 0 "--new-account makes a new company"
solo=$(lead --name 'Ida Lead' --company-name 'Solo AS' --email ida@gmail.com)
eq "$(found "$solo" | cut -d' ' -f2-)" "true " "a public mail domain finds no company: a new one"
two=$(lead --name 'Jon Lead' --company-name 'FABRIKAM LTD')
expect_exit 2 lead convert "$two"
eq "$("$CRMCTL" lead convert "$two" 2>&1 | grep -c "matches several company contacts by name ($fab, ")" 1 \
  "two companies of that name: refused, naming them"
eq "$(c lead convert "$two" --account "$fab" | grep -c 'found by')" 0 "--account chooses"
eq "$(c lead convert "$(lead --name 'Kim Lead' --email kim@fabrikam.example)" | grep -c "company $fab (an existing company, found by email domain")" 1 \
  "the text says which company was found and how"
# The company index follows a rename and an erasure; the projections equal a rebuild.
c contact set "$fab" --name 'Fabrikam Group' >/dev/null
eq "$(found "$(lead --name 'Liv Lead' --company-name 'fabrikam group')")" "$fab false name" "found by its new name"
eq "$(found "$(lead --name 'Mia Lead' --company-name 'Fabrikam Ltd')" | cut -d' ' -f2-)" "false name" \
  "the old name finds only the other company now"
c contact erase "$fab" >/dev/null
eq "$(found "$(lead --name 'Tor Lead' --email tor@fabrikam.example)" | cut -d' ' -f2-)" "false " \
  "an erased company is not found"
c projections rebuild --check >/dev/null

# Last (users from here on): the access log keeps UTC whatever zone times are shown in.
c user add "$CRM_USER" --role admin >/dev/null
CRM_USER=nobody c --tz Asia/Tokyo contact list >/dev/null 2>&1 || true  # a refusal: the access log
eq "$(tail -n 1 "$CRM_DATA/access.log" | grep -cE '^\[[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z\] \[warning\] refused actor=nobody')" 1 \
  "the access log keeps UTC whatever --tz says"

finish
