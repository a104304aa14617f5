#!/usr/bin/env bash
# Users and roles (SPEC §4.10): open while no user exists; the first user must be an admin; then
# unknown actors are refused everything, staff cannot change reference data, auditors only read,
# managers cannot manage users; refusals are exit 2 with one error line, write nothing, and are
# logged to DATA/access.log with the actor. Run by kafka.sh too (both ledger modes).
CRMCTL=$1
source "$(dirname "$0")/lib.sh"
export CRM_USER=tester

c init >/dev/null
c member-status add Invited >/dev/null   # nobody is a user yet: anyone may act
c contact create --name 'Ann Example' --email ann@example.com >/dev/null
c campaign create --name 'Spring' >/dev/null

expect_exit 2 user add alice --role staff            # the first user must be an admin
expect_exit 1 user add boss --role owner             # not a role
eq "$(c user list --json)" "[]" "no users yet"
eq "$(c user add boss --role admin)" "user boss added as admin" "the first user: an admin"

# tester is no user: refused reads and writes alike, and nothing is written.
head=$(CRM_USER=boss head_seq)
expect_exit 2 contact create --name 'Not allowed'
expect_exit 2 campaign list
expect_exit 2 roster CP0001
eq "$(c contact create --name X 2>&1 >/dev/null)" \
   "error: 'tester' is not a user of this data set (set --as or CRM_USER)" "the refusal names the actor"
eq "$(CRM_USER=boss head_seq)" "$head" "refusals wrote nothing"

as() { local who=$1; shift; CRM_USER=$who "$CRMCTL" "$@"; }
as_exit() { local who=$1; shift; CRM_USER=$who expect_exit "$@"; }
as boss user add alice --role staff >/dev/null
as boss user add audrey --role auditor >/dev/null
c --as boss user add max --role manager >/dev/null  # --as names the actor too
eq "$(as audrey user list --json | jq -c 'map([.name, .role])')" \
   '[["alice","staff"],["audrey","auditor"],["boss","admin"],["max","manager"]]' "user list"
as_exit boss 2 user add ALICE --role staff            # unique ignoring case
eq "$(as boss user add alice --role staff)" "no change" "adding again with the same role changes nothing"

# staff: ordinary writes yes; reference data, users no.
eq "$(as alice contact create --name 'Bob Example')" CT0002 "staff creates a contact"
eq "$(as alice member add CP0001 CT0001 CT0002 --json | jq .added)" 2 "staff adds members"
as_exit alice 2 member-status add Attended --responded
as_exit alice 2 code add job-responsibility PURCHASE
as_exit alice 2 interaction-template add BUS --description Letter
as_exit alice 2 user add eve --role staff
as_exit alice 2 compact                               # compaction is part of erasure
eq "$(as alice member-status add Attended --responded 2>&1 >/dev/null)" \
   "error: 'alice' (staff) may not change reference data (statuses, codes, templates, salespeople, mail settings)" \
   "the refusal names the role and what it may not do"

# auditor: reads only.
eq "$(as audrey roster CP0001 --count --json | jq .total)" 2 "an auditor reads the roster"
eq "$(as audrey history CT0001 --json | jq length)" 2 "an auditor reads history"
as_exit audrey 2 contact create --name 'Nope'
as_exit audrey 2 member set-status CP0001 CT0001 Invited
as_exit audrey 2 campaign create --name 'Nope'
as_exit audrey 2 projections rebuild                  # even rewriting derived data is a write
eq "$(as audrey projections rebuild --check --json | jq .identical)" true "an auditor checks the read models"

# manager: reference data yes; users no.
eq "$(as max member-status add Attended --responded)" "added Attended" "a manager changes reference data"
as_exit max 2 user add eve --role staff
as_exit max 2 user set-role alice --role admin

# admins: roles change; the last admin stays.
as_exit boss 2 user remove boss
as_exit boss 2 user set-role boss --role manager
eq "$(as boss user set-role alice --role auditor)" "user alice is now auditor" "set-role"
as_exit alice 2 contact create --name 'Now an auditor'
as boss user remove audrey >/dev/null
as_exit audrey 2 roster CP0001                        # removed: a stranger again
eq "$(as boss user list --json | jq -c 'map(.name)')" '["alice","boss","max"]' "removed from the list"

# Every event records its actor; refusals are in the access log, with actor and command.
eq "$(as boss ledger tail --type UserRoleChanged --jsonl | jq -r .actor)" boss "the actor of a role change"
log="$CRM_DATA/access.log"
eq "$(grep -c 'refused' "$log")" "$(grep -c . "$log")" "only refusals in the access log"
eq "$(grep -c "actor=alice command=\[member-status add\]" "$log")" 2 \
   "a refusal logged with its actor and command"
eq "$(grep -c 'actor=tester' "$log")" 4 "the stranger's refusals logged"

finish
