// Legacy Excel workbooks (io/xls.h): a workbook python3-xlwt wrote (tests/io/fixtures/
// make_xlwt_xls.py) reads as Excel shows it: shared-string text with accents, dates, date-times
// and times as ISO 8601, numbers in the General format, booleans as 1/0, an empty row skipped,
// trailing empty cells dropped, only the first sheet; files that are not workbooks are refused
// with the file named.
#include "io/xls.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "io/rows.h"
#include "tests/io/read_all.h"

namespace crm::io {
namespace {


TEST_CASE("a workbook python3-xlwt wrote reads as Excel shows it") {
  const std::string path = std::string(CRM_IO_FIXTURES) + "/xlwt.xls";
  CHECK(FormatOf(path, "") == "xls");
  auto src = OpenRows(path, "", "");
  REQUIRE(src.ok());
  CHECK((*src)->header() == std::vector<std::string>{"Name", "Email", "City", "Since", "Visit", "Call at", "Score",
                                                     "Employees", "Revenue", "Active"});
  auto rows = ReadAll(src->get());
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].line == 2);
  CHECK(rows[0].cells == std::vector<std::string>{"Åse Østergård", "ase@example.dk", "København", "2024-03-01",
                                                  "2024-03-01T09:30:00", "14:05:09", "1234.5", "250",
                                                  "12345678901.25", "1"});
  CHECK(rows[1].line == 4);  // row 3 is empty
  CHECK(rows[1].cells == std::vector<std::string>{"Jürgen Müller", "jm@example.de", "", "", "", "", "0.3", "", "", "0"});
  CHECK((*src)->position() == (*src)->size());
}

TEST_CASE("files that are not workbooks are refused, naming the file") {
  const std::string path =
      (std::filesystem::temp_directory_path() / ("xls_test_" + std::to_string(::getpid()) + ".xls")).string();
  std::ofstream(path, std::ios::binary) << "name,email\nA,a@example.com\n";
  auto src = OpenXls(path);
  REQUIRE_FALSE(src.ok());
  CHECK(src.status().message() == path + ": not an Excel 97-2003 workbook (.xls; an .xlsx file is read as xlsx)");
  std::filesystem::remove(path);
  auto missing = OpenXls(path);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().message().rfind(path + ": cannot open", 0) == 0);
  CHECK(OpenRows(path, "xls", "", "latin1").status().message().rfind("--encoding is for CSV files only", 0) == 0);
}

}  // namespace
}  // namespace crm::io
