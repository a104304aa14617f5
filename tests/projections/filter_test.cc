// Tests for the filter engine (projections/filter.h): every grammar form, each field type, the
// canonical form and the exact error messages, over one schema with every field type.
#include "projections/filter.h"

#include <doctest/doctest.h>

#include <initializer_list>
#include <map>
#include <string>
#include <vector>

namespace crm {
namespace {

const FieldSchema& Schema() {
  static const FieldSchema schema({
      {"city", FieldType::kText, false},
      {"name", FieldType::kText, false},
      {"status", FieldType::kCode, false},
      {"job_responsibility", FieldType::kCode, true},
      {"tags", FieldType::kText, true},
      {"created_on", FieldType::kDate, false},
      {"amount", FieldType::kNumber, false},
      {"opted_out", FieldType::kBool, false},
  });
  return schema;
}

// A record given as field name -> values; fields not given are unset ("" or no values).
class Row : public FilterRecord {
 public:
  using Entry = std::pair<const std::string, std::vector<std::string>>;
  Row(std::initializer_list<Entry> values) : values_(values) {}
  void Values(int field, std::vector<std::string>* out) const override {
    const FieldDef& def = Schema().fields()[static_cast<size_t>(field)];
    auto it = values_.find(def.name);
    if (it != values_.end()) {
      out->insert(out->end(), it->second.begin(), it->second.end());
    } else if (!def.multi) {
      out->push_back("");
    }
  }

 private:
  std::map<std::string, std::vector<std::string>> values_;
};

Filter MustParse(const std::vector<std::string>& args) {
  auto filter = Filter::Parse(args, Schema());
  INFO(filter.status().ToString());
  REQUIRE(filter.ok());
  return std::move(filter).value();
}

// Does the single argument `arg` match the row?
bool Match(const std::string& arg, const Row& row) { return MustParse({arg}).Matches(row); }

// Whether `arg` (FIELD=EXPR on a single-valued field) matches a record whose value is `value`.
bool MatchValue(const std::string& arg, const std::string& value) {
  const std::string field = arg.substr(0, arg.find('='));
  return Match(arg, Row({{field, {value}}}));
}

std::string ParseError(const std::vector<std::string>& args) {
  auto filter = Filter::Parse(args, Schema());
  REQUIRE_FALSE(filter.ok());
  CHECK(filter.status().code() == StatusCode::kInvalidArgument);
  return filter.status().message();
}

std::string CanonicalOf(const std::vector<std::string>& args) { return MustParse(args).Canonical(); }

TEST_CASE("no arguments match everything") {
  Filter filter = MustParse({});
  CHECK(filter.empty());
  CHECK(filter.Fields().empty());
  CHECK(filter.Canonical() == "");
  CHECK(filter.Matches(Row({})));
  CHECK(filter.Matches(Row({{"city", {"Oslo"}}})));
  CHECK(Filter().empty());
  CHECK(Filter().Matches(Row({})));
}

TEST_CASE("text equality is exact and case-sensitive; '@' folds case") {
  CHECK(MatchValue("city=Oslo", "Oslo"));
  CHECK_FALSE(MatchValue("city=Oslo", "oslo"));
  CHECK_FALSE(MatchValue("city=Oslo", "Oslo2"));
  CHECK_FALSE(MatchValue("city=Oslo", ""));
  CHECK(MatchValue("city=@oslo", "OSLO"));
  CHECK(MatchValue("city=@OSLO", "oslo"));
  CHECK(MatchValue("city=@ <>oslo", "Bergen"));
  CHECK_FALSE(MatchValue("city=@<>oslo", "Oslo"));
  CHECK(MatchValue("city=New York", "New York"));
}

TEST_CASE("or, not and the empty value") {
  CHECK(MatchValue("city=Oslo|Bergen", "Bergen"));
  CHECK(MatchValue("city=Oslo|Bergen", "Oslo"));
  CHECK_FALSE(MatchValue("city=Oslo|Bergen", "Trondheim"));
  CHECK(MatchValue("city=<>Oslo", "Bergen"));
  CHECK(MatchValue("city=<>Oslo", ""));
  CHECK_FALSE(MatchValue("city=<>Oslo", "Oslo"));
  CHECK(MatchValue("city=''", ""));
  CHECK_FALSE(MatchValue("city=''", "Oslo"));
  CHECK(MatchValue("city=<>''", "Oslo"));
  CHECK_FALSE(MatchValue("city=<>''", ""));
  CHECK(MatchValue("city=''|Oslo", ""));
  CHECK(MatchValue("city=<>Oslo&<>Bergen", "Bodø"));
  CHECK_FALSE(MatchValue("city=<>Oslo&<>Bergen", "Bergen"));
}

TEST_CASE("wildcards") {
  CHECK(MatchValue("city=Ol*", "Olsen"));
  CHECK(MatchValue("city=Ol*", "Ol"));
  CHECK_FALSE(MatchValue("city=Ol*", "Oslo"));
  CHECK(MatchValue("name=*sen", "Hansen"));
  CHECK_FALSE(MatchValue("name=*sen", "Hansens"));
  CHECK(MatchValue("name=*a*", "Karl"));
  CHECK_FALSE(MatchValue("name=*a*", "Ole"));
  CHECK(MatchValue("name=*", ""));
  CHECK(MatchValue("name=a*b*c", "aXbYbZc"));  // needs backtracking past the first 'b'
  CHECK_FALSE(MatchValue("name=a*b*c", "aXbYbZ"));
  CHECK(MatchValue("name=**x**", "x"));
  CHECK(MatchValue("name=@ol*", "OLSEN"));
  CHECK_FALSE(MatchValue("name=ol*", "OLSEN"));
  CHECK(MatchValue("name=<>Ol*", "Hansen"));
  CHECK_FALSE(MatchValue("name=<>Ol*", "Olsen"));
  CHECK(MatchValue("name='a b*'", "a bc"));  // quotes protect delimiters, not the wildcard
  // In comparisons and ranges '*' is an ordinary character.
  CHECK(MatchValue("name=>a*", "a+"));
  CHECK_FALSE(MatchValue("name=>a*", "a)"));
}

TEST_CASE("text ranges and comparisons are byte-wise and inclusive") {
  CHECK(MatchValue("name=B..D", "B"));
  CHECK(MatchValue("name=B..D", "Cxx"));
  CHECK(MatchValue("name=B..D", "D"));
  CHECK_FALSE(MatchValue("name=B..D", "Da"));
  CHECK_FALSE(MatchValue("name=B..D", "A"));
  CHECK_FALSE(MatchValue("name=B..D", "b"));
  CHECK(MatchValue("name=@b..d", "c"));
  CHECK(MatchValue("name=M..", "Zed"));
  CHECK_FALSE(MatchValue("name=M..", "Ann"));
  CHECK(MatchValue("name=..M", "Ann"));
  CHECK(MatchValue("name=..M", ""));
  CHECK_FALSE(MatchValue("name=..M", "Ma"));
  CHECK(MatchValue("name=>M", "Ma"));
  CHECK_FALSE(MatchValue("name=>M", "M"));
  CHECK(MatchValue("name=>=M", "M"));
  CHECK(MatchValue("name=<M", "L"));
  CHECK_FALSE(MatchValue("name=<M", "M"));
  CHECK(MatchValue("name=<=M", "M"));
  CHECK(MatchValue("name=>''", "x"));
  CHECK_FALSE(MatchValue("name=>''", ""));
}

TEST_CASE("combined forms") {
  const std::string arg = "name=Ann|C..E|>X";
  CHECK(MatchValue(arg, "Ann"));
  CHECK(MatchValue(arg, "C"));
  CHECK(MatchValue(arg, "Dora"));
  CHECK(MatchValue(arg, "E"));
  CHECK(MatchValue(arg, "Y"));
  CHECK_FALSE(MatchValue(arg, "Anna"));
  CHECK_FALSE(MatchValue(arg, "F"));
  CHECK_FALSE(MatchValue(arg, "X"));
  CHECK(MatchValue("amount=>=10&<=20", "10"));
  CHECK(MatchValue("amount=>=10&<=20", "20.000"));
  CHECK_FALSE(MatchValue("amount=>=10&<=20", "20.01"));
  CHECK_FALSE(MatchValue("amount=>=10&<=20", "9.999999"));
  // '&' binds tighter than '|'.
  CHECK(MatchValue("amount=1|>=10&<=20", "1"));
  CHECK(MatchValue("amount=1|>=10&<=20", "15"));
  CHECK_FALSE(MatchValue("amount=1|>=10&<=20", "25"));
  CHECK(MatchValue("name=@a*&@<>anna|Z*", "ANDERS"));
  CHECK_FALSE(MatchValue("name=@a*&@<>anna|Z*", "Anna"));
  CHECK(MatchValue("name=@a*&@<>anna|Z*", "Zoe"));
  // '@' goes before the operator; after it, it is part of the value.
  CHECK(MatchValue("name=<>@anna", "Anna"));
  CHECK_FALSE(MatchValue("name=<>@anna", "@anna"));
}

TEST_CASE("code fields compare upper-cased") {
  CHECK(MatchValue("status=purchase", "PURCHASE"));
  CHECK(MatchValue("status=PURCHASE", "purchase"));
  CHECK(MatchValue("status=pur*", "PURCHASE"));
  CHECK(MatchValue("status=<>purchase", "LOST"));
  CHECK_FALSE(MatchValue("status=<>purchase", "Purchase"));
  CHECK(MatchValue("status=a..m", "LOST"));
  CHECK_FALSE(MatchValue("status=a..m", "WON"));
  CHECK(CanonicalOf({"status=pur*|<>won|a..m"}) == "status=PUR*|<>WON|A..M");
}

TEST_CASE("multi-valued fields match when one value satisfies the expression") {
  const Row sales_it({{"job_responsibility", {"IT", "SALES"}}});
  const Row sales({{"job_responsibility", {"SALES"}}});
  const Row none({{"job_responsibility", {}}});
  CHECK(Match("job_responsibility=sales", sales_it));
  CHECK(Match("job_responsibility=MARKETING|it", sales_it));
  CHECK_FALSE(Match("job_responsibility=MARKETING", sales_it));
  CHECK(Match("job_responsibility=<>SALES", sales_it));  // IT differs from SALES
  CHECK_FALSE(Match("job_responsibility=<>SALES", sales));
  CHECK_FALSE(Match("job_responsibility=SALES&IT", sales_it));  // no single value is both
  CHECK(Match("job_responsibility=''", none));
  CHECK_FALSE(Match("job_responsibility=''", sales));
  CHECK(Match("job_responsibility=<>''", sales));
  CHECK_FALSE(Match("job_responsibility=<>''", none));
  CHECK(Match("job_responsibility=<>SALES", none));
  CHECK(Match("tags=*vip*", Row({{"tags", {"new", "gold VIP", "x-vip-2"}}})));
  CHECK_FALSE(Match("tags=*VIP*", Row({{"tags", {"new", "x-vip-2"}}})));
}

TEST_CASE("dates compare as dates") {
  CHECK(MatchValue("created_on=2027-01-10", "2027-01-10"));
  CHECK_FALSE(MatchValue("created_on=2027-01-10", "2027-01-11"));
  CHECK(MatchValue("created_on=2027-01-01..2027-01-31", "2027-01-31"));
  CHECK_FALSE(MatchValue("created_on=2027-01-01..2027-01-31", "2027-02-01"));
  CHECK(MatchValue("created_on=2027-01-01..", "2030-01-01"));
  CHECK(MatchValue("created_on=..2026-12-31", "1999-12-31"));
  CHECK(MatchValue("created_on=>2024-02-28", "2024-02-29"));
  CHECK(MatchValue("created_on=<=2024-02-29", "2024-02-29"));
  CHECK(MatchValue("created_on=''", ""));
  CHECK(MatchValue("created_on=<>''", "2027-01-10"));
  CHECK(MatchValue("created_on=<>2027-01-10", "2027-01-11"));
  // A record value that is not a date (unset or garbage) satisfies no comparison, not even <>.
  CHECK_FALSE(MatchValue("created_on=<>2027-01-10", ""));
  CHECK(MatchValue("created_on=<>2027-01-10|''", ""));
  CHECK_FALSE(MatchValue("created_on=..2030-01-01", "soon"));
  CHECK_FALSE(MatchValue("created_on=<>2027-01-10", "2027-02-30"));
  CHECK(MatchValue("created_on=<>''", "soon"));
}

TEST_CASE("numbers compare as exact decimals") {
  CHECK(MatchValue("amount=10", "10.00"));
  CHECK(MatchValue("amount=10.5", "10.500000"));
  CHECK_FALSE(MatchValue("amount=10.5", "10.500001"));
  CHECK(MatchValue("amount=1.5..2.5", "2.5"));
  CHECK(MatchValue("amount=1.5..2.5", "1.5"));
  CHECK_FALSE(MatchValue("amount=1.5..2.5", "2.51"));
  CHECK(MatchValue("amount=<0", "-0.000001"));
  CHECK(MatchValue("amount=-5..-1", "-3"));
  CHECK(MatchValue("amount=>9", "10"));  // not a string comparison
  CHECK(MatchValue("amount=999999999999.999999", "999999999999.999999"));
  CHECK_FALSE(MatchValue("amount=>0", "abc"));
  CHECK_FALSE(MatchValue("amount=>0", "1.2.3"));
  CHECK_FALSE(MatchValue("amount=>0", "1.0000001"));
  CHECK_FALSE(MatchValue("amount=>0", "10000000000000000000"));  // too large: not a number
  CHECK(MatchValue("amount=''", ""));
}

TEST_CASE("booleans") {
  CHECK(MatchValue("opted_out=yes", "true"));
  CHECK(MatchValue("opted_out=YES", "1"));
  CHECK(MatchValue("opted_out=True", "Yes"));
  CHECK(MatchValue("opted_out=no", "0"));
  CHECK(MatchValue("opted_out=0", "FALSE"));
  CHECK_FALSE(MatchValue("opted_out=no", "yes"));
  CHECK(MatchValue("opted_out=<>no", "yes"));
  CHECK_FALSE(MatchValue("opted_out=<>no", "maybe"));
  CHECK(MatchValue("opted_out=yes|''", ""));
  CHECK(ParseError({"opted_out=maybe"}) ==
        "filter opted_out: 'maybe' is not yes/no (yes, no, true, false, 1, 0) at position 1 in 'maybe'");
  CHECK(ParseError({"opted_out=>no"}) == "filter opted_out: '>' does not apply to a yes/no field at position 1 in '>no'");
  CHECK(ParseError({"opted_out=no..yes"}) ==
        "filter opted_out: '..' does not apply to a yes/no field at position 3 in 'no..yes'");
}

TEST_CASE("quoting") {
  CHECK(MatchValue("name='a|b'", "a|b"));
  CHECK(MatchValue("name='O''Brien'", "O'Brien"));
  CHECK(MatchValue("name=O'Brien", "O'Brien"));
  CHECK(MatchValue("name=' padded '", " padded "));
  CHECK_FALSE(MatchValue("name=' padded '", "padded"));
  CHECK(MatchValue("name='1..2'", "1..2"));
  CHECK(MatchValue("name='a'..'c'", "b"));
  CHECK(MatchValue("name='(x);'", "(x);"));
}

TEST_CASE("several arguments must all hold") {
  Filter filter = MustParse({"city=Oslo|Bergen", "amount=>100", "CITY=B*"});
  CHECK(filter.Matches(Row({{"city", {"Bergen"}}, {"amount", {"150"}}})));
  CHECK_FALSE(filter.Matches(Row({{"city", {"Oslo"}}, {"amount", {"150"}}})));
  CHECK_FALSE(filter.Matches(Row({{"city", {"Bergen"}}, {"amount", {"50"}}})));
  CHECK(filter.Fields() == std::vector<int>{0, 6});
  CHECK(filter.Canonical() == "city=Oslo|Bergen; amount=>100; city=B*");
  CHECK_FALSE(filter.empty());
  Filter moved = std::move(filter);
  CHECK(moved.Matches(Row({{"city", {"Bergen"}}, {"amount", {"150"}}})));
}

TEST_CASE("canonical form is trimmed, quoted where needed and parses back to itself") {
  CHECK(CanonicalOf({" City = Oslo | Bergen "}) == "city=Oslo|Bergen");
  CHECK(CanonicalOf({"name= @ ol* & <> olsen |  a .. c | .. b | x .. "}) == "name=@ol*&<>olsen|a..c|..b|x..");
  CHECK(CanonicalOf({"name=' x '|'a;b'|'O''B'|O'B|''|'<3'|'a.'|'=x'"}) ==
        "name=' x '|'a;b'|'O''B'|'O''B'|''|'<3'|'a.'|'=x'");
  CHECK(CanonicalOf({"amount=>= 10 & <= 20", "opted_out=Yes", "created_on=2027-01-01.."}) ==
        "amount=>=10&<=20; opted_out=Yes; created_on=2027-01-01..");
  const std::string canonical = CanonicalOf({"name='a.' .. 'b.'|'>x'|<'=y'|' '|'x..y'.."});
  CHECK(canonical == "name='a.'..'b.'|'>x'|<'=y'|' '|'x..y'..");
  CHECK(CanonicalOf({canonical}) == canonical);
  CHECK(MatchValue(canonical, "a.z"));
  CHECK(MatchValue(canonical, ">x"));
  CHECK(MatchValue(canonical, "x..z"));
  CHECK(MatchValue(canonical, "<"));
  CHECK_FALSE(MatchValue(canonical, "=z"));
  CHECK(CanonicalOf({"name=.5..1."}) == "name='.5'..'1.'");
}

TEST_CASE("malformed expressions name the field and the position") {
  CHECK(ParseError({"city=Oslo||Bergen"}) == "filter city: unexpected '|' at position 6 in 'Oslo||Bergen'");
  CHECK(ParseError({"city=|Oslo"}) == "filter city: unexpected '|' at position 1 in '|Oslo'");
  CHECK(ParseError({"city=Oslo|"}) == "filter city: expected a value after '|' at position 5 in 'Oslo|'");
  CHECK(ParseError({"city=Oslo&"}) == "filter city: expected a value after '&' at position 5 in 'Oslo&'");
  CHECK(ParseError({"name=a..b..c"}) == "filter name: unexpected '..' at position 5 in 'a..b..c'");
  CHECK(ParseError({"name=.."}) == "filter name: expected a value after '..' at position 1 in '..'");
  CHECK(ParseError({"name=>="}) == "filter name: expected a value after '>=' at position 1 in '>='");
  CHECK(ParseError({"name=@"}) == "filter name: expected a value after '@' at position 1 in '@'");
  CHECK(ParseError({"name=>a..b"}) == "filter name: unexpected '..' at position 3 in '>a..b'");
  CHECK(ParseError({"name=(a)"}) == "filter name: unexpected '(' at position 1 in '(a)'");
  CHECK(ParseError({"name=a;b"}) == "filter name: unexpected ';' at position 2 in 'a;b'");
  CHECK(ParseError({"name='a'b"}) == "filter name: unexpected 'b' at position 4 in ''a'b'");
  CHECK(ParseError({"name='(x)';"}) == "filter name: unexpected ';' at position 6 in ''(x)';'");
  CHECK(ParseError({"name=x|'abc"}) == "filter name: unterminated quote at position 3 in 'x|'abc'");
  CHECK(ParseError({"city=Tromsø|)"}) == "filter city: unexpected ')' at position 8 in 'Tromsø|)'");
  CHECK(ParseError({"city=a|ø)"}) == "filter city: unexpected ')' at position 4 in 'a|ø)'");
  CHECK(ParseError({"city=a)ø"}) == "filter city: unexpected ')' at position 2 in 'a)ø'");
  CHECK(ParseError({"city=a'b'c|(ø"}) == "filter city: unexpected '(' at position 7 in 'a'b'c|(ø'");
}

TEST_CASE("malformed typed literals name the field and the position") {
  CHECK(ParseError({"created_on=>2027-13-01"}) ==
        "filter created_on: '2027-13-01' is not a date (YYYY-MM-DD) at position 2 in '>2027-13-01'");
  CHECK(ParseError({"created_on=2027-01-01..tomorrow"}) ==
        "filter created_on: 'tomorrow' is not a date (YYYY-MM-DD) at position 13 in '2027-01-01..tomorrow'");
  CHECK(ParseError({"created_on=2027*"}) ==
        "filter created_on: '2027*' is not a date (YYYY-MM-DD) at position 1 in '2027*'");
  CHECK(ParseError({"created_on=>''"}) == "filter created_on: '' is not a date (YYYY-MM-DD) at position 2 in '>'''");
  CHECK(ParseError({"amount=1|ten"}) ==
        "filter amount: 'ten' is not a number (at most 12 integer and 6 fraction digits) at position 3 in '1|ten'");
  CHECK(ParseError({"amount=1.1234567"}) ==
        "filter amount: '1.1234567' has more than 6 decimals for a number at position 1 in '1.1234567'");
  CHECK(ParseError({"amount=1.2.3"}) == "filter amount: '1.2.3' is not a valid number at position 1 in '1.2.3'");
  CHECK(ParseError({"amount=>10000000000000"}) ==
        "filter amount: '10000000000000' is not a number (at most 12 integer and 6 fraction digits) at position 2 "
        "in '>10000000000000'");
}

TEST_CASE("arguments that are not FIELD=EXPR or name an unknown field") {
  CHECK(ParseError({"xyz"}) == "filter 'xyz' is not FIELD=EXPR");
  CHECK(ParseError({"=Oslo"}) == "filter '=Oslo' is not FIELD=EXPR");
  CHECK(ParseError({"city=Oslo", "Bergen"}) == "filter 'Bergen' is not FIELD=EXPR");
  CHECK(ParseError({"city="}) == "filter city: empty expression (write '' to match an empty value)");
  CHECK(ParseError({"city=   "}) == "filter city: empty expression (write '' to match an empty value)");
  CHECK(ParseError({"cty=Oslo"}) == "unknown filter field 'cty'; did you mean 'city'?");
  CHECK(ParseError({"Staus=x"}) == "unknown filter field 'Staus'; did you mean 'status'?");
  CHECK(ParseError({"country=NO"}) ==
        "unknown filter field 'country'; fields are: city, name, status, job_responsibility, tags, created_on, "
        "amount, opted_out");
}

TEST_CASE("custom fields: named like the schema's own, read by name, compared by their type") {
  class Custom : public FilterRecord {
   public:
    void Values(int, std::vector<std::string>* out) const override { out->push_back("Oslo"); }
    void CustomValues(const std::string& name, std::vector<std::string>* out) const override {
      out->push_back(name == "Shoe_size" ? "41.5" : name == "Birthday" ? "1990-02-28" : "");
    }
  };
  const std::vector<FieldDef> custom = {{"Shoe_size", FieldType::kNumber}, {"Birthday", FieldType::kDate},
                                        {"Tier", FieldType::kCode}};
  auto f = Filter::Parse({"shoe_size=>40", "BIRTHDAY=1990-01-01..1990-12-31", "city=Oslo"}, Schema(), custom);
  REQUIRE(f.ok());
  CHECK(f->Matches(Custom()));
  CHECK(f->Fields() == std::vector<int>{0});  // only the schema's fields are loaded lazily
  CHECK(f->Canonical() == "Shoe_size=>40; Birthday=1990-01-01..1990-12-31; city=Oslo");
  CHECK(Filter::Parse({"shoe_size=>42"}, Schema(), custom)->Matches(Custom()) == false);
  CHECK(Filter::Parse({"tier=''"}, Schema(), custom)->Matches(Custom()));
  CHECK(Filter::Parse({"Shoe_size=big"}, Schema(), custom).status().code() == StatusCode::kInvalidArgument);
  // Without the data set's custom fields, a name the schema lacks is unknown, and the error lists
  // the custom fields with the schema's; before the data set is open only the syntax is checked.
  CHECK(Filter::Parse({"shoe_size=41"}, Schema()).status().code() == StatusCode::kInvalidArgument);
  CHECK(Filter::Parse({"shoe_sise=41"}, Schema(), custom).status().message().find("did you mean 'Shoe_size'") !=
        std::string::npos);
  CHECK(Filter::CheckSyntax({"shoe_size=41", "city=Oslo"}, Schema()).ok());
  CHECK(Filter::CheckSyntax({"shoe_size=41|"}, Schema()).ok());  // its expression waits for its type
  CHECK_FALSE(Filter::CheckSyntax({"created_on=yesterday"}, Schema()).ok());
  CHECK_FALSE(Filter::CheckSyntax({"no equals sign"}, Schema()).ok());
}

TEST_CASE("schema lookup is case-insensitive") {
  CHECK(Schema().Find("city") == 0);
  CHECK(Schema().Find("OPTED_OUT") == 7);
  CHECK(Schema().Find("cit") == -1);
  CHECK(CanonicalOf({"Opted_Out=no"}) == "opted_out=no");
}

}  // namespace
TEST_CASE("literals: the exact values a closed catalogue must hold, not patterns or ranges") {
  auto f = Filter::Parse({"job_responsibility=purchase|<>SALES|Mark*", "status=A..C", "city=Oslo"}, Schema());
  REQUIRE(f.ok());
  CHECK(f->Literals("job_responsibility") == std::vector<std::string>{"purchase", "SALES"});
  CHECK(f->Literals("status").empty());
  CHECK(f->Literals("city") == std::vector<std::string>{"Oslo"});
  CHECK(f->Literals("name").empty());
}

TEST_CASE("a comparison written before the '=' says how to write it") {
  auto f = Filter::Parse({"created_on>=2027-01-01"}, Schema());
  REQUIRE_FALSE(f.ok());
  CHECK(f.status().message() ==
        "filter 'created_on>=2027-01-01': a comparison goes after '=': write created_on=>=2027-01-01");
  CHECK(Filter::Parse({"created_on<=2027-01-01"}, Schema()).status().message() ==
        "filter 'created_on<=2027-01-01': a comparison goes after '=': write created_on=<=2027-01-01");
}

}  // namespace crm
