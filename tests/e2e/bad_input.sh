#!/usr/bin/env bash
# Bad input: every rejected command prints one `error:` line, exits with the SPEC's code
# (1 usage, 2 rule, 3 conflict, 4 storage) and writes nothing (the ledger head does not move).
CRMCTL=$1
source "$(dirname "$0")/lib.sh"

expect_exit 2 roster CP0001                      # no data set yet
expect_exit 2 campaign create --name X           # not initialised
c init >/dev/null
c member-status add Invited >/dev/null
c code add job-responsibility PURCHASE >/dev/null
c contact create --name Anna --email anna@example.com >/dev/null
c campaign create --name Spring >/dev/null
c member add CP0001 CT0001 >/dev/null
before=$(head_seq)

# Usage errors (input crmctl cannot parse): exit 1.
expect_exit 1
expect_exit 1 contact create --name $'Bad\xff'
expect_exit 1 --as $'u\xff' member add CP0001 CT0001
expect_exit 1 member mass-update CP0001 --status Invited --filter 'member_status=a..b..c'
expect_exit 1 frobnicate
expect_exit 1 campaign create
expect_exit 1 campaign create --name X --start 2027-13-01
expect_exit 1 campaign create --name X --budgeted-cost 12,50
expect_exit 1 campaign create --name X --budgeted-cost 1.005
expect_exit 1 campaign create --name X --number-sent many
expect_exit 1 campaign show CP1
expect_exit 1 contact create --name Bob --type robot
expect_exit 1 contact list --filter cty=Oslo
expect_exit 1 contact list --filter 'city=Oslo||Bergen'
expect_exit 1 contact list --filter city
expect_exit 1 roster CP0001 --filter 'added_at=2027-99-01'
expect_exit 1 member add CP0001
expect_exit 1 member add CP0001 CP0002
expect_exit 1 member mass-update CP0001 --status Invited
expect_exit 1 code add hobby FISHING
expect_exit 1 member-status set Invited --responded maybe

# Rule violations (well-formed input a rule refuses): exit 2.
expect_exit 2 campaign create --name X --expected-response 101
expect_exit 2 campaign create --name X --start 2027-02-02 --end 2027-02-01
expect_exit 2 campaign create --name "$(printf 'x%.0s' $(seq 1 81))"
expect_exit 2 campaign create --name X --type Carnival
expect_exit 2 campaign create --name X --number-sent -3
expect_exit 2 campaign create --name X --budgeted-cost -5
expect_exit 2 contact create --name Bob --email not-an-email
expect_exit 2 contact create --name Bob --email a@b
expect_exit 2 contact create --name ""
expect_exit 2 contact create --name Bob --phone "call me"
expect_exit 2 member-status add "a|b"
expect_exit 2 campaign-status add "THIS-CODE-IS-FAR-TOO-LONG"
expect_exit 2 lead create --name L --status Hot
expect_exit 2 campaign create --name X --status NOPE
expect_exit 2 campaign create --name X --parent CP0099
expect_exit 2 campaign set CP0099 --name Y
expect_exit 2 campaign set CP0001 --parent CP0001
expect_exit 2 contact create --name Bob --job-responsibility SALES
expect_exit 2 contact create --name Bob --company CT0099
expect_exit 2 contact create --name Bob --company CT0001      # CT0001 is a person
expect_exit 2 contact create --name Bob --email anna@example.com --unique-email
expect_exit 2 member add CP0001 CT0099
expect_exit 2 member add CP0099 CT0001
expect_exit 2 member add CP0001 CT0001 --status Nope
expect_exit 2 member set-status CP0001 CT0099 Invited
expect_exit 2 member-status remove Sent                       # the default
expect_exit 2 member-status remove Responded                  # the last responded one
expect_exit 2 member-status set Responded --responded no
expect_exit 2 member-status add Sent --responded
eq "$(head_seq)" "$before" "nothing was written by the rejected commands above"
for i in $(seq 1 17); do c member-status add "S$i" >/dev/null; done
expect_exit 2 member-status add S18                           # the 21st status
before=$(head_seq)
expect_exit 2 member history CP0001 CT0099

# A command id is bound to what it asked: a different command under it is refused.
c --command-id bound-1 campaign-status add BOUND >/dev/null
before=$(head_seq)
expect_exit 2 --command-id bound-1 campaign create --name Other
expect_exit 2 --expected-version 3 campaign create --name Versioned

# Conflicts: exit 3.
expect_exit 3 --expected-version 0 campaign set CP0001 --name Changed

# Storage: exit 4 (a writer holding the lock).
( exec 9>"$CRM_DATA/WRITER.lock"; flock 9; sleep 3 ) &
sleep 0.5
CRM_LOCK_TIMEOUT=0.5 expect_exit 4 campaign create --name Blocked
eq "$(c roster CP0001 --count --json | jq .total)" 1 "readers are not blocked by a writer"
wait

eq "$(head_seq)" "$before" "nothing was written by any rejected command"
eq "$(c ledger verify --json | jq .ok)" true "ledger verifies"
finish
