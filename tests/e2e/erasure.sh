#!/usr/bin/env bash
# Erasure by crypto-shredding (SPEC §4.10): personal fields of contacts and leads are sealed in
# the ledger with a key per person; `contact erase` / `lead erase` destroy the key and record
# PersonalDataErased (custom field values included). Afterwards the ledger still verifies; every
# read model, `ledger tail`, export and history show the fields as "(erased)"; counts and statistics stand; and after
# `crmctl compact` none of the erased values is found anywhere in the data directory (WAL, table
# files, MANIFEST, snapshots, access log), while another person's values still are. Run by
# kafka.sh too (both ledger modes; there also a replica built after the erasure).
CRMCTL=$1
source "$(dirname "$0")/lib.sh"
export CRM_SNAPSHOT_INTERVAL=3  # as-of snapshots hold the person's rows in the clear until erased
export CRM_USER=boss

# Every value the erasure must make unreadable, and one that must stay.
SECRETS=(Quintessa zelda.quintessa@example.org zq.second@example.org '+33 1 99 88 77 66' 'Rue Xylophone'
         ZQ-4711 Quintopolis 'phoned about Quintessa' Plumtree yorick@plumtree.example 'met Yorick' Xylonaut)
KEPT='Walter Keepme'
# disk_text DIR: every byte under DIR as text: files as they are, and table files (whose blocks
# are LZ4-compressed) also as every entry they hold, overwritten and deleted ones included
# (sst_dump from Debian's rocksdb-tools). Entries are dumped in hex and turned back into bytes:
# binary rows hold NUL bytes, where sst_dump's plain output of a value stops.
disk_text() {
  local f
  find "$1" -type f -print0 | while IFS= read -r -d '' f; do
    cat "$f"
    case $f in
      *.sst) sst_dump --file="$f" --command=scan --output_hex 2>/dev/null |
               perl -ne "print pack('H*', \$1), pack('H*', \$2), qq(\n) if /^'([0-9A-F]*)' .* => ([0-9A-F]*)\$/" ;;
    esac
  done
}
# found_in DIR: how many of the secrets occur anywhere under DIR.
found_in() {
  local text s n=0
  text=$(mktemp /tmp/crm-erasure-text-XXXXXX)
  disk_text "$1" >"$text"
  for s in "${SECRETS[@]}"; do
    grep -a -q -i -F -- "$s" "$text" && n=$((n + 1))
  done
  rm -f "$text"
  echo "$n"
}

c init >/dev/null
c user add boss --role admin >/dev/null
c user add alice --role staff >/dev/null
c user add audrey --role auditor >/dev/null
c member-status add Invited >/dev/null
c member-status add Attended --responded >/dev/null
eq "$(c contact create --name 'Zelda Quintessa' --email zelda.quintessa@example.org --phone '+33 1 99 88 77 66' \
      --address '17 Rue Xylophone' --post-code ZQ-4711 --city Quintopolis --country FR)" CT0001 "the person to erase"
eq "$(c contact create --name "$KEPT" --email walter@example.com --country FR)" CT0002 "a person who stays"
c --command-id create-lead lead create --name 'Yorick Plumtree' --email yorick@plumtree.example \
  --description 'met Yorick at the fair' >/dev/null
c contact set CT0001 --email zq.second@example.org >/dev/null   # the old address must go too
c field add contact Nickname >/dev/null
c contact set CT0001 --field Nickname=Xylonaut >/dev/null       # custom values are personal data too
c contact opt-out CT0001 --reason 'phoned about Quintessa' >/dev/null
# A command that changes nothing personal still names values on its command line (kept with its
# answer for retries): sealed with the person's key as well.
c contact set CT0001 --country FR --phone '+33 1 99 88 77 66' >/dev/null
c campaign create --name 'Spring fair' >/dev/null
c member add CP0001 CT0001 CT0002 --status Invited >/dev/null
c member set-status CP0001 CT0001 Attended >/dev/null
CRM_USER=audrey expect_exit 2 contact set CT0001 --name 'Zelda Quintessa the Second'  # refused: logged
# Letters to both (written to DATA/outbox/, with the name and address).
c interaction-template add LTR --description 'Letter' --correspondence letter >/dev/null
c mail set --smtp smtp://127.0.0.1:9 --from news@crm.example >/dev/null  # letters only: never dialled
c segment create --description 'Letters' >/dev/null
c segment add-line SM0001 CT0001 CT0002 --ignore-exclusion >/dev/null
c segment set SM0001 --template LTR --subject 'Spring fair' >/dev/null
c segment log SM0001 --send --include-opted-out >/dev/null
eq "$(grep -c 'Rue Xylophone' "$CRM_DATA/outbox/LS0001/IE0001-CT0001.txt")" 1 "the letter carries the address"
c ledger tail --jsonl >/dev/null

# Before: the values are in the clear in the read models (so the grep below can find them).
eq "$(c contact show CT0001 --json | jq -r .name)" 'Zelda Quintessa' "shown before the erasure"
eq "$(c ledger tail --jsonl | grep -c -F 'Quintopolis')" 1 "tail shows the sealed field opened"
eq "$(found_in "$CRM_DATA")" "${#SECRETS[@]}" "every value is on disk before (the search does see the files)"
eq "$(grep -c -F 'Quintessa' "$CRM_DATA/access.log")" 0 "the access log keeps no values given"
eq "$(c ledger tail --jsonl --stream contact/CT0001 | jq -r 'select(.payload_type == "ContactCreated")
      | .payload.sealed.fields | join(",")')" name,email,phone,address,post_code,city "the sealed fields are named"
COUNTS=$(c roster CP0001 --count --json | jq -c 'del(.projection)')
STATS=$(c campaign stats CP0001 --json | jq -c 'del(.projection)')
BEFORE=$(head_seq)

# Erasure: staff may not; an admin may; again is a no-op.
CRM_USER=alice expect_exit 2 contact erase CT0001
eq "$(head_seq)" "$BEFORE" "a refused erasure writes nothing"
eq "$(c contact erase CT0001 --json | jq -c '[.no, .erased, .changed, .letters_removed]')" '["CT0001",true,true,1]' \
   "contact erase (its letter removed from the outbox)"
eq "$(ls "$CRM_DATA/outbox/LS0001")" IE0002-CT0002.txt "the other person's letter stays"
eq "$(c contact erase CT0001 --json | jq -c '[.changed]')" '[false]' "erasing again changes nothing"
eq "$(c lead erase LD0001 --json | jq -r .no)" LD0001 "lead erase"
expect_exit 1 contact erase LD0001   # not a contact number
expect_exit 2 contact erase CT0099   # no such contact

# Afterwards: the ledger verifies; everything shows "(erased)"; counts and statistics stand.
eq "$(c ledger verify --json | jq .ok)" true "the ledger verifies after the erasure"
eq "$(c contact show CT0001 --json | jq -c '[.name, .email, .phone, .address, .post_code, .city, .consent_reason, .country, .erased, .opted_out]')" \
   '["(erased)","(erased)","(erased)","(erased)","(erased)","(erased)","(erased)","FR",true,true]' "contact show"
eq "$(c contact show CT0001 --json | jq -r .custom.Nickname)" '(erased)' "a custom value reads (erased) too"
eq "$(c lead show LD0001 --json | jq -c '[.name, .email, .description, .erased]')" \
   '["(erased)","(erased)","(erased)",true]' "lead show"
eq "$(c contact show CT0002 --json | jq -r .name)" "$KEPT" "another person is untouched"
eq "$(c roster CP0001 --count --json | jq -c 'del(.projection)')" "$COUNTS" "counts stand"
eq "$(c campaign stats CP0001 --json | jq -c 'del(.projection)')" "$STATS" "statistics stand"
eq "$(c roster CP0001 --json | jq -r 'map(.contact) | join(",")')" CT0001,CT0002 "the roster keeps the member"
OUT=$(mktemp -d /tmp/crm-erasure-out-XXXXXX)
on_exit "rm -rf '$OUT'"
c ledger tail --jsonl >"$OUT/tail.jsonl"
c ledger export --format jsonl --output "$OUT/export.jsonl" >/dev/null
c ledger export --format csv --output "$OUT/export.csv" >/dev/null
c history CT0001 --json >"$OUT/history.json"
c history LD0001 --json >"$OUT/lead-history.json"
c --at "$BEFORE" contact show CT0001 --json >"$OUT/as-of.json"
c contact list --json >"$OUT/list.json"
eq "$(found_in "$OUT")" 0 "no erased value in tail, export, history, as-of or list output"
eq "$(jq -r 'select(.payload_type == "ContactCreated" and .payload.no == "CT0001") | .payload.city' "$OUT/tail.jsonl")" \
   '(erased)' "ledger tail shows the field as erased"
eq "$(jq -r '.[] | select(.event == "ContactChanged" and .payload.email != null) | .payload.email' "$OUT/history.json")" \
   '(erased)' "history shows the change, its value erased"
eq "$(jq -r '.[] | select(.event == "ContactChanged" and .payload.custom != null) | .payload.custom[0].value' \
      "$OUT/history.json")" '(erased)' "and a custom value's change likewise"
eq "$(jq -r '.name' "$OUT/as-of.json")" '(erased)' "--at before the erasure: erased too"
eq "$(jq '.as_of.snapshot > 0' "$OUT/as-of.json")" true "it started from a snapshot taken before the erasure"
as_of_views() {
  local v
  for v in "contact show CT0001" "contact show CT0002" "lead show LD0001" "contact list" "roster CP0001"; do
    # shellcheck disable=SC2086
    c --at "$BEFORE" $v --json | jq -c 'if type == "object" then del(.as_of, .projection) else . end'
  done
}
from_snapshot=$(as_of_views)
mv "$CRM_DATA/snapshots" "$OUT/snapshots.hidden"
eq "$(as_of_views)" "$from_snapshot" "--at from a snapshot older than the erasure equals a replay from record 1"
mv "$OUT/snapshots.hidden" "$CRM_DATA/snapshots"
eq "$(printf '%s' "$from_snapshot" | grep -c -F 'Quintessa')" 0 "and shows none of the erased values"
eq "$(grep -c -F 'Walter Keepme' "$OUT/export.jsonl")" 1 "the export keeps the other person"
eq "$(c --command-id create-lead lead create --name 'Yorick Plumtree' --json | jq -c '[.erased, .no]')" \
   '[true,"LD0001"]' "a retried create answers that its answer was erased"
expect_exit 2 contact set CT0001 --name 'New Name'
expect_exit 2 contact opt-in CT0001
eq "$(c projections rebuild --check --json | jq .identical)" true "projections equal a rebuild"

# compact: the erased values are found nowhere in the data directory; the other person still is.
c compact >/dev/null
eq "$(found_in "$CRM_DATA")" 0 "after compact no erased value is in the data directory"
eq "$(disk_text "$CRM_DATA" | grep -a -c -F "$KEPT" | sed 's/^[1-9][0-9]*$/found/')" found \
   "the other person's name is still on disk (the search does see the files)"
eq "$(c ledger verify --json | jq .ok)" true "the ledger verifies after compact"
eq "$(c contact show CT0002 --json | jq -r .email)" walter@example.com "the other person reads after compact"
eq "$(c projections rebuild --check --json | jq .identical)" true "projections equal a rebuild after compact"

# Kafka mode: a replica built from the log after the erasure never holds the values; the key
# topic no longer hands out the erased keys.
if [ -n "${CRM_BROKERS:-}" ]; then
  c --data "$OUT/replica" project >/dev/null
  eq "$(c --data "$OUT/replica" contact show CT0001 --json | jq -r .name)" '(erased)' "a new replica shows it erased"
  eq "$(c --data "$OUT/replica" contact show CT0002 --json | jq -r .name)" "$KEPT" "and the other person"
  eq "$(found_in "$OUT/replica")" 0 "a new replica holds no erased value"
  eq "$(c --data "$OUT/replica" projections rebuild --check --json | jq .identical)" true "the new replica equals a rebuild"
fi

finish
