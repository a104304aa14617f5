#!/usr/bin/env bash
# Saved views (issue 18, SPEC §4.11; Zoho's custom views), in either ledger mode (kafka.sh runs
# it against the mock cluster too):
#   - `view save NAME --on contacts|leads|campaigns --filter ... --sort ... --search ...`, and
#     `contact list --view NAME` (lead, campaign alike) lists by it; the list's own options add
#     filters and override its sort and search;
#   - saving a name again replaces the view (found by name whatever its case); the same view again
#     changes nothing; `view list` and `view remove`;
#   - a view whose filter or sort does not read is refused when saved; one of another list, or an
#     unknown name, is refused when used;
#   - staff may save views (a way of looking, not reference data); projections equal a rebuild.
CRMCTL=$1
source "$(dirname "$0")/lib.sh"

c init >/dev/null
for n in 'Kari Nordmann|Oslo' 'Ola Nordmann|Bergen' 'Per Hansen|Oslo' 'Åse Berg|Oslo'; do
  IFS='|' read -r name city <<<"$n"
  c contact create --name "$name" --city "$city" >/dev/null
done
c lead create --name 'Liv Lead' --company-name 'Nordlys' >/dev/null
c campaign create --name 'Spring fair' --type 'Trade Show' >/dev/null
c campaign create --name 'Autumn mailing' >/dev/null
names() { jq -r '[.[] | .name] | join(",")'; }

eq "$(c view save 'Oslo people' --on contacts --filter city=Oslo --sort -name)" "saved view Oslo people" "view save"
eq "$(c contact list --view 'Oslo people' --json | names)" "Per Hansen,Kari Nordmann,Åse Berg" "the view lists by its filter and sort"
eq "$(c contact list --view 'oslo PEOPLE' --filter 'name=@*nordmann*' --json | names)" "Kari Nordmann" \
  "the list's own filters add to the view's (its name found whatever the case)"
eq "$(c contact list --view 'Oslo people' --sort name --json | names)" "Åse Berg,Kari Nordmann,Per Hansen" \
  "the list's own sort overrides the view's"
eq "$(c view save 'Oslo people' --on contacts --filter city=Oslo --sort -name)" "no change" "the same view again: no change"
c view save 'OSLO people' --on contacts --filter city=Oslo --search nord >/dev/null
eq "$(c contact list --view 'Oslo people' --json | names)" "Kari Nordmann" "saved again under its name: replaced"
eq "$(c view list --json | jq -c '[.[] | [.name, .on, .filters, .search]]')" '[["Oslo people","contacts",["city=Oslo"],"nord"]]' \
  "view list (the name as first saved)"
c view save 'Leads of Nordlys' --on leads --search nordlys >/dev/null
eq "$(c lead list --view 'Leads of Nordlys' --json | names)" "Liv Lead" "a view of leads"
c view save 'Trade shows' --on campaigns --filter 'type=Trade Show' >/dev/null
eq "$(c campaign list --view 'Trade shows' --json | names)" "Spring fair" "a view of campaigns"

# Refusals: when saved (a filter or sort that does not read, a list that is not one), when used.
before=$(head_seq)
expect_exit 1 view save Bad --on contacts --filter 'colour=red'
expect_exit 1 view save Bad --on contacts --sort 'name,'
expect_exit 1 view save Bad --on tasks
eq "$(head_seq)" "$before" "refused views wrote nothing"
expect_exit 1 lead list --view 'Oslo people'
eq "$(c lead list --view 'Oslo people' 2>&1 >/dev/null)" "error: view 'Oslo people' lists contacts, not leads" "a view of another list"
expect_exit 2 contact list --view Nowhere
eq "$(c view remove 'trade SHOWS')" "removed view trade SHOWS" "view remove"
expect_exit 2 campaign list --view 'Trade shows'
expect_exit 2 view remove 'Trade shows'

# Staff may save views; auditors may not.
c user add "$CRM_USER" --role admin >/dev/null
c user add sam --role staff >/dev/null
c user add ada --role auditor >/dev/null
eq "$(CRM_USER=sam c view save 'Sam list' --on contacts --filter city=Bergen)" "saved view Sam list" "staff save views"
CRM_USER=ada expect_exit 2 view save 'Ada list' --on contacts
eq "$(CRM_USER=ada c contact list --view 'Sam list' --json | names)" "Ola Nordmann" "everyone reads them"

c projections rebuild --check >/dev/null
finish
