// XLSX reading and writing (io/xlsx.h): rows written by XlsxWriter (inline strings) read back
// the same; a workbook LibreOffice Calc wrote (shared strings, numbers, dates, empty cells, a
// blank row) reads as the sheet shows; damaged files are refused with the file named.
#include "io/xlsx.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "tests/io/read_all.h"

namespace crm::io {
namespace {

std::string Temp(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("xlsx_test_" + std::to_string(::getpid()) + "_" + name)).string();
}


TEST_CASE("written rows read back the same") {
  const std::string path = Temp("written.xlsx");
  const std::vector<std::vector<std::string>> rows = {
      {"name", "note", "city"}, {"Ådne Ødegård", "two\nlines", ""}, {"", "", "Oslo"}, {"Zoë", "a & b <c>", " spaced "}};
  {
    auto w = XlsxWriter::Open(path);
    REQUIRE(w.ok());
    for (const auto& r : rows) REQUIRE((*w)->Write(r).ok());
    REQUIRE((*w)->Close().ok());
  }
  auto src = OpenXlsx(path);
  REQUIRE(src.ok());
  CHECK((*src)->header() == rows[0]);
  auto back = ReadAll(src->get());
  REQUIRE(back.size() == 3);
  CHECK(back[0].line == 2);
  CHECK(back[0].cells == std::vector<std::string>{"Ådne Ødegård", "two\nlines"});  // trailing empty cells absent
  CHECK(back[1].cells == std::vector<std::string>{"", "", "Oslo"});
  CHECK(back[2].cells == rows[3]);
  std::filesystem::remove(path);
}

TEST_CASE("a workbook LibreOffice Calc wrote") {
  // tests/io/fixtures/make_libreoffice_xlsx.sh made it from libreoffice.csv.
  auto src = OpenXlsx(std::string(CRM_IO_FIXTURES) + "/libreoffice.xlsx");
  REQUIRE(src.ok());
  CHECK((*src)->header() == std::vector<std::string>{"Name", "Email", "Joined", "Score", "City"});
  auto rows = ReadAll(src->get());
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].line == 2);
  CHECK(rows[0].cells == std::vector<std::string>{"Ada Lovelace", "ada@example.com", "2027-01-10", "42", "London"});
  CHECK(rows[1].cells == std::vector<std::string>{"Grace Hopper", "grace@example.com", "1999-12-31", "7.5"});  // no trailing empty cell
  CHECK(rows[2].line == 5);  // after a blank row
  CHECK(rows[2].cells == std::vector<std::string>{"Åse Ødegård", "", "", "", "Tromsø"});
}

TEST_CASE("damaged files are refused, naming the file") {
  const std::string text = Temp("text.xlsx");
  std::ofstream(text) << "name,email\nA,a@example.com\n";
  auto r = OpenXlsx(text);
  REQUIRE(!r.ok());
  CHECK(r.status().message().rfind(text + ": not an XLSX workbook", 0) == 0);

  // The first half of a real workbook: a truncated download.
  const std::string whole = Temp("whole.xlsx"), half = Temp("half.xlsx");
  {
    auto w = XlsxWriter::Open(whole);
    REQUIRE(w.ok());
    for (int i = 0; i < 200; ++i) REQUIRE((*w)->Write({"row " + std::to_string(i), "x"}).ok());
    REQUIRE((*w)->Close().ok());
  }
  std::ifstream in(whole, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::ofstream(half, std::ios::binary) << bytes.substr(0, bytes.size() / 2);
  r = OpenXlsx(half);
  REQUIRE(!r.ok());
  CHECK(r.status().code() == StatusCode::kInvalidArgument);
  CHECK(r.status().message().rfind(half + ": ", 0) == 0);
  CHECK(!OpenXlsx(Temp("missing.xlsx")).ok());
  for (const auto& p : {text, whole, half}) std::filesystem::remove(p);
}

}  // namespace
}  // namespace crm::io
