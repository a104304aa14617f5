#!/usr/bin/env bash
# Runs an end-to-end script in Kafka mode against a fresh mock cluster:
#   kafka.sh SCRIPT CRMCTL DEV_KAFKA
SCRIPT=$1
export CRMCTL=$2 DEV_KAFKA=$3
HERE=$(dirname "$0")
source "$HERE/lib.sh"
source "$HERE/kafka_lib.sh"
rc=0
bash "$HERE/$SCRIPT" "$CRMCTL" || rc=$?
exit $rc
