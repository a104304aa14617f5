# A real SMTP server on loopback for the walkthrough and the delivery tests: Debian's
# python3-aiosmtpd with its Mailbox handler (smtp_mailbox.py: the same, refusing nobody@...
# with 550), storing each message it accepts as one file in a maildir. Sourced; the caller stops
# it with smtp_stop (e.g. on EXIT).
#   start_smtp DIR       starts it on a free 127.0.0.1 port; sets SMTP_PORT, SMTP_PID, SMTP_MAILDIR
#   smtp_count           messages received so far
#   smtp_message_ids     their Message-ID headers, one per line, sorted
# It runs under /usr/bin/python3, not whichever python3 comes first on the PATH (only Debian's
# has aiosmtpd).
SMTP_PID=
SMTP_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

start_smtp() {
  SMTP_MAILDIR=$1
  mkdir -p "$(dirname "$SMTP_MAILDIR")"  # the Mailbox handler makes the maildir itself
  local try i
  for try in 1 2 3 4 5; do
    SMTP_PORT=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    PYTHONPATH="$SMTP_LIB_DIR" /usr/bin/python3 -m aiosmtpd -n -l "127.0.0.1:$SMTP_PORT" \
      -c smtp_mailbox.RefusingMailbox "$SMTP_MAILDIR" >"$SMTP_MAILDIR.log" 2>&1 &
    SMTP_PID=$!
    for i in $(seq 1 100); do
      if /usr/bin/python3 -c "import socket; socket.create_connection(('127.0.0.1', $SMTP_PORT), 0.2)" 2>/dev/null; then
        return 0
      fi
      kill -0 "$SMTP_PID" 2>/dev/null || break  # the port was taken meanwhile: try another
      sleep 0.1
    done
    smtp_stop
  done
  echo "cannot start the SMTP test server (python3-aiosmtpd): $(cat "$SMTP_MAILDIR.log" 2>/dev/null)" >&2
  return 1
}

smtp_stop() {
  if [ -n "$SMTP_PID" ]; then
    kill "$SMTP_PID" 2>/dev/null || true
    wait "$SMTP_PID" 2>/dev/null || true
    SMTP_PID=
  fi
}

smtp_count() { find "$SMTP_MAILDIR/new" -type f 2>/dev/null | wc -l; }

smtp_message_ids() {
  find "$SMTP_MAILDIR/new" -type f -exec grep -h -i -m1 '^Message-ID:' {} + 2>/dev/null | tr -d '\r' | sort
}
