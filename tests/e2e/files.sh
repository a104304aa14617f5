#!/usr/bin/env bash
# The files people really have (issue 18), imported in either ledger mode (kafka.sh runs it
# against the mock cluster too), each fixture made by another program:
#   - CSV as Excel saves it in a Danish or German locale (Windows-1252, `;`, made by iconv):
#     detected, read as UTF-8, and the report names the encoding; --encoding reads it as given;
#     an unknown encoding, or one given for a workbook, is a usage error;
#   - UTF-16 text with a byte-order mark (Excel's "Unicode text", tab-separated);
#   - a legacy .xls workbook written by python3-xlwt: text with accents, the first sheet only;
#     a file that is not a workbook is refused, naming it, with nothing written.
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

c projections rebuild --check >/dev/null
finish
