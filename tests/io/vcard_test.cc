// vCard reading (io/vcard.h): a 3.0 card as address books export it (folded lines, TYPE lists,
// escapes, a structured ORG and ADR, a PHOTO) and a 4.0 card (tel: URI, N without FN), each a
// row with its line; malformed files refused with the file and line.
#include "io/vcard.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace crm::io {
namespace {

struct TempVcf {
  std::string path;
  explicit TempVcf(const std::string& content) {
    path = (std::filesystem::temp_directory_path() / ("vcard_test_" + std::to_string(::getpid()) + "_" +
                                                     std::to_string(++counter) + ".vcf")).string();
    std::ofstream(path, std::ios::binary) << content;
  }
  ~TempVcf() { std::filesystem::remove(path); }
  static inline int counter = 0;
};

Result<std::vector<TableRow>> ReadAll(const std::string& path) {
  CRM_ASSIGN_OR_RETURN(auto src, OpenVcard(path));
  std::vector<TableRow> rows;
  TableRow row;
  for (;;) {
    CRM_ASSIGN_OR_RETURN(bool more, src->Next(&row));
    if (!more) break;
    rows.push_back(row);
  }
  return rows;
}

TEST_CASE("3.0 and 4.0 cards, one row each") {
  TempVcf f(
      "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Lovelace;Ada;;;\r\nFN:Ada Lovelace\r\nORG:Analytical Engines Ltd;Research\r\n"
      "TEL;TYPE=WORK,VOICE:+44 20 1234 5678\r\nEMAIL;TYPE=PREF,INTERNET:ada@example.com\r\n"
      "ADR;TYPE=WORK:;;12 Engine Street;London;;EC1A 1BB;United Kingdom\r\n"
      "PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQ\r\n AAAQABAAD\r\nLABEL:12 Engine Street\r\n"
      "NOTE:Met at the fair\\, very\r\n  keen\\; call\\nback\r\nEND:VCARD\r\n"
      "\r\n"
      "BEGIN:VCARD\r\nVERSION:4.0\r\nN:Hopper;Grace;;;\r\nEMAIL;TYPE=work:grace@example.com\r\n"
      "TEL;VALUE=uri;TYPE=\"voice,cell\":tel:+1-555-555-0100\r\nEND:VCARD\r\n");
  auto rows = ReadAll(f.path);
  REQUIRE(rows.ok());
  REQUIRE(rows->size() == 2);
  const auto& ada = (*rows)[0];
  CHECK(ada.line == 1);
  CHECK(ada.cells == std::vector<std::string>{"Ada Lovelace", "ada@example.com", "+44 20 1234 5678",
                                              "Analytical Engines Ltd", "12 Engine Street", "EC1A 1BB", "London",
                                              "United Kingdom", "Met at the fair, very keen; call\nback"});
  const auto& grace = (*rows)[1];
  CHECK(grace.line == 16);
  CHECK(grace.cells[0] == "Grace Hopper");  // from N
  CHECK(grace.cells[1] == "grace@example.com");
  CHECK(grace.cells[2] == "+1-555-555-0100");
}

TEST_CASE("malformed files name the file and the line") {
  auto error_of = [](const std::string& content) {
    TempVcf f(content);
    auto rows = ReadAll(f.path);
    return rows.ok() ? std::string("no error") : rows.status().message().substr(f.path.size());
  };
  CHECK(error_of("BEGIN:VCARD\nVERSION:4.0\nEMAIL:a@example.com\nEND:VCARD\n") ==
        ":1: a vCard without a name (no FN and no N)");
  CHECK(error_of("BEGIN:VCARD\nVERSION:4.0\nFN:A\nEND:VCARD\nBEGIN:VCARD\nVERSION:4.0\nFN:B\n") ==
        ":5: the card that begins here has no END:VCARD");
  CHECK(error_of("name,email\nA,a@example.com\n") == ":1: expected BEGIN:VCARD, found 'name,email'");
  CHECK(error_of("") == ":1: no vCard in the file (BEGIN:VCARD ... END:VCARD)");
  CHECK(error_of("BEGIN:VCARD\nVERSION:2.1\nFN:A\nEND:VCARD\n") == ":1: vCard version 2.1 (3.0 and 4.0 are read)");
  CHECK(error_of("BEGIN:VCARD\nVERSION:4.0\nFN:Jos\xe9\nEND:VCARD\n") == ":3: text that is not UTF-8 (save the file as UTF-8)");
  CHECK(error_of("BEGIN:VCARD\nVERSION:4.0\nFN:A\nEND:VCARD\n") == "no error");
}

}  // namespace
}  // namespace crm::io
