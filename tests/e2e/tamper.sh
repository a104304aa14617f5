#!/usr/bin/env bash
# Tamper evidence (issue 5): the ledger's RocksDB files edited behind crmctl's back with ldb
# (Debian's rocksdb-tools): a flipped byte, a deleted record, two records swapped, a truncated
# tail. `ledger verify` fails with exit 2 and names the first bad record; a digest an auditor
# kept (`ledger digest --at`) proves the ledger up to its position unchanged, and fails after.
CRMCTL=$1
source "$(dirname "$0")/lib.sh"
WORK=$(dirname "$CRM_DATA")

c init >/dev/null
c campaign-status add 1-PLAN >/dev/null
for i in 1 2 3 4 5; do c contact create --name "Person $i" --email "p$i@example.com" >/dev/null; done
c campaign create --name 'Spring' --status 1-PLAN >/dev/null
c member add CP0001 CT0001 CT0002 >/dev/null
n=$(head_seq)
digest=$(c ledger digest --at 4 --json | jq -r .digest)
eq "$(c ledger digest --at 4)" "digest at record 4: $digest" "ledger digest prints the chain's hash"
eq "$(c ledger digest --json | jq .at)" "$n" "by default at the last record"
eq "$(c ledger verify --digest "$digest" --at 4 --json | jq -c '[.ok, .digest.matches]')" '[true,true]' \
   "verify --digest: unchanged up to 4"
expect_exit 2 ledger verify --digest "$(printf '%064d' 0)" --at 4
expect_exit 2 ledger verify --digest "$digest" --at $((n + 1))
expect_exit 1 ledger verify --digest nothex --at 4
expect_exit 1 ledger verify --at 4
expect_exit 2 ledger digest --at $((n + 1))

key() { printf '0x%016X' "$1"; }
get() { ldb --db="$1/db" --column_family=ledger get "$(key "$2")" --key_hex --value_hex; }
put() { ldb --db="$1/db" --column_family=ledger put "$(key "$2")" "$3" --key_hex --value_hex >/dev/null; }
del() { ldb --db="$1/db" --column_family=ledger delete "$(key "$2")" --key_hex >/dev/null; }
# tampered NAME: a copy of the data directory to edit
tampered() {
  rm -rf "$WORK/$1"
  cp -a "$CRM_DATA" "$WORK/$1"
  echo "$WORK/$1"
}
first_bad() { CRM_DATA=$1 "$CRMCTL" ledger verify --json 2>/dev/null | jq -c '[.ok, .first_bad]'; }

# A flipped byte in the middle of record 3.
d=$(tampered flip)
v=$(get "$d" 3)
mid=$(( (${#v} - 2) / 2 + 2 ))  # a hex digit in the record's middle (after the 0x)
ch=${v:$mid:1}
[ "$ch" = 0 ] && new=1 || new=0
put "$d" 3 "${v:0:$mid}$new${v:$((mid + 1))}"
eq "$(first_bad "$d")" '[false,3]' "a flipped byte: the first bad record is 3"
eq "$(CRM_DATA=$d "$CRMCTL" ledger verify 2>&1 >/dev/null | cut -c1-32)" "error: ledger fault at record 3:" \
   "one error line naming it"
rc=0; CRM_DATA=$d "$CRMCTL" ledger verify --digest "$digest" --at 4 >/dev/null 2>&1 || rc=$?
eq "$rc" 2 "the digest at 4 no longer holds"

# A deleted record.
d=$(tampered delete)
del "$d" 5
eq "$(first_bad "$d")" '[false,5]' "a deleted record: the first bad record is 5"

# Two records swapped.
d=$(tampered swap)
a=$(get "$d" 5)
b=$(get "$d" 6)
put "$d" 5 "$b"
put "$d" 6 "$a"
eq "$(first_bad "$d")" '[false,5]' "swapped records: the first bad record is 5"

# The tail cut off: the last record gone, the head still naming it.
d=$(tampered truncate)
del "$d" "$n"
eq "$(first_bad "$d")" "[false,$n]" "a truncated tail: the first bad record is the missing last one"
rc=0; CRM_DATA=$d "$CRMCTL" ledger verify --digest "$digest" --at 4 >/dev/null 2>&1 || rc=$?
eq "$rc" 2 "verify fails on the truncated tail even with a good digest"

eq "$(c ledger verify --json | jq .ok)" true "the original still verifies"
finish
