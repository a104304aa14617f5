// CSV reading and writing (io/csv.h): RFC 4180 quoting, line breaks in fields, BOM, `;` and
// tab detection, the line each row starts on (also across block boundaries), blank rows, text
// encodings detected or given (also with a character cut by a block's end), and malformed input
// refused with the file and line; the writer's output reads back the same.
#include "io/csv.h"

#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "tests/io/read_all.h"

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
  auto error_of = [](const std::string& content, const std::string& encoding = "") {
    TempCsv f(content);
    auto src = OpenCsv(f.path, 0, encoding);
    if (!src.ok()) {
      const std::string& message = src.status().message();
      return message.rfind(f.path, 0) == 0 ? message.substr(f.path.size()) : message;
    }
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
  CHECK(error_of("a,b\n1,2\nJos\xe9,3\n", "UTF-8").rfind(":3: text that is not UTF-8 (give --encoding", 0) == 0);
  // Past the first MiB, which was UTF-8 and decided the encoding.
  CHECK(error_of("a,b\n" + std::string(1 << 20, 'x') + ",1\nJos\xe9,3\n")
            .rfind(":3: text that is not UTF-8, though the file's first MiB is (give --encoding", 0) == 0);
  CHECK(error_of("a,b\n1,2\nJos\xe9,3\n", "ASCII") == ":3: bytes that are not ASCII text (give --encoding to read it as another)");
  CHECK(error_of("a,b\n", "KLINGON").find("unknown text encoding 'KLINGON'") != std::string::npos);
  CHECK(error_of("") == ": the file is empty (a header row naming the columns comes first)");
  CHECK(error_of("a,b\n1,2\n") == "no error");
}

TEST_CASE("text in another encoding is detected or given, and read as UTF-8") {
  // As Excel saves CSV in a Danish or German locale: Windows-1252, `;`, decimal commas.
  TempCsv latin("Navn;By;Bel\xf8\x62\r\n\xc5se \xd8stergaard;K\xf8\x62\x65nhavn;1.234,50\r\n"
                "J\xfcrgen M\xfcller;K\xf6ln;\x80 12,00\r\n");
  auto src = OpenCsv(latin.path);
  REQUIRE(src.ok());
  CHECK((*src)->encoding().name == "WINDOWS-1252");
  CHECK((*src)->encoding().detected);
  CHECK((*src)->header() == std::vector<std::string>{"Navn", "By", "Beløb"});
  auto rows = ReadAll(src->get());
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].cells == std::vector<std::string>{"Åse Østergaard", "København", "1.234,50"});
  CHECK(rows[1].cells == std::vector<std::string>{"Jürgen Müller", "Köln", "€ 12,00"});
  CHECK(rows[1].line == 3);

  // Given: the same bytes read as ISO-8859-1 (0x80 is a control character there, kept as it is).
  auto given = OpenCsv(latin.path, 0, "iso-8859-1");
  REQUIRE(given.ok());
  CHECK_FALSE((*given)->encoding().detected);
  CHECK(ReadAll(given->get())[1].cells[2] == "\u0080 12,00");

  // UTF-16 with a byte-order mark (Excel's "Unicode text"), tab-separated.
  const std::string utf16("\xFF\xFEn\0\t\0c\0\n\0\xC5\0\t\0x\0\n\0", 18);
  TempCsv wide(utf16);
  auto w = OpenCsv(wide.path);
  REQUIRE(w.ok());
  CHECK((*w)->encoding().name == "UTF-16LE");
  CHECK((*w)->header() == std::vector<std::string>{"n", "c"});
  CHECK(ReadAll(w->get())[0].cells == std::vector<std::string>{"Å", "x"});
  // UTF-32 with its mark (whose first two bytes are UTF-16LE's mark) is UTF-32.
  TempCsv wider(std::string("\xFF\xFE\0\0n\0\0\0\n\0\0\0\xC5\0\0\0\n\0\0\0", 20));
  auto w32 = OpenCsv(wider.path);
  REQUIRE(w32.ok());
  CHECK((*w32)->encoding().name == "UTF-32LE");
  CHECK(ReadAll(w32->get())[0].cells == std::vector<std::string>{"Å"});
  // Given as "utf-16" (or "UTF-16LE"), the mark still decides and is not read as text.
  for (const char* given : {"utf-16", "UTF-16LE"}) {
    auto g = OpenCsv(wide.path, 0, given);
    REQUIRE(g.ok());
    CHECK((*g)->encoding().name == "UTF-16LE");
    CHECK((*g)->header() == std::vector<std::string>{"n", "c"});
  }

  // A character cut by the end of a read block (two-byte Shift JIS characters after a 3-byte header).
  std::string sjis = "nm\n";
  const std::string row = "\x93\xfa\x96\x7b\x8c\xea\n";  // 日本語
  while (sjis.size() < (1u << 20) + 64) sjis += row;
  TempCsv big(sjis);
  auto b = OpenCsv(big.path, 0, "SHIFT_JIS");
  REQUIRE(b.ok());
  auto big_rows = ReadAll(b->get());
  REQUIRE(big_rows.size() == (sjis.size() - 3) / row.size());
  for (const auto& r : big_rows) REQUIRE(r.cells == std::vector<std::string>{"日本語"});
  CHECK(big_rows.back().line == big_rows.size() + 1);
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
