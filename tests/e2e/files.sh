#!/usr/bin/env bash
# The files people really have (issue 18), imported in either ledger mode (kafka.sh runs it
# against the mock cluster too), each fixture made by another program:
#   - CSV as Excel saves it in a Danish or German locale (Windows-1252, `;`, made by iconv):
#     detected, read as UTF-8, and the report names the encoding; --encoding reads it as given;
#     an unknown encoding, or one given for a workbook, is a usage error;
#   - UTF-16 text with a byte-order mark (Excel's "Unicode text", tab-separated);
#   - a legacy .xls workbook written by python3-xlwt: text with accents, the first sheet only;
#     a file that is not a workbook is refused, naming it, with nothing written;
#   - a letter template in Word (.docx, written by python3-docx: tests/io/fixtures/letter.docx, a
#     placeholder split over runs of different formatting): merged per contact, as the letter
#     (IExxxx-CTxxxx.docx in the outbox) and as the email's attachment when the segment says
#     `--word-attachments yes` (else the document's text is the body), read back by
#     python3-docx; a template with a section is refused at delivery, the reason recorded.
CRMCTL=$1
source "$(dirname "$0")/lib.sh"

c init >/dev/null
work=$(mktemp -d /tmp/crm-files-XXXXXX)
on_exit 'rm -rf "$work"'

# Windows-1252 with `;` separators and decimal commas, as Excel writes "CSV (semicolon)" in da-DK.
printf 'Navn;E-mail;By;Beløb\r\nÅse Østergård;ase@example.dk;København;1.234,50\r\nJürgen Müller;jm@example.de;Köln;€ 12,00\r\n' |
  iconv -f UTF-8 -t WINDOWS-1252 > "$work/kunder.csv"
out=$(c import contacts "$work/kunder.csv" --map Navn=name --map By=city --map 'Beløb=' --json)
eq "$(jq -r '[.created, .encoding, .encoding_detected] | @tsv' <<<"$out")" $'2\tWINDOWS-1252\ttrue' \
  "a Windows-1252 file is detected, and the report says so"
eq "$(c contact list --json | jq -r '[.[] | .name + "|" + .city] | join(",")')" \
  "Åse Østergård|København,Jürgen Müller|Köln" "names and cities read as UTF-8"
eq "$(c import contacts "$work/kunder.csv" --map Navn=name --map By=city --map 'Beløb=' --duplicates overwrite --dry-run | grep -c '^text read as WINDOWS-1252, detected')" 1 \
  "the text report names the encoding"
eq "$(c import contacts "$work/kunder.csv" --map Navn=name --map By=city --map 'Beløb=' --encoding iso-8859-1 --dry-run --json |
  jq -r '[.encoding, .encoding_detected] | @tsv')" $'iso-8859-1\tfalse' "--encoding reads it as given"
before=$(head_seq)
expect_exit 1 import contacts "$work/kunder.csv" --map Navn=name --encoding klingon
eq "$(c import contacts "$work/kunder.csv" --map Navn=name --encoding klingon 2>&1 >/dev/null)" \
  "error: --encoding: unknown text encoding 'klingon' (windows-1252, iso-8859-1, utf-16, ...: \`iconv -l\` lists them)" \
  "an unknown encoding is named"
eq "$(c import contacts "$work/kunder.csv" --map Navn=name --encoding ascii 2>&1 >/dev/null)" \
  "error: $work/kunder.csv:1: bytes that are not ascii text (give --encoding to read it as another)" \
  "text that is not in the given encoding is refused at its line (the header's ø)"
eq "$(head_seq)" "$before" "refused imports write nothing"

# UTF-16 with a byte-order mark, tab-separated.
printf 'Name\tEmail\nÞóra Ásgeirsdóttir\tthora@example.is\n' | iconv -f UTF-8 -t UTF-16 > "$work/unicode.txt"
eq "$(c import contacts "$work/unicode.txt" --format csv --json | jq -r '[.created, .encoding] | @tsv')" $'1\tUTF-16LE' \
  "UTF-16 text is read"
eq "$(c contact list --filter 'email=thora@example.is' --json | jq -r '.[0].name')" "Þóra Ásgeirsdóttir" "its name as written"

# A legacy Excel workbook written by python3-xlwt.
/usr/bin/python3 - "$work/kontakter.xls" <<'PY'
import datetime, sys
import xlwt
book = xlwt.Workbook(encoding='utf-8')
sheet = book.add_sheet('Kontakter')
for col, name in enumerate(['Name', 'E-mail Address', 'City', 'Since']):
    sheet.write(0, col, name)
sheet.write(1, 0, 'Ærlig Ødegård'); sheet.write(1, 1, 'aerlig@example.no'); sheet.write(1, 2, 'Tromsø')
sheet.write(1, 3, datetime.date(2024, 3, 1), xlwt.easyxf(num_format_str='YYYY-MM-DD'))
sheet.write(3, 0, 'Søren Kierkegaard'); sheet.write(3, 1, 'soren@example.dk')
book.add_sheet('Other').write(0, 0, 'not read')
book.save(sys.argv[1])
PY
out=$(c import contacts "$work/kontakter.xls" --json)
eq "$(jq -r '[.created, .failed, (.ignored_columns | join(","))] | @tsv' <<<"$out")" $'2\t0\tSince' \
  "an .xls workbook imports its first sheet"
eq "$(c contact list --filter 'city=Tromsø' --json | jq -r '.[0].name')" "Ærlig Ødegård" "its text as written"
printf 'not,a,workbook\n' > "$work/fake.xls"
before=$(head_seq)
eq "$(c import contacts "$work/fake.xls" 2>&1 >/dev/null)" \
  "error: $work/fake.xls: not an Excel 97-2003 workbook (.xls; an .xlsx file is read as xlsx)" "a fake .xls is refused"
expect_exit 1 import contacts "$work/kontakter.xls" --encoding latin1
eq "$(head_seq)" "$before" "and nothing is written"

# Letters from a Word template, merged per contact, as letters and as email attachments.
start_smtp "$work/maildir"
c mail set --smtp "smtp://127.0.0.1:$SMTP_PORT" --from news@crm.example >/dev/null
c salesperson add JD --name 'Jane Doe' --email jane@crm.example >/dev/null
c interaction-template add LTR --description 'Letter' --correspondence email >/dev/null
fixtures="$(cd "$(dirname "$0")/../io/fixtures" && pwd)"  # letter.docx, sections.docx: make_python_docx.py
letter_to=$(c contact create --name 'Åse Post' --city 'Tromsø')                          # no email: a letter
mail_to=$(c contact create --name 'Bo Line' --email bo@example.com --city 'Bodø')        # an email
seg=$(c segment create --description 'Word letters')
c segment add-line "$seg" "$letter_to" "$mail_to" >/dev/null
c segment set "$seg" --template LTR --subject 'Invitation' --salesperson JD --attachment "$fixtures/letter.docx" \
  --word-attachments yes >/dev/null
eq "$(c segment show "$seg" --json | jq -r .word_as_attachment)" true "the segment's switch is set"
out=$(c segment log "$seg" --send --json)
eq "$(jq -c '[.delivery.emails, .delivery.letters, .delivery.failed]' <<<"$out")" '[1,1,0]' "one email, one letter"
ls_no=$(jq -r .logged_segment <<<"$out")
letter=$(ls "$CRM_DATA/outbox/$ls_no/"*"-$letter_to.docx")
read_docx() {  # the text of a .docx (paragraphs, then the header), as python3-docx reads it
  /usr/bin/python3 -c 'import docx, sys
d = docx.Document(sys.argv[1])
print("\n".join(p.text for p in d.paragraphs)); print(d.sections[0].header.paragraphs[0].text)
print([r.text for r in d.paragraphs[0].runs if r.bold])' "$1"
}
eq "$(read_docx "$letter" | sed '$d')" \
  "$(printf 'Dear Åse Post,\nThank you for visiting us in Tromsø on 2027-01-10.\nYour number: %s\nKind regards\nFrom Jane Doe' "$letter_to")" \
  "the letter is the Word document merged, header too"
eq "$(read_docx "$letter" | tail -n 1)" "[',']" "the bold run keeps its formatting and its own text"
msg=$(grep -l 'bo@example.com' "$SMTP_MAILDIR"/new/*)
/usr/bin/python3 - "$msg" "$work/attached.docx" <<'PY'
import email, sys
from email import policy
m = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=policy.default)
part = [p for p in m.iter_attachments()][0]
open(sys.argv[2], 'wb').write(part.get_content())
PY
eq "$(read_docx "$work/attached.docx" | sed -n 1,2p)" "$(printf 'Dear Bo Line,\nThank you for visiting us in Bodø on 2027-01-10.')" \
  "the email carries the Word document merged"
# Without the switch (Business Central's default) the document's text is the email's body.
seg_body=$(c segment create --description 'Word as body')
c segment add-line "$seg_body" "$mail_to" >/dev/null
c segment set "$seg_body" --template LTR --subject 'In the body' --attachment "$fixtures/letter.docx" >/dev/null
c segment log "$seg_body" --send >/dev/null
msg=$(grep -l 'In the body' "$SMTP_MAILDIR"/new/*)
eq "$(/usr/bin/python3 - "$msg" <<'PY'
import email, sys
from email import policy
m = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=policy.default)
print(len(list(m.iter_attachments())))
print(m.get_body(('plain',)).get_content().replace('\r', '').splitlines()[0])
PY
)" "$(printf '0\nDear Bo Line,')" "without the switch the merged document's text is the body, nothing attached"

seg2=$(c segment create --description 'Broken template')
c segment add-line "$seg2" "$letter_to" >/dev/null
c segment set "$seg2" --template LTR --subject 'Broken' --attachment "$fixtures/sections.docx" >/dev/null
out=$(c segment log "$seg2" --send --json 2>/dev/null || true)
eq "$(jq -c '[.delivery.letters, .delivery.refused]' <<<"$out")" '[0,1]' "a template with a section is refused at delivery"
eq "$(c delivery list "$(jq -r .logged_segment <<<"$out")" --json | jq -r '.[0].delivery.reason' | grep -c 'sections are for text documents')" 1 \
  "and says why"

c projections rebuild --check >/dev/null
finish
