#!/usr/bin/env bash
# Runs an end-to-end script in Kafka mode against a fresh mock cluster:
#   kafka.sh SCRIPT CRMCTL DEV_KAFKA
# The script is sourced, so it can steer the cluster with kafka_ctl (kafka_lib.sh).
SCRIPT=$1
export CRMCTL=$2 DEV_KAFKA=$3
HERE=$(dirname "$0")
source "$HERE/lib.sh"
source "$HERE/kafka_lib.sh"
set -- "$CRMCTL"
source "$HERE/$SCRIPT"
