#!/usr/bin/env bash
# Custom fields (issue 18, SPEC §4.11; Zoho's custom fields, BC's user-defined fields), in either
# ledger mode (kafka.sh runs it against the mock cluster too):
#   - `field add contact|lead|campaign NAME --type text|number|date|bool|picklist [--values A,B]`,
#     `field list`; refused: a record's own field name, a name filters cannot say, a picklist
#     without values, another type under a name contacts and leads share;
#   - `--field NAME=VALUE` on create and set (checked by type, kept canonical; NAME= clears);
#     `show` lists them, `--json` has them under `custom`;
#   - every filter reads them by name (lists, segment steps, exports; a picklist value it lacks is
#     refused), `--sort` orders by them;
#   - imports fill them from columns named like them, numbers with decimal commas by `--decimal ,`,
#     a bad value fails its row alone; exports write them as columns, and what is exported imports
#     into an empty data directory as the same records;
#   - mail merge fills {{NAME}} in letters; lead conversion carries values to the contact's field of
#     the same name; projections equal a rebuild.
CRMCTL=$1
source "$(dirname "$0")/lib.sh"

c init >/dev/null
work=$(mktemp -d /tmp/crm-fields-XXXXXX)
on_exit 'rm -rf "$work"'

eq "$(c field add contact Birthday --type date)" "added contact field Birthday" "field add"
c field add contact Shoe_size --type number >/dev/null
c field add contacts Vip --type bool >/dev/null
c field add contact Tier --type picklist --values Gold,Silver,Bronze >/dev/null
c field add lead Budget --type number >/dev/null
c field add lead Nickname >/dev/null
c field add contact Nickname >/dev/null
c field add campaign Region --type picklist --values North,South >/dev/null
eq "$(c field add contact birthday --type date)" "no change" "the same definition again: no change"
eq "$(c field list contact --json | jq -c '[.[] | [.name, .type, (.values | join("/"))]]')" \
  '[["Birthday","date",""],["Shoe_size","number",""],["Vip","bool",""],["Tier","picklist","Gold/Silver/Bronze"],["Nickname","text",""]]' \
  "field list contact, in the order defined"
eq "$(c field list --json | jq length)" 8 "field list: every kind"
before=$(head_seq)
expect_exit 2 field add contact City                       # the contact's own field
expect_exit 1 field add contact 'Shoe size'               # a filter could not name it
expect_exit 1 field add contact Colour --type colour
expect_exit 1 field add contact Colour --type picklist     # no values
expect_exit 1 field add task Colour
expect_exit 2 field add contact Birthday --type text       # another definition under its name
expect_exit 2 field add lead Vip --type text               # contacts have Vip as a bool
eq "$(c field add lead Vip --type text 2>&1 >/dev/null)" \
  "error: contact field Vip is a bool: a lead field of that name must be the same (lists filter both alike)" \
  "a name contacts and leads share has one type"
eq "$(head_seq)" "$before" "refused definitions wrote nothing"

# Values on create and set: checked by type, kept in canonical form.
kari=$(c contact create --name 'Kari Nordmann' --city Oslo --field Birthday=1990-02-28 --field shoe_size=+041.50 \
         --field tier=gold --field Vip=true)
ola=$(c contact create --name 'Ola Nordmann' --city Bergen --field Shoe_size=44 --field Tier=Silver)
per=$(c contact create --name 'Per Hansen' --city Oslo --field Shoe_size=39)
eq "$(c contact show "$kari" --json | jq -c .custom)" '{"Birthday":"1990-02-28","Shoe_size":"41.5","Tier":"Gold","Vip":"yes"}' \
  "values kept canonical, under their names as defined"
eq "$(c contact show "$kari" | grep -E '^(Tier|Shoe_size)' | sed 's/:  */: /')" "$(printf 'Shoe_size: 41.5\nTier: Gold')" \
  "show lists them after the record's own fields"
before=$(head_seq)
expect_exit 1 contact set "$ola" --field Shoe_size=big
eq "$(c contact set "$ola" --field Tier=Platinum 2>&1 >/dev/null)" \
  "error: Tier: 'Platinum' is not one of its values (Gold, Silver, Bronze)" "a picklist takes its values"
expect_exit 1 contact set "$ola" --field Birthday=1990-02-30
expect_exit 2 contact set "$ola" --field Budget=10           # a lead's field
expect_exit 1 contact set "$ola" --field 'no equals sign'
expect_exit 1 contact create --name X --field Tier=Gold --field tier=Silver
eq "$(head_seq)" "$before" "refused values wrote nothing"
c contact set "$ola" --field Tier= --field Vip=no >/dev/null
eq "$(c contact show "$ola" --json | jq -c .custom)" '{"Shoe_size":"44","Vip":"no"}' "NAME= clears a value"
eq "$(c contact set "$ola" --field vip=0 --json | jq .changed)" false "the same value again changes nothing"
eq "$(c ledger tail -n 3 --jsonl | jq -r 'select(.payload_type == "ContactChanged") | .payload.custom | map(.name + "=" + .value + (if .cleared then "(cleared)" else "" end)) | join(",")' | tail -n 1)" \
  "Vip=no,Tier=(cleared)" "the change event carries only what changed, a cleared value named"

# Filters, sort, segments.
names() { jq -r '[.[] | .name] | join(",")'; }
eq "$(c contact list --filter 'shoe_size=>40' --json | names)" "Kari Nordmann,Ola Nordmann" "a number filter"
eq "$(c contact list --filter 'Birthday=1990-01-01..1990-12-31' --json | names)" "Kari Nordmann" "a date range"
eq "$(c contact list --filter 'tier=gold|silver' --json | names)" "Kari Nordmann" "a picklist, case aside"
eq "$(c contact list --filter "tier=''" --json | names)" "Ola Nordmann,Per Hansen" "an empty value"
eq "$(c contact list --filter vip=yes --json | names)" "Kari Nordmann" "a bool"
eq "$(c contact list --sort -shoe_size --json | names)" "Ola Nordmann,Kari Nordmann,Per Hansen" "sorted by a custom number"
eq "$(c contact list --filter 'Tier=Platinum' 2>&1 >/dev/null)" \
  "error: filter Tier: 'Platinum' is not one of its values (Gold, Silver, Bronze)" "a picklist value it lacks"
expect_exit 1 contact list --filter 'shoe_size=big'
expect_exit 1 contact list --filter 'shoesize=40'
seg=$(c segment create --description 'Big feet')
eq "$(c segment add-contacts "$seg" --filter 'shoe_size=>=41' --json | jq .added)" 2 "a segment step filters on one"
c view save 'Gold' --on contacts --filter tier=Gold >/dev/null
eq "$(c contact list --view Gold --json | names)" "Kari Nordmann" "a saved view filters on one"

# Campaigns and leads.
cp=$(c campaign create --name 'Spring fair' --field region=north)
c campaign create --name 'Autumn mailing' --field Region=South >/dev/null
eq "$(c campaign list --filter region=North --json | names)" "Spring fair" "campaign list filters on a custom field"
eq "$(c campaign show "$cp" --json | jq -c .custom)" '{"Region":"North"}' "campaign show"
expect_exit 1 campaign set "$cp" --field Region=West
lead=$(c lead create --name 'Liv Lead' --company-name Nordlys --field Budget=1500 --field Nickname=Livvy)
eq "$(c lead list --filter 'budget=1000..2000' --json | names)" "Liv Lead" "lead list filters on a custom field"
person=$(c lead convert "$lead" --json | jq -r .contact)
eq "$(c contact show "$person" --json | jq -c .custom)" '{"Nickname":"Livvy"}' \
  "conversion carries values to the contact's field of the same name (contacts have no Budget)"

# Imports: columns named like the fields; decimal commas; a bad value fails its row alone.
printf 'Navn;By;Shoe size;Tier;Birthday\r\nÅse Berg;Tromsø;38,5;Bronze;1985-07-01\r\nJens Juhl;Aarhus;1.045,25;Gold;\r\nBad Row;Oslo;40;Purple;\r\n' |
  iconv -f UTF-8 -t WINDOWS-1252 > "$work/kunder.csv"
out=$(c import contacts "$work/kunder.csv" --map Navn=name --map By=city --decimal , --json)
eq "$(jq -r '[.created, .failed, (.ignored_columns | length)] | @tsv' <<<"$out")" $'2\t1\t0' \
  "columns named like custom fields import into them"
eq "$(jq -r '.rows_listed[0].reason' <<<"$out")" "Tier: 'Purple' is not one of its values (Gold, Silver, Bronze)" \
  "a bad value fails its row, saying why"
eq "$(c contact list --filter 'city=Tromsø|Aarhus' --json | jq -c '[.[] | .custom]')" \
  '[{"Birthday":"1985-07-01","Shoe_size":"38.5","Tier":"Bronze"},{"Shoe_size":"1045.25","Tier":"Gold"}]' \
  "decimal commas read as numbers"
expect_exit 1 import contacts "$work/kunder.csv" --map Navn=name --decimal ';'
eq "$(c import contacts "$work/kunder.csv" --map Navn=name --map By=city --dry-run --json | jq -r .rows_listed[0].reason)" \
  "Shoe_size: '38,5' is not a number (at most 12 integer and 6 fraction digits, '.' before the fraction)" \
  "without --decimal , a comma is not a decimal mark"

# Exports: custom fields are columns; what is exported imports into an empty data set the same.
c export contacts --output "$work/contacts.csv" >/dev/null
eq "$(head -n 1 "$work/contacts.csv" | tr -d '\r' | tr ',' '\n' | tail -n 5 | paste -sd,)" \
  "Birthday,Shoe_size,Vip,Tier,Nickname" "the export's last columns are the custom fields"
c export contacts --format jsonl --output "$work/contacts.jsonl" >/dev/null
eq "$(jq -c 'select(.name == "Kari Nordmann") | .custom' "$work/contacts.jsonl")" \
  '{"Birthday":"1990-02-28","Shoe_size":"41.5","Tier":"Gold","Vip":"yes"}' "JSON Lines keeps the custom object"
(
  export CRM_DATA=$work/fresh
  unset CRM_BROKERS CRM_TOPIC  # an embedded ledger of its own (in Kafka mode the topic is the other's)
  c init >/dev/null
  c field add contact Birthday --type date >/dev/null
  c field add contact Shoe_size --type number >/dev/null
  c field add contact Vip --type bool >/dev/null
  c field add contact Tier --type picklist --values Gold,Silver,Bronze >/dev/null
  c field add contact Nickname >/dev/null
  c import contacts "$work/contacts.csv" --map no= --map company= --json >"$work/reimport.json"
  c contact list --json | jq -c 'sort_by(.name) | [.[] | [.name, .custom]]' >"$work/fresh.txt"
)
eq "$(jq -r '[.created, .failed] | @tsv' "$work/reimport.json")" $'7\t0' "the export imports whole"
eq "$(cat "$work/fresh.txt")" "$(c contact list --json | jq -c 'sort_by(.name) | [.[] | [.name, .custom]]')" \
  "with the same custom values"

# Mail merge: {{NAME}} in a letter.
c interaction-template add LTR --description 'Letter' --correspondence letter >/dev/null
c mail set --smtp smtp://127.0.0.1:9 --from news@crm.example >/dev/null  # letters only: never dialled
printf 'Dear {{name}},\nyour tier: {{Tier}}{{#Vip}} (VIP: {{Vip}}){{/Vip}}.\nRegion: {{campaign_Region}}\n' >"$work/letter.txt"
letters=$(c segment create --description 'Letters')
c segment add-line "$letters" "$kari" "$per" >/dev/null
c segment set "$letters" --template LTR --subject 'Tiers' --attachment "$work/letter.txt" --campaign "$cp" >/dev/null
ls_no=$(c segment log "$letters" --send --json | jq -r .logged_segment)
eq "$(grep -A1 '^Dear' "$CRM_DATA/outbox/$ls_no/"*"-$kari.txt")" "$(printf 'Dear Kari Nordmann,\nyour tier: Gold (VIP: yes).')" \
  "a letter merges the contact's custom fields"
eq "$(grep '^your tier' "$CRM_DATA/outbox/$ls_no/"*"-$per.txt")" "your tier: ." "an unset one merges as nothing"
eq "$(grep '^Region' "$CRM_DATA/outbox/$ls_no/"*"-$kari.txt")" "Region: North" "the campaign's as campaign_NAME"

eq "$(c projections rebuild --check --json | jq .identical)" true "projections equal a rebuild"
finish
