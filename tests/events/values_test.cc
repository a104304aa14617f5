// Value types and record numbers: parsing is strict, formatting canonical, round trips exact.
#include <doctest/doctest.h>

#include "events/edit_distance.h"
#include "events/ids.h"
#include "events/quote.h"
#include "events/text_fold.h"
#include "events/values.h"

namespace crm {

TEST_CASE("money parses exact decimals and formats with two places") {
  CHECK(ParseMoney("1250.50")->value() == 125050);
  CHECK(ParseMoney("1250.5")->value() == 125050);
  CHECK(ParseMoney("-3")->value() == -300);
  CHECK(ParseMoney("0.01")->value() == 1);
  CHECK(FormatMoney(Money(2250)) == "22.50");
  CHECK(FormatMoney(Money(-5)) == "-0.05");
  CHECK(FormatMoney(Money(0)) == "0.00");
  for (const char* bad : {"", "1,5", "1.505", "abc", "1.", ".", "--1", "1e3", "12 000"}) {
    INFO(bad);
    CHECK(ParseMoney(bad).status().code() == StatusCode::kInvalidArgument);
  }
  CHECK(ParseMoney("99999999999999999999").status().code() == StatusCode::kInvalidArgument);
}

TEST_CASE("fixed-point parsing never overflows, whatever the scale") {
  CHECK(ParseFixed("92233720368", 6, "number").ok());
  CHECK_FALSE(ParseFixed("9223372036854775807", 6, "number").ok());
  CHECK_FALSE(ParseFixed("9999999999999999", 6, "number").ok());
}

TEST_CASE("percentages parse with up to three decimals") {
  CHECK(ParsePercent("12.5")->value() == 12500);
  CHECK(FormatPercent(Percent(12500)) == "12.5");
  CHECK(PercentAsDouble(Percent(40000)) == doctest::Approx(40.0));
  CHECK(ParsePercent("-1")->value() == -1000);  // the range is the campaign rule's, not the parser's
  CHECK_FALSE(ParsePercent("12.3456").ok());
  CHECK_FALSE(ParsePercent("ten").ok());
}

TEST_CASE("dates are ISO calendar dates") {
  CHECK(FormatDate(*ParseDate("2027-01-10")) == "2027-01-10");
  CHECK(ParseDate("2024-02-29").ok());
  CHECK_FALSE(ParseDate("2027-02-29").ok());
  CHECK_FALSE(ParseDate("2027-13-01").ok());
  CHECK_FALSE(ParseDate("2027-1-10").ok());
  CHECK_FALSE(ParseDate("10.01.2027").ok());
  CHECK(*ParseDate("1970-01-01") == Date(0));
  CHECK(*ParseDate("1969-12-31") == Date(-1));
}

TEST_CASE("timestamps are UTC with optional fraction and offset") {
  const Timestamp t = *ParseTimestamp("2027-01-10T09:00:00Z");
  CHECK(FormatTimestamp(t) == "2027-01-10T09:00:00Z");
  CHECK(*ParseTimestamp("2027-01-10T10:00:00+01:00") == t);
  CHECK(FormatTimestamp(*ParseTimestamp("2027-01-10T09:00:00.25Z")) == "2027-01-10T09:00:00.250000Z");
  CHECK(*ParseTimestamp("2027-01-10") == *ParseTimestamp("2027-01-10T00:00:00Z"));
  CHECK(FormatDate(DateOf(t)) == "2027-01-10");
  for (const char* bad : {"2027-01-10T25:00:00Z", "2027-01-10T09:00Z", "2027-01-10T09:00:00", "now"}) {
    INFO(bad);
    CHECK_FALSE(ParseTimestamp(bad).ok());
  }
}

TEST_CASE("record numbers: prefix, at least four digits, width grows past 9999") {
  CHECK(RecordNo(RecordKind::kCampaign, 1).ToString() == "CP0001");
  CHECK(RecordNo(RecordKind::kCampaign, 10000).ToString() == "CP10000");
  CHECK(RecordNo(RecordKind::kContact, 123).ToString() == "CT0123");
  CHECK(RecordNo(RecordKind::kInteraction, 9999).ToString() == "IE9999");
  CHECK(RecordNo(RecordKind::kLead, UINT64_MAX).ToString() == "LD18446744073709551615");
  CHECK(RecordNo::Parse("ct0042")->ToString() == "CT0042");
  CHECK(RecordNo::Parse("LD10000")->counter() == 10000);
  CHECK(RecordNo(RecordKind::kContact, 7).Stream().value() == "contact/CT0007");
  for (const char* bad : {"CP1", "CP00001", "CP0000", "XX0001", "CP00a1", ""}) {
    INFO(bad);
    CHECK_FALSE(RecordNo::Parse(bad).ok());
  }
  CHECK(RecordNo::Parse("CT0001", RecordKind::kCampaign).status().code() == StatusCode::kInvalidArgument);
}

TEST_CASE("echoed input: quoted, escaped, shortened; error lines one line and bounded") {
  CHECK(Quote("CT0001") == "'CT0001'");
  CHECK(Quote("CT\n0001") == "'CT\\n0001'");
  CHECK(Quote("\x1b[31mred") == "'\\x1b[31mred'");
  CHECK(Quote("\xc2\x9b" "2J") == "'\\u009b2J'");  // a C1 control (CSI) in UTF-8
  CHECK(Quote("Nordmann \xc3\xa6\xc3\xb8\xc3\xa5") == "'Nordmann \xc3\xa6\xc3\xb8\xc3\xa5'");
  const std::string long_input(100000, 'x');
  CHECK(Quote(long_input) == "'" + std::string(40, 'x') + "'... (100000 bytes)");
  CHECK(OneLine("a\nb\tc") == "a\\nb\\tc");
  const std::string cut = OneLine(std::string(1000, 'y'), 600);
  CHECK(cut == std::string(600, 'y') + "... (400 more bytes)");
  // A bad lead byte cannot carry a control character past the escaping.
  CHECK(Quote("a\xc3\nb") == "'a\\xc3\\nb'");
  CHECK(Quote("\xe2\x1b[2J") == "'\\xe2\\x1b[2J'");
  // Never a split character: a two-byte letter at the boundary moves whole to the rest.
  CHECK(OneLine("ab\xc3\xa6", 3) == "ab... (2 more bytes)");
}

TEST_CASE("record numbers of an expected kind: entries by their integer, errors with an example of the kind") {
  CHECK(RecordNo::Parse("21", RecordKind::kInteraction).value() == RecordNo(RecordKind::kInteraction, 21));
  CHECK(RecordNo::Parse("7", RecordKind::kCampaignEntry).value() == RecordNo(RecordKind::kCampaignEntry, 7));
  CHECK(RecordNo::Parse("IE0021", RecordKind::kInteraction).value() == RecordNo(RecordKind::kInteraction, 21));
  CHECK(RecordNo::Parse("X21", RecordKind::kInteraction).status().message() ==
        "'X21' is not an interaction entry number (like IE0001)");
  CHECK(RecordNo::Parse("21", RecordKind::kContact).status().message() == "'21' is not a contact number (like CT0021)");
  CHECK(RecordNo::Parse("CP0001", RecordKind::kLoggedSegment).status().message() ==
        "'CP0001' is not a logged segment number (like LS0001)");
  CHECK(RecordNo::Parse("0", RecordKind::kInteraction).status().code() == StatusCode::kInvalidArgument);
}

TEST_CASE("edit distance: one for an insertion, a deletion, a substitution or a swap, case aside") {
  CHECK(EditDistance("city", "city") == 0);
  CHECK(EditDistance("cty", "city") == 1);
  CHECK(EditDistance("Staus", "status") == 1);
  CHECK(EditDistance("ctiy", "city") == 1);
  CHECK(EditDistance("lsit", "list") == 1);
  CHECK(EditDistance("CONTACT", "contct") == 1);
  CHECK(EditDistance("kitten", "sitting") == 3);
  CHECK(EditDistance("", "abc") == 3);
  CHECK(EditDistance("abc", "") == 3);
}

TEST_CASE("search folds case and accents as Unicode does") {
  CHECK(FoldForSearch("ÅSE Berg") == "ase berg");
  CHECK(FoldForSearch("Jürgen MÜLLER") == "jurgen muller");
  CHECK(FoldForSearch("Straße") == "strasse");
  CHECK(FoldForSearch("Ødegård") == "ødegard");  // ø is a letter of its own, not o with a mark
  CHECK(FoldForSearch("ÉLODIE") == "elodie");
  CHECK(FoldForSearch("plain ASCII") == "plain ascii");
  CHECK(FoldForSearch("Jos\xe9") == "jos\xe9");  // not UTF-8: bytes as they are, ASCII lowered
  CHECK(ContainsFolded("Ola Nordmann", FoldForSearch("NORD")));
  CHECK(ContainsFolded("ÅSE", FoldForSearch("åse")));
  CHECK_FALSE(ContainsFolded("Per Hansen", FoldForSearch("nord")));
  CHECK(ContainsFolded("anything", ""));
}

}  // namespace crm
