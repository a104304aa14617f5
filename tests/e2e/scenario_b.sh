#!/usr/bin/env bash
# SPEC §5 scenario B, campaign members (Zoho): member statuses Invited, Attended (responded),
# No Show; 2,000 leads imported from CSV into a campaign as Invited (one bad row reported with its
# line, the rest imported); 300 existing contacts associated by criteria; a mass update to
# Attended for a filtered subset; campaigns added from a contact's side; a status in use removed
# with --replace-with; the campaign cloned; roster counts, a member's full history, the roster
# as of before the mass update; the mass update undone. Run by kafka.sh too (both ledger modes).
CRMCTL=$1
source "$(dirname "$0")/lib.sh"
WORK=$(dirname "$CRM_DATA")
counts() { c roster "$1" --count --json "${@:2}" | jq -c .by_status; }

c init >/dev/null
c member-status add Invited >/dev/null
c member-status add Attended --responded >/dev/null
c member-status add 'No Show' >/dev/null
c campaign create --name 'Partner summit' >/dev/null   # CP0001

# 400 existing contacts, 300 of them in Oslo.
{
  echo 'Name,Email,City'
  for i in $(seq 1 400); do
    if [ "$i" -le 300 ]; then echo "Contact $i,contact$i@example.com,Oslo"; else echo "Contact $i,contact$i@example.com,Bergen"; fi
  done
} >"$WORK/contacts.csv"
eq "$(c import contacts "$WORK/contacts.csv" --json | jq .created)" 400 "400 existing contacts"

# 2,000 leads; the row on line 1002 has a broken email; every 4th came from the fair.
{
  echo 'First Name,Last Name,Email,Company,Lead Source'
  for i in $(seq 1 2000); do
    email="lead$i@example.com"
    [ "$i" = 1001 ] && email='lead1001-at-example.com'
    if [ $((i % 4)) = 0 ]; then src=Fair; else src=Web; fi
    echo "Lead,Number $i,$email,Company $((i % 50)),$src"
  done
} >"$WORK/leads.csv"
imp=$(c import leads "$WORK/leads.csv" --campaign CP0001 --member-status Invited --json)
eq "$(jq -c '[.rows, .created, .failed]' <<<"$imp")" '[2000,1999,1]' "2,000 rows: 1,999 imported, one failed"
eq "$(jq -r '.rows_listed[] | select(.outcome=="failed") | "\(.file | split("/") | last):\(.line)"' <<<"$imp")" \
   "leads.csv:1002" "the bad row is reported with its line"
eq "$(counts CP0001)" '{"Invited":1999}' "imported leads are Invited members"

# Associate the 300 contacts in Oslo, found by criteria.
eq "$(c member add CP0001 --filter city=Oslo --status Invited --json | jq .added)" 300 "300 contacts by criteria"
c member set-status CP0001 LD0001 'No Show' >/dev/null
c member set-status CP0001 LD0002 'No Show' >/dev/null
before_mass=$(head_seq)

# Mass update: the fair's leads attended.
mass=$(c member mass-update CP0001 --filter lead_source=Fair --status Attended --json)
mass_id=$(jq -r .command_id <<<"$mass")
eq "$(counts CP0001)" '{"Attended":500,"Invited":1797,"No Show":2}' "mass update of a filtered subset"

# Campaigns from a contact's side.
c campaign create --name 'Partner webinar' >/dev/null   # CP0002
c campaign create --name 'Partner dinner' >/dev/null    # CP0003
c member add-campaigns CT0001 CP0002 CP0003 --status Invited >/dev/null
eq "$(c member campaigns CT0001 --json | jq -r '[.[].campaign] | join(",")')" "CP0001,CP0002,CP0003" "a contact's campaigns"

# A status in use removed: its members move first.
expect_exit 2 member-status remove 'No Show'
c member-status remove 'No Show' --replace-with Invited >/dev/null
eq "$(counts CP0001)" '{"Attended":500,"Invited":1799}' "No Show members moved to Invited"
eq "$(c member-status list --json | jq -r '[.[].name] | join(",")')" "Sent,Responded,Invited,Attended" "No Show is gone"

# Clone: the details, not the members.
clone=$(c campaign clone CP0001 --name 'Partner summit 2028')
eq "$clone" CP0004 "the clone's number"
eq "$(c roster CP0004 --count --json | jq .total)" 0 "a clone has no members"

# Roster counts, a member's full history, the roster as of before the mass update.
eq "$(c roster CP0001 --count --json | jq .total)" 2299 "roster total"
eq "$(c member history CP0001 LD0004 --json | jq -r '[.[] | "\(.event):\(.how // "")"] | join(",")')" \
   "MemberAdded:import,MemberStatusUpdated:mass update" "a member's full history"
eq "$(counts CP0001 --at "$before_mass")" '{"Invited":2297,"No Show":2}' "the roster as of before the mass update"

# Undo the mass update.
eq "$(c undo "$mass_id" --json | jq .members_changed)" 500 "the mass update undone"
eq "$(counts CP0001)" '{"Invited":2299}' "counts after the undo"
eq "$(c member history CP0001 LD0004 --json | jq -r '.[-1].how')" undo "the undo is in the member's history"

eq "$(c ledger verify --json | jq -r .ok)" true "the ledger verifies"
eq "$(c projections rebuild --check --json | jq .identical)" true "projections equal a rebuild"
finish
