// Word documents as mail-merge templates (io/docx.h), on documents python3-docx wrote
// (tests/io/fixtures/make_python_docx.py): a placeholder split over runs of different formatting
// merges into its first run and leaves the other run's own text and formatting; placeholders in
// a table cell and the page header merge; a field not given merges as empty; a comment tag
// vanishes; a line break in a value becomes a Word line break; sections and things that are not
// Word documents are refused; the merged document reads back.
#include "io/docx.h"

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>

namespace crm::io {
namespace {

std::string Fixture(const std::string& name) {
  std::ifstream in(std::string(CRM_IO_FIXTURES) + "/" + name, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST_CASE("placeholders merge in the body, across runs, in tables and in the header") {
  const std::map<std::string, std::string> fields = {{"name", "Åse Berg"},  {"city", "Tromsø"},
                                                     {"date", "2027-01-10"}, {"contact", "CT0007"},
                                                     {"company_name", "Nordlys & Sønner"},
                                                     {"salesperson_name", "Jane Doe"}};
  CHECK(IsDocxName("Letter.DOCX"));
  CHECK_FALSE(IsDocxName("letter.doc"));
  auto merged = MergeDocx(Fixture("letter.docx"), fields);
  REQUIRE(merged.ok());
  auto text = DocxText(*merged);
  REQUIRE(text.ok());
  CHECK(*text ==
        "Dear Åse Berg,\n"
        "Thank you for visiting us in Tromsø on 2027-01-10.\n"
        "Your number: CT0007\n"
        "Company\n"
        "Nordlys & Sønner\n"
        "Kind regards\n");
  // The original reads as written, so the merge changed the copy only.
  auto original = DocxText(Fixture("letter.docx"));
  REQUIRE(original.ok());
  CHECK(original->rfind("Dear {{name}},\n", 0) == 0);

  // A field not given merges as empty; a line break in a value becomes a line break.
  auto sparse = MergeDocx(Fixture("letter.docx"), {{"name", "Ann Post\nc/o Post Room"}});
  REQUIRE(sparse.ok());
  auto sparse_text = DocxText(*sparse);
  REQUIRE(sparse_text.ok());
  CHECK(sparse_text->rfind("Dear Ann Post\nc/o Post Room,\nThank you for visiting us in  on .\n", 0) == 0);

  // A control character (a vertical tab from a spreadsheet cell) is not XML: dropped, so the
  // document stays one Word opens.
  auto control = MergeDocx(Fixture("letter.docx"), {{"name", "Bo\vLine"}});
  REQUIRE(control.ok());
  auto control_text = DocxText(*control);
  REQUIRE(control_text.ok());
  CHECK(control_text->rfind("Dear BoLine,", 0) == 0);
}

TEST_CASE("sections and documents that are not Word documents are refused") {
  auto sections = MergeDocx(Fixture("sections.docx"), {});
  REQUIRE_FALSE(sections.ok());
  CHECK(sections.status().code() == StatusCode::kFailedPrecondition);
  CHECK(sections.status().message() ==
        "'{{#phone}}': sections are for text documents; a Word document takes {{field}} only");
  auto text = MergeDocx("Dear {{name}}", {});
  REQUIRE_FALSE(text.ok());
  CHECK(text.status().code() == StatusCode::kInvalidArgument);
  CHECK(text.status().message().rfind("not a Word document (.docx): ", 0) == 0);
  auto xlsx = MergeDocx(Fixture("libreoffice.xlsx"), {});
  REQUIRE_FALSE(xlsx.ok());
  CHECK(xlsx.status().message() == "not a Word document (.docx): no word/document.xml in the archive");
}

}  // namespace
}  // namespace crm::io
