// CSV reading and writing (io/csv.h): RFC 4180 quoting, line breaks in fields, BOM, `;` and
// tab detection, the line each row starts on (also across block boundaries), blank rows, and
// malformed input refused with the file and line; the writer's output reads back the same.
#include "io/csv.h"

#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace crm::io {
namespace {

struct TempCsv {
  std::string path;
  explicit TempCsv(const std::string& content) {
    path = (std::filesystem::temp_directory_path() / ("csv_test_" + std::to_string(::getpid()) + "_" +
                                                     std::to_string(++counter) + ".csv")).string();
    std::ofstream(path, std::ios::binary) << content;
  }
  ~TempCsv() { std::filesystem::remove(path); }
  static inline int counter = 0;
};

std::vector<TableRow> ReadAll(RowSource* src) {
  std::vector<TableRow> rows;
  TableRow row;
  while (true) {
    auto more = src->Next(&row);
    REQUIRE(more.ok());
    if (!*more) break;
    rows.push_back(row);
  }
  return rows;
}

TEST_CASE("quoted fields, line breaks, blank rows and the line each row starts on") {
  TempCsv f("\xEF\xBB\xBFname,note\r\nA,\"x, \"\"y\"\"\r\nz\"\r\n\r\nB,plain\nC\n");
  auto src = OpenCsv(f.path);
  REQUIRE(src.ok());
  CHECK((*src)->header() == std::vector<std::string>{"name", "note"});
  auto rows = ReadAll(src->get());
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].line == 2);
  CHECK(rows[0].cells == std::vector<std::string>{"A", "x, \"y\"\r\nz"});
  CHECK(rows[1].line == 5);  // after the two-line row and a blank line
  CHECK(rows[1].cells == std::vector<std::string>{"B", "plain"});
  CHECK(rows[2].line == 6);
  CHECK(rows[2].cells == std::vector<std::string>{"C"});
}

TEST_CASE("the separator is detected from the header line") {
  TempCsv semi("name;city\n\"Doe, J\";Oslo\n");
  auto src = OpenCsv(semi.path);
  REQUIRE(src.ok());
  CHECK(ReadAll(src->get())[0].cells == std::vector<std::string>{"Doe, J", "Oslo"});
  TempCsv tab("name\tcity\nA\tB\n");
  src = OpenCsv(tab.path);
  REQUIRE(src.ok());
  CHECK(ReadAll(src->get())[0].cells == std::vector<std::string>{"A", "B"});
}

TEST_CASE("rows keep their lines across read blocks") {
  std::string content = "name,n\n";
  for (int i = 0; i < 100000; ++i) content += "\"Name " + std::to_string(i) + "\"," + std::to_string(i) + "\n";
  TempCsv f(content);  // about 2 MB: several 1 MiB blocks, boundaries inside rows
  auto src = OpenCsv(f.path);
  REQUIRE(src.ok());
  auto rows = ReadAll(src->get());
  REQUIRE(rows.size() == 100000);
  for (size_t i = 0; i < rows.size(); i += 997) {
    CHECK(rows[i].line == i + 2);
    CHECK(rows[i].cells[1] == std::to_string(i));
  }
  CHECK((*src)->position() == (*src)->size());
}

TEST_CASE("malformed files name the file and the line") {
  auto error_of = [](const std::string& content) {
    TempCsv f(content);
    auto src = OpenCsv(f.path);
    if (!src.ok()) return src.status().message().substr(f.path.size());
    TableRow row;
    for (;;) {
      auto more = (*src)->Next(&row);
      if (!more.ok()) return more.status().message().substr(f.path.size());
      if (!*more) return std::string("no error");
    }
  };
  CHECK(error_of("a,b\n1,2\n\"open,3\n4,5\n") == ":3: malformed CSV: a quoted field is never closed");
  CHECK(error_of("a,b\n1,x\"y\"\n").rfind(":2: malformed CSV: a quote inside", 0) == 0);
  CHECK(error_of("a,b\n\"q\"x,1\n").rfind(":2: malformed CSV", 0) == 0);
  CHECK(error_of("a,b\n1,2\nJos\xe9,3\n") == ":3: text that is not UTF-8 (save the file as UTF-8)");
  CHECK(error_of("\xFF\xFEn\0a\0").rfind(":1: the file is UTF-16", 0) == 0);
  CHECK(error_of("") == ": the file is empty (a header row naming the columns comes first)");
  CHECK(error_of("a,b\n1,2\n") == "no error");
}

TEST_CASE("written rows read back the same") {
  const std::vector<std::vector<std::string>> rows = {
      {"name", "note", "empty"}, {"Plain", "a, b", ""}, {" padded ", "say \"hi\"", "x"}, {"multi", "one\ntwo", "ø"}};
  const std::string path = (std::filesystem::temp_directory_path() / "csv_test_written.csv").string();
  {
    std::FILE* out = std::fopen(path.c_str(), "wb");
    REQUIRE(out != nullptr);
    CsvWriter w(out);
    for (const auto& r : rows) CHECK(w.Write(r));
    std::fclose(out);
  }
  auto src = OpenCsv(path);
  REQUIRE(src.ok());
  CHECK((*src)->header() == rows[0]);
  auto back = ReadAll(src->get());
  REQUIRE(back.size() == 3);
  CHECK(back[0].cells == rows[1]);
  CHECK(back[1].cells == rows[2]);  // quoted, so the spaces stay
  CHECK(back[2].cells == rows[3]);
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace crm::io
