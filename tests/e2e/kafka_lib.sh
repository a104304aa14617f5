# Kafka mode for end-to-end tests: starts the mock cluster (tools/dev-kafka's binary) on free
# loopback ports, exports CRM_BROKERS and a fresh CRM_TOPIC, and stops the cluster on exit.
# Usage: source lib.sh first, then DEV_KAFKA=/path/to/crm_dev_kafka source kafka_lib.sh.
#   kafka_ctl LINE   sends a control line (down 1, up 1, errors Produce 3 NOT_LEADER_FOR_PARTITION)
DEV_KAFKA=${DEV_KAFKA:?set DEV_KAFKA to the crm_dev_kafka binary}
KAFKA_DIR=$(mktemp -d /tmp/crm-kafka-XXXXXX)
mkfifo "$KAFKA_DIR/ctl"
export CRM_TOPIC=${CRM_TOPIC:-crm.events}
"$DEV_KAFKA" --topic "$CRM_TOPIC" --topic "$CRM_TOPIC.dlq" --topic "$CRM_TOPIC.keys" <"$KAFKA_DIR/ctl" >"$KAFKA_DIR/out" 2>"$KAFKA_DIR/err" &
KAFKA_PID=$!
exec {KAFKA_CTL}>"$KAFKA_DIR/ctl"  # held open: the tool reads control lines until told to quit
kafka_stop() {
  echo quit >&"$KAFKA_CTL" 2>/dev/null || true
  { exec {KAFKA_CTL}>&-; } 2>/dev/null || true  # braced: a bare exec's 2>/dev/null would stay for the script
  kill "$KAFKA_PID" 2>/dev/null || true
  wait "$KAFKA_PID" 2>/dev/null || true
  rm -rf "$KAFKA_DIR"
}
on_exit kafka_stop
for _ in $(seq 1 100); do
  [ -s "$KAFKA_DIR/out" ] && break
  sleep 0.05
done
CRM_BROKERS=$(head -n1 "$KAFKA_DIR/out")
case $CRM_BROKERS in
  127.0.0.1:*) export CRM_BROKERS ;;
  *) echo "mock cluster did not start: $(cat "$KAFKA_DIR/err")" >&2; exit 1 ;;
esac
KAFKA_ANSWERS=1  # answer lines consumed so far (line 1 is the address)

kafka_ctl() {
  echo "$*" >&"$KAFKA_CTL"
  KAFKA_ANSWERS=$((KAFKA_ANSWERS + 1))
  for _ in $(seq 1 100); do
    [ "$(wc -l <"$KAFKA_DIR/out")" -ge "$KAFKA_ANSWERS" ] && break
    sleep 0.05
  done
  local answer
  answer=$(sed -n "${KAFKA_ANSWERS}p" "$KAFKA_DIR/out")
  [ "$answer" = ok ] || { echo "mock cluster refused '$*': $answer" >&2; return 1; }
}
