#!/usr/bin/env bash
# Finding records in lists (issue 18, SPEC §4.11), in either ledger mode (kafka.sh runs it
# against the mock cluster too):
#   - --search: case and accents aside (`åse` finds "ÅSE", `nord` finds "Nordmann", `muller`
#     finds "Müller"), over names, email and company, on every list;
#   - --sort FIELD[,-FIELD]: ascending, descending, two keys, numbers as numbers;
#   - --limit N --after CURSOR: pages that stay stable while a writer adds rows before and after
#     the cursor (nothing repeated, nothing skipped of what was there);
#   - --total: {"total", "items", "next"} with --json, "N of TOTAL" and the next cursor in text;
#   - an unknown sort field, a malformed --sort and a cursor of another sort are usage errors.
CRMCTL=$1
source "$(dirname "$0")/lib.sh"

c init >/dev/null
for n in 'ÅSE Berg|ase@example.no|Oslo' 'Ola Nordmann|ola@nord.example|Bergen' 'Jürgen Müller|jm@example.de|Köln' \
         'Kari Nordmann|kari@example.no|Oslo' 'Per Hansen|per@example.no|Tromsø' 'Åsmund Lie|asmund@example.no|Bodø'; do
  IFS='|' read -r name email city <<<"$n"
  c contact create --name "$name" --email "$email" --city "$city" >/dev/null
done
names() { jq -r '[.[] | .name] | join(",")'; }

# --search
eq "$(c contact list --search åse --json | names)" "ÅSE Berg" "åse finds ÅSE (case and accents aside)"
eq "$(c contact list --search nord --json | names)" "Ola Nordmann,Kari Nordmann" "nord finds Nordmann (and nord.example)"
eq "$(c contact list --search MULLER --json | names)" "Jürgen Müller" "MULLER finds Müller"
eq "$(c contact list --search example.de --json | names)" "Jürgen Müller" "the email is searched"
eq "$(c contact list --search 'zz top' --json)" "[]" "no match: an empty list"
eq "$(c contact list --search nord --filter city=Oslo --json | names)" "Kari Nordmann" "--search with --filter"

# --sort
eq "$(c contact list --sort name --json | names)" \
  "ÅSE Berg,Åsmund Lie,Jürgen Müller,Kari Nordmann,Ola Nordmann,Per Hansen" "by name, accents aside"
eq "$(c contact list --sort -name --limit 2 --json | names)" "Per Hansen,Ola Nordmann" "by name, descending"
eq "$(c contact list --sort city,-name --json | jq -r '[.[] | .city + ":" + .name] | join(",")')" \
  "Bergen:Ola Nordmann,Bodø:Åsmund Lie,Köln:Jürgen Müller,Oslo:Kari Nordmann,Oslo:ÅSE Berg,Tromsø:Per Hansen" \
  "two keys, the second descending"
expect_exit 1 contact list --sort colour
eq "$(c contact list --sort colour 2>&1 >/dev/null | cut -c1-48)" "error: --sort: no field 'colour' in this list (i" \
  "an unknown sort field is named"
expect_exit 1 contact list --sort 'name,'

# --total and the next page, in JSON and in text.
page=$(c contact list --sort name --limit 2 --total --json)
eq "$(jq -r '[.total, (.items | length), (.next | type)] | @tsv' <<<"$page")" $'6\t2\tstring' "--total answers the count and the next cursor"
eq "$(c contact list --sort name --limit 2 --total | tail -n 2 | head -n 1)" "2 of 6" "the text says how many of how many"
eq "$(c contact list --sort name --limit 2 | tail -n 1 | cut -d' ' -f1-3)" "next page: --after" "and how to get the next page"
eq "$(c contact list --limit 2 --after CT0004 --json | jq -r '[.[].no] | join(",")')" "CT0005,CT0006" \
  "unsorted, the cursor is the record number"
eq "$(c contact list --sort name --limit 6 --total --json | jq -r '.next')" "null" "the last page has no next"
expect_exit 1 contact list --sort name --after CT0003
expect_exit 1 contact list --sort name --after 'bm90IGEgY3Vyc29y'

# Paging while a writer adds rows: every row that was there is seen once, in order.
before=$(c contact list --sort name --json | names)
p1=$(c contact list --sort name --limit 2 --total --json)
c contact create --name 'Aaron Aalto' --email aaron@example.fi >/dev/null        # sorts before the cursor
c contact create --name 'Zofia Zielińska' --email zofia@example.pl >/dev/null    # sorts after it
p2=$(c contact list --sort name --limit 2 --total --after "$(jq -r .next <<<"$p1")" --json)
c contact create --name 'Mia Moe' --email mia@example.no >/dev/null              # within the rest
p3=$(c contact list --sort name --limit 10 --after "$(jq -r .next <<<"$p2")" --json)
seen=$(jq -rs '[.[0].items[], .[1].items[], .[2][] | .name] | join(",")' <<<"$p1 $p2 $p3")
eq "$seen" "ÅSE Berg,Åsmund Lie,Jürgen Müller,Kari Nordmann,Mia Moe,Ola Nordmann,Per Hansen,Zofia Zielińska" \
  "the pages continue where they stopped: rows added before the cursor do not shift them"
eq "$(jq -r .total <<<"$p2")" 8 "the total counts what is there now"
[ -n "$before" ]

# Every list takes them: leads, campaigns, segments, roster, interactions, logged segments, opportunities.
c lead create --name 'Åse Lead' --company-name 'Nordlys AS' --email lead@nordlys.example >/dev/null
c lead create --name 'Other Lead' --company-name 'Fabrikam' >/dev/null
eq "$(c lead list --search NORDLYS --json | names)" "Åse Lead" "lead list: the company name is searched"
c campaign create --name 'Vår messe' >/dev/null
c campaign create --name 'Autumn fair' >/dev/null
eq "$(c campaign list --search 'var' --json | names)" "Vår messe" "campaign list --search"
eq "$(c campaign list --sort name --json | names)" "Autumn fair,Vår messe" "campaign list --sort"
c member add CP0001 CT0001 CT0002 CT0003 LD0001 >/dev/null
eq "$(c roster CP0001 --search nordmann --json | jq -r '[.[].contact] | join(",")')" "CT0002" "roster --search"
eq "$(c roster CP0001 --sort -name --limit 2 --total --json | jq -c '[.total, [.items[].name]]')" \
  '[4,["Ola Nordmann","Jürgen Müller"]]' "roster --sort --total"
eq "$(c roster CP0001 --limit 1 --after CT0002 --json | jq -r '.[0].contact')" "CT0003" "roster paging as before"
eq "$(c roster CP0001 --limit 1 --after ct0002 --total --json | jq -c '[.total, .items[0].contact, .next]')" '[4,"CT0003","CT0003"]' \
  "with --total the roster counts the members before the cursor too"
expect_exit 1 roster CP0001 --count --search x
c segment create --description 'Nordic buyers' >/dev/null
c segment create --description 'German buyers' >/dev/null
eq "$(c segment list --search NORDIC --json | jq -r '[.[].no] | join(",")')" "SM0001" "segment list --search"
eq "$(c segment list --sort -description --json | jq -r '[.[].no] | join(",")')" "SM0001,SM0002" "segment list --sort"
c segment add-contacts SM0001 --filter 'city=Oslo' >/dev/null
c interaction-template add LTR --description 'Letter' >/dev/null
c segment set SM0001 --template LTR >/dev/null
c segment log SM0001 >/dev/null
eq "$(c logged-segment list --search nordic --total --json | jq -r '.total')" 1 "logged-segment list --search --total"
eq "$(c interactions --total --json | jq -r '.total')" 2 "interactions --total"
eq "$(c interactions --sort -contact --limit 1 --json | jq -r '.[0].contact')" "CT0004" "interactions --sort"
c sales-cycle add DEAL --description 'Deal' --stage 'One|50|50' >/dev/null
c opportunity create --description 'Desks for Ola' --contact CT0002 --sales-cycle DEAL --value 300 >/dev/null
c opportunity create --description 'Chairs for Kari' --contact CT0004 --sales-cycle DEAL --value 1200 >/dev/null
eq "$(c opportunity list --sort -estimated_value --json | jq -r '[.[].description] | join(",")')" \
  "Chairs for Kari,Desks for Ola" "opportunity list sorts amounts as numbers"
eq "$(c opportunity list --search desks --json | jq -r '.[0].no')" "OP0001" "opportunity list --search"

c projections rebuild --check >/dev/null
finish
