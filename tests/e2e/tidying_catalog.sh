#!/usr/bin/env bash
# Tidying the rest (issue 18, SPEC §4.11): segments, salespeople and interaction templates are
# deleted and restored, in either ledger mode (kafka.sh runs it against the mock cluster too):
#   - `salesperson delete SP` is refused while contacts, leads, campaigns, segments not logged,
#     open tasks or opportunities, or teams name it, naming them; allowed once none does; a deleted
#     salesperson leaves `salesperson list` (`--deleted` shows it) and every new assignment, and its
#     code cannot be added again (restore it); what named it before keeps the code;
#   - `interaction-template delete CODE` is refused while a segment not logged uses it; a deleted
#     template leaves its list, a filter may still name it (entries logged with it keep its code);
#   - `segment delete SM` leaves `segment list` (`--deleted` shows it); a deleted segment takes no
#     change until `segment restore`;
#   - deleting again or restoring what is not deleted changes nothing; `undo` of a delete
#     restores; projections equal a rebuild.
CRMCTL=$1
source "$(dirname "$0")/lib.sh"

c init >/dev/null
c salesperson add SP1 --name 'Ann Sales' >/dev/null
c salesperson add SP2 --name 'Bo Sales' >/dev/null
c team add NORTH --member SP1 --member SP2 >/dev/null
c interaction-template add LTR --description 'Letter' --correspondence letter >/dev/null
c interaction-template add CALL --description 'Phone call' --correspondence letter >/dev/null
kari=$(c contact create --name 'Kari Nordmann' --salesperson SP1)
c lead create --name 'Liv Lead' --salesperson SP1 >/dev/null
seg=$(c segment create --description 'Letters')
c segment set "$seg" --template LTR --salesperson SP1 >/dev/null
codes() { jq -r '[.[] | .code] | join(",")'; }

# A salesperson: refused while named, naming what names it.
before=$(head_seq)
expect_exit 2 salesperson delete SP1
eq "$(c salesperson delete SP1 2>&1 >/dev/null)" \
  "error: salesperson SP1 is still named by contact $kari, lead LD0001, segment $seg, team NORTH" \
  "a salesperson still named is not deleted, and what names it is said"
eq "$(head_seq)" "$before" "a refused deletion writes nothing"
c contact set "$kari" --salesperson '' >/dev/null
c lead set LD0001 --salesperson SP2 >/dev/null
c segment set "$seg" --salesperson SP2 >/dev/null
c team set NORTH --member SP2 >/dev/null
c --command-id delete-sp1 salesperson delete SP1 >/dev/null
eq "$(c salesperson list --json | codes)" "SP2" "a deleted salesperson leaves the list"
eq "$(c salesperson list --deleted --json | jq -c '[.[] | [.code, (.deleted // false)]]')" '[["SP2",false],["SP1",true]]' \
  "--deleted shows it, marked"
eq "$(c salesperson delete SP1)" "SP1 was already deleted" "deleting again changes nothing"
expect_exit 2 contact set "$kari" --salesperson SP1
expect_exit 2 team set NORTH --member SP1
eq "$(c salesperson add SP1 --name 'Ann Again' 2>&1 >/dev/null)" \
  "error: salesperson SP1 was deleted (crmctl salesperson restore SP1)" "its code cannot be added again"
expect_exit 2 salesperson set SP1 --name 'Ann Renamed'
c undo delete-sp1 >/dev/null
eq "$(c salesperson list --json | codes)" "SP1,SP2" "undo of the delete restores it"
eq "$(c salesperson restore SP1)" "SP1 is not deleted" "restoring what is not deleted changes nothing"
c salesperson delete SP1 >/dev/null
eq "$(c salesperson restore sp1)" "restored SP1" "salesperson restore"
c contact set "$kari" --salesperson SP1 >/dev/null  # usable again

# An interaction template: refused while a segment not logged uses it.
expect_exit 2 interaction-template delete LTR
eq "$(c interaction-template delete LTR 2>&1 >/dev/null)" "error: interaction template LTR is still named by segment $seg" \
  "a template a segment uses is not deleted"
eq "$(c interaction-template delete CALL)" "deleted CALL" "interaction-template delete"
eq "$(c interaction-template list --json | codes)" "LTR" "a deleted template leaves the list"
eq "$(c interaction-template list --deleted --json | jq -c '[.[] | [.code, (.deleted // false)]]')" \
  '[["CALL",true],["LTR",false]]' "--deleted shows it"
eq "$(c interaction-template show CALL --json | jq .deleted)" true "show still shows it, marked"
expect_exit 2 segment set "$seg" --template CALL
expect_exit 2 interaction-template set CALL --description 'Call'
seg2=$(c segment create --description 'By template')
eq "$(c segment add-contacts "$seg2" --filter 'interaction_template=CALL' --json | jq .added)" 0 \
  "a filter may still name a deleted template"

# A segment: out of the list, no change until restored.
eq "$(c segment delete "$seg")" "deleted $seg" "segment delete"
eq "$(c segment list --json | jq -r '[.[] | .no] | join(",")')" "$seg2" "a deleted segment leaves the list"
eq "$(c segment list --deleted --json | jq -c '[.[] | [.no, (.deleted // false)]]')" "[[\"$seg\",true],[\"$seg2\",false]]" \
  "--deleted shows it"
eq "$(c segment show "$seg" --json | jq .deleted)" true "segment show marks it"
expect_exit 2 segment set "$seg" --description 'Changed'
expect_exit 2 segment add-line "$seg" "$kari"
eq "$(c segment log "$seg" 2>&1 >/dev/null)" "error: segment $seg is deleted (crmctl segment restore $seg first)" \
  "a deleted segment is not logged"
eq "$(c interaction-template delete LTR)" "deleted LTR" "a deleted segment does not hold its template"
eq "$(c segment restore "$seg")" "restored $seg" "segment restore"
eq "$(c segment set "$seg" --description 'Letters again' --json | jq .changed)" true "a restored segment changes again"
c --command-id delete-seg2 segment delete "$seg2" >/dev/null
c undo delete-seg2 >/dev/null
eq "$(c segment list --json | jq -r '[.[] | .no] | join(",")')" "$seg,$seg2" "undo of a segment's delete restores it"
c interaction-template restore LTR >/dev/null
eq "$(c interaction-template list --json | codes)" "LTR" "interaction-template restore"

# Undoing a salesperson's deletion needs what restoring one needs (reference data: not staff).
c user add "$CRM_USER" --role admin >/dev/null
c user add sam --role staff >/dev/null
c salesperson add SP3 --name 'Cy Sales' >/dev/null
c --command-id delete-sp3 salesperson delete SP3 >/dev/null
CRM_USER=sam expect_exit 2 undo delete-sp3
c undo delete-sp3 >/dev/null
eq "$(c salesperson list --json | codes)" "SP1,SP2,SP3" "an admin may undo it"

c projections rebuild --check >/dev/null
finish
