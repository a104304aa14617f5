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
#   - converted leads leave `lead list` (`--converted` shows them, `converted` filters).
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
c campaign create --name Spring >/dev/null
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

finish
