#!/usr/bin/env bash
# Delivery (SPEC 4.6) against a real SMTP server on loopback (python3-aiosmtpd): mail settings,
# merged messages with their attachment, letters for contacts without email, failed deliveries
# recorded with their reason when the server is unreachable, `delivery retry`, refusals that
# write nothing. Run by kafka.sh too (both ledger modes).
CRMCTL=$1
source "$(dirname "$0")/lib.sh"
WORK=$(dirname "$CRM_DATA")
start_smtp "$WORK/maildir"

c init >/dev/null
c code add job-responsibility PURCHASE >/dev/null
c salesperson add JD --name 'Jane Doe' --email jane@crm.example >/dev/null
printf 'Dear {{name}},\n{{#company_name}}greetings to {{company_name}}. {{/company_name}}Tom & Jerry say hi.\n{{salesperson_name}}\n' \
  >"$WORK/thanks.txt"
printf '<p>Dear {{name}},</p><p>{{subject}}</p>\n' >"$WORK/invite.html"
printf '%%PDF-1.4\n\x00\x01binary\n' >"$WORK/brochure.pdf"
c interaction-template add BUS --description 'Business letter' --correspondence email --unit-cost 1.50 >/dev/null
c interaction-template add RESP --description 'Response' --information-flow inbound --initiated-by them >/dev/null
c contact create --name 'Futurus Ltd' --type company --email office@futurus.example >/dev/null   # CT0001
c contact create --name 'Jörg Müller' --company CT0001 --email joerg@futurus.example >/dev/null  # CT0002
c contact create --name 'Ann Post' --address '1 High Street' --post-code AB1 --city Leeds >/dev/null  # CT0003: no email
c contact create --name 'Bo Line' --email bo@example.com >/dev/null                                  # CT0004
for n in 1 2 3 4 5; do
  c segment create --description "Mailing $n" >/dev/null  # SM0001..SM0005
  c segment add-line "SM000$n" CT0002 CT0003 CT0004 >/dev/null
  c segment set "SM000$n" --template BUS --subject 'Thank you for visiting' --salesperson JD >/dev/null
done
c segment set SM0001 --attachment "$WORK/thanks.txt" >/dev/null

# Refusals write nothing: no mail settings, bad settings, an inbound segment.
head=$(head_seq)
expect_exit 2 segment log SM0001 --send
eq "$(c logged-segment list --json | jq length)" 0 "refused --send logged nothing"
expect_exit 2 mail set --smtp http://127.0.0.1:25 --from news@crm.example
expect_exit 2 mail set --smtp smtp://127.0.0.1:99999 --from news@crm.example
expect_exit 2 mail set --smtp "smtp://127.0.0.1:$SMTP_PORT" --from 'not an address'
expect_exit 2 mail set --from news@crm.example  # the first setting needs the server
eq "$(head_seq)" "$head" "refused commands wrote nothing"
eq "$(c mail set --smtp "smtp://127.0.0.1:$SMTP_PORT" --from news@crm.example)" "mail settings changed" "mail set"
eq "$(c mail show --json | jq -c '[.smtp_url, .from, .outbox]')" "[\"smtp://127.0.0.1:$SMTP_PORT\",\"news@crm.example\",\"\"]" \
   "mail show"
c segment create --description 'Answers' >/dev/null  # SM0006
c segment add-line SM0006 CT0004 >/dev/null
c segment set SM0006 --template RESP >/dev/null
expect_exit 2 segment log SM0006 --send  # inbound: nothing to send

# Sending: two emails (merged text body and attachment), one letter for the contact without email.
out=$(c segment log SM0001 --send --json)
eq "$(printf '%s' "$out" | jq -c '[.logged_segment, .delivery.emails, .delivery.letters, .delivery.failed]')" \
   '["LS0001",2,1,0]' "2 emails sent, 1 letter written"
eq "$(smtp_count)" 2 "the server received 2 messages"
eq "$(c delivery list LS0001 --json | jq -c '[.[] | [.entry, .delivery.channel, .delivery.status, .delivery.attempts]]')" \
   '[["IE0001","email","delivered",1],["IE0002","letter","delivered",1],["IE0003","email","delivered",1]]' \
   "each entry's delivery recorded"
eq "$(c interactions --segment LS0001 --json | jq -r '[.[] | .delivery.status] | unique | .[]')" delivered \
   "the interaction log shows the delivery status"
msg=$(grep -l 'joerg@futurus.example' "$SMTP_MAILDIR"/new/*)
body=$(/usr/bin/python3 - "$msg" <<'PY'
import email, sys
from email import policy
m = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=policy.default)
parts = list(m.iter_parts())
print(m['Subject']); print(m['To']); print(m['Message-ID'])
print(parts[0].get_content().rstrip('\n').replace('\r', ''))
print(parts[1].get_filename())
PY
)
eq "$(printf '%s\n' "$body" | sed -n 1p)" 'Thank you for visiting' "subject"
eq "$(printf '%s\n' "$body" | sed -n 2p)" 'Jörg Müller <joerg@futurus.example>' "recipient with the contact's name (RFC 2047)"
eq "$(printf '%s\n' "$body" | sed -n 3p | grep -c '^<IE0001\.[0-9a-f]*@crm.example>$')" 1 "Message-ID names the entry"
eq "$(printf '%s\n' "$body" | sed -n 4,6p)" "$(printf 'Dear Jörg Müller,\ngreetings to Futurus Ltd. Tom & Jerry say hi.\nJane Doe')" \
   "body merged with the contact's, company's and salesperson's fields"
eq "$(printf '%s\n' "$body" | sed -n 7p)" thanks.txt "the document attached"
letter="$CRM_DATA/outbox/LS0001/IE0002-CT0003.txt"
eq "$(head -n 3 "$letter")" "$(printf 'Ann Post\n1 High Street\nAB1 Leeds')" "the letter opens with the address"
eq "$(grep -c 'Dear Ann Post,' "$letter")" 1 "the letter is merged"
eq "$(c delivery retry LS0001 --json | jq -c '[.delivery.emails, .delivery.letters, .delivery.done_before]')" '[0,0,3]' \
   "retry of a delivered segment sends nothing"
eq "$(smtp_count)" 2 "still 2 messages"

# HTML documents are the HTML body, values escaped; a binary attachment travels as it is.
c contact set CT0004 --name 'Bo <Line>' >/dev/null
c segment set SM0002 --attachment "$WORK/invite.html" >/dev/null
c segment log SM0002 --send >/dev/null
msg=$(grep -l 'LS0002\|IE0006\.' "$SMTP_MAILDIR"/new/* | xargs grep -l 'bo@example.com')
eq "$(/usr/bin/python3 -c "
import email, sys
from email import policy
m = email.message_from_binary_file(open('$msg', 'rb'), policy=policy.default)
b = next(m.iter_parts())
print(b.get_content_type(), b.get_content().strip())")" 'text/html <p>Dear Bo &lt;Line&gt;,</p><p>Thank you for visiting</p>' \
   "HTML body with escaped values"
c segment set SM0003 --attachment "$WORK/brochure.pdf" >/dev/null
c segment log SM0003 --send >/dev/null
msg=$(grep -l 'IE0009\.' "$SMTP_MAILDIR"/new/*)
eq "$(/usr/bin/python3 -c "
import email, sys
from email import policy
m = email.message_from_binary_file(open('$msg', 'rb'), policy=policy.default)
p = list(m.iter_parts())
print(p[0].get_content().splitlines()[0], p[1].get_content_type(), p[1].get_content() == open('$WORK/brochure.pdf','rb').read())")" \
   'Dear Bo <Line>, application/pdf True' "a PDF is attached unchanged under a cover text"
eq "$(cmp "$CRM_DATA/outbox/LS0003/IE0008-CT0003-brochure.pdf" "$WORK/brochure.pdf" && echo same)" same \
   "a letter's binary attachment is copied beside it"

# The server unreachable: each email recorded failed with the reason, exit 4, the log stands.
dead=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
c mail set --smtp "smtp://127.0.0.1:$dead" >/dev/null
before=$(smtp_count)
expect_exit 4 segment log SM0004 --send
eq "$(c delivery list LS0004 --json | jq -c '[.[] | [.delivery.channel, .delivery.status]]')" \
   '[["email","failed"],["letter","delivered"],["email","failed"]]' "emails failed, the letter written"
eq "$(c delivery list LS0004 --json | jq -r '.[0].delivery.reason' | grep -c 'unreachable')" 1 "the reason is recorded"
eq "$(c interactions --segment LS0004 --json | jq length)" 3 "the log stands"
c mail set --smtp "smtp://127.0.0.1:$SMTP_PORT" >/dev/null
eq "$(c delivery retry LS0004 --json | jq -c '[.delivery.emails, .delivery.letters, .delivery.failed, .delivery.done_before]')" \
   '[2,0,0,1]' "retry delivers the failed emails"
eq "$(c delivery list LS0004 --json | jq -c '[.[] | .delivery.attempts]')" '[2,1,2]' "second attempts"
eq "$(smtp_count)" $((before + 2)) "each failed message delivered once"

# A broken template: each delivery fails with the reason; nothing is sent.
printf 'Dear {{name}}, {{#company_name}}unclosed\n' >"$WORK/broken.txt"
c segment set SM0005 --attachment "$WORK/broken.txt" >/dev/null
before=$(smtp_count)
expect_exit 2 segment log SM0005 --send  # a rule said no: exit 2
eq "$(c delivery list LS0005 --json | jq -r '.[0].delivery.reason')" \
   "cannot merge broken.txt: the template never closes section 'company_name'" "the merge error is the reason"
eq "$(smtp_count)" "$before" "nothing sent"

# Retry refusals; a canceled entry is not sent.
c segment log SM0006 >/dev/null  # LS0006, not sent
expect_exit 2 delivery retry LS0006
expect_exit 2 delivery retry LS0099
expect_exit 1 delivery retry SM0001
c interaction cancel IE0013 >/dev/null
eq "$(c delivery retry LS0005 --json 2>/dev/null | jq .delivery.done_before)" 1 "a canceled entry is left alone"

# The same command again (same command id) after a failed run: the log is answered as before and
# the sending goes on, recording new attempts.
c segment create --description 'Rerun' >/dev/null  # SM0007
c segment add-line SM0007 CT0002 CT0004 >/dev/null
c segment set SM0007 --template BUS --subject 'Again' >/dev/null
c mail set --smtp "smtp://127.0.0.1:$dead" >/dev/null
export CRM_COMMAND_ID=rerun-1
expect_exit 4 segment log SM0007 --send
c mail set --smtp "smtp://127.0.0.1:$SMTP_PORT" --command-id mail-again >/dev/null
before=$(smtp_count)
eq "$(c segment log SM0007 --send --json | jq -c '[.logged_segment, .delivery.emails, .delivery.failed]')" '["LS0007",2,0]' \
   "the same command again: the log answered, the emails sent"
unset CRM_COMMAND_ID
eq "$(smtp_count)" $((before + 2)) "each once"
eq "$(c delivery list LS0007 --json | jq -c '[.[] | .delivery.attempts]')" '[2,2]' "the rerun's own attempts"

# Consent: opted-out contacts leave segments and sends unless explicitly included; a bounce (by
# hand, or the server refusing the mailbox) turns emails into letters; a new address clears it.
c contact create --name 'Oda Out' --email oda@example.com --job-responsibility PURCHASE >/dev/null  # CT0005
c contact create --name 'Nils Nobody' --email nobody@example.com --job-responsibility PURCHASE >/dev/null  # CT0006
eq "$(c contact opt-out CT0005 --reason 'asked by phone')" "changed CT0005" "opt-out"
eq "$(c contact opt-out CT0005 --reason 'again')" "no change" "opting out twice changes nothing"
eq "$(c contact show CT0005 --json | jq -c '[.consent, .consent_reason, .opted_out]')" '["opted-out","asked by phone",true]' \
   "the contact shows its consent"
eq "$(c contact list --filter opted_out=yes --json | jq -c '[.[] | .no]')" '["CT0005"]' "filter on opted_out"
c segment create --description 'Consent' >/dev/null  # SM0008
eq "$(c segment add-contacts SM0008 --filter job_responsibility=PURCHASE --json | jq .lines)" 1 "add-contacts skips opted-out"
expect_exit 2 segment add-line SM0008 CT0005
c segment add-line SM0008 CT0005 --ignore-exclusion >/dev/null
c segment set SM0008 --template BUS --subject 'Consent' >/dev/null
before=$(smtp_count)
expect_exit 4 segment log SM0008 --send
eq "$(c delivery list LS0008 --json | jq -c '[.[] | [.contact, .delivery.status]]')" \
   '[["CT0005","failed"],["CT0006","failed"]]' "the opted-out contact is not sent to; the server refused nobody@"
eq "$(c delivery list LS0008 --json | jq -r '.[0].delivery.reason')" \
   'contact CT0005 opted out; --include-opted-out sends anyway' "the reason names the opt-out"
eq "$(c contact show CT0006 --json | jq -c '[.bounced, (.bounce_reason | test("550"))]')" '[true,true]' \
   "the refused mailbox is recorded as a bounce"
eq "$(smtp_count)" "$before" "nothing received"
out=$(c delivery retry LS0008 --include-opted-out --json)
eq "$(printf '%s' "$out" | jq -c '[.delivery.emails, .delivery.letters, .delivery.failed]')" '[1,1,0]' \
   "included explicitly: the opted-out contact mailed, the bounced one gets a letter"
eq "$(ls "$CRM_DATA/outbox/LS0008")" "IE0020-CT0006.txt" "the letter for the bounced address"
c contact set CT0006 --email nils@example.com >/dev/null
eq "$(c contact show CT0006 --json | jq .bounced)" false "a new address clears the bounce"
expect_exit 2 contact bounce CT0003  # no email address
c contact opt-in CT0005 >/dev/null
eq "$(c contact show CT0005 --json | jq -c '[.consent, .opted_out]')" '["opted-in",false]' "opt-in"

# A connection that breaks after the message was handed over: the outcome is unknown, the
# attempt stays open, and the retry sends it again under the same Message-ID (RFC 1047).
c contact create --name 'Sam Slow' --email slow@example.com >/dev/null  # CT0007
c segment create --description 'Slow' >/dev/null  # SM0009
c segment add-line SM0009 CT0007 >/dev/null
c segment set SM0009 --template BUS --subject 'Slow' >/dev/null
before=$(smtp_count)
CRM_SMTP_TIMEOUT=1 expect_exit 4 segment log SM0009 --send
eq "$(c delivery list LS0009 --json | jq -c '.[0].delivery | [.status, .stage, .attempts]')" '["in progress","in progress",1]' \
   "outcome unknown: the attempt stays open"
sleep 5  # the server answers the first copy
eq "$(c delivery retry LS0009 --json | jq -c '[.delivery.emails, .delivery.resent_unknown]')" '[1,1]' \
   "the retry sends it again and says so"
eq "$(smtp_count)" $((before + 2)) "the server has it twice"
eq "$(smtp_message_ids | tail -n 2 | uniq | wc -l)" 1 "both copies under the same Message-ID"
CRM_SMTP_TIMEOUT=soon expect_exit 2 delivery retry LS0009
c segment create --description 'Timeout' >/dev/null  # SM0010
c segment add-line SM0010 CT0004 >/dev/null
c segment set SM0010 --template BUS --subject 'Timeout' >/dev/null
head=$(head_seq)
CRM_SMTP_TIMEOUT=0 expect_exit 2 segment log SM0010 --send
eq "$(CRM_SMTP_TIMEOUT=0 "$CRMCTL" segment log SM0010 --send 2>&1 | grep -c 'CRM_SMTP_TIMEOUT must be')" 1 "named"
eq "$(head_seq)" "$head" "a bad CRM_SMTP_TIMEOUT is refused before anything is written"
eq "$(c delivery list LS0005 --json | jq -c '[.[] | .delivery.attempts]')" '[1,1,1]' \
   "a rule failure repeated by a retry records nothing new"

eq "$(c ledger verify --json | jq .ok)" true "ledger verifies"
eq "$(c projections rebuild --check --json | jq .identical)" true "projections equal a rebuild"
finish
