// JSON Lines reading (io/jsonl.h): columns from every line's keys in first-seen order, cells as
// the exports write them, blank lines and CRLF, and malformed lines refused with file and line.
#include "io/jsonl.h"

#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace crm::io {
namespace {

struct TempFile {
  std::string path;
  explicit TempFile(const std::string& content) {
    path = (std::filesystem::temp_directory_path() /
            ("jsonl_test_" + std::to_string(::getpid()) + "_" + std::to_string(++counter) + ".jsonl"))
               .string();
    std::ofstream(path, std::ios::binary) << content;
  }
  ~TempFile() { std::filesystem::remove(path); }
  static inline int counter = 0;
};

TEST_CASE("columns are every key in first-seen order; cells as the exports write them") {
  TempFile f(
      "\xEF\xBB\xBF{\"name\": \"Ada\", \"job\": [\"PURCHASE\", \"IT\"], \"opted_out\": true}\r\n"
      "\n"
      "{\"name\": \"Bo\", \"email\": \"bo@example.com\", \"score\": 1.5, \"job\": null}\n");
  auto src = OpenJsonl(f.path);
  REQUIRE(src.ok());
  CHECK((*src)->header() == std::vector<std::string>{"name", "job", "opted_out", "email", "score"});
  TableRow row;
  REQUIRE(*(*src)->Next(&row));
  CHECK(row.line == 1);
  CHECK(row.cells == std::vector<std::string>{"Ada", "PURCHASE, IT", "yes", "", ""});
  REQUIRE(*(*src)->Next(&row));
  CHECK(row.line == 3);
  CHECK(row.cells == std::vector<std::string>{"Bo", "", "", "bo@example.com", "1.5"});
  CHECK_FALSE(*(*src)->Next(&row));
}

TEST_CASE("a line that is not a JSON object is refused with its line") {
  TempFile broken("{\"name\": \"Ada\"}\n{\"name\": \n");
  auto src = OpenJsonl(broken.path);
  REQUIRE_FALSE(src.ok());
  CHECK(src.status().message().rfind(broken.path + ":2: not JSON", 0) == 0);
  TempFile overflow("{\"n\": 1e99999}\n");  // found by the fuzzer: out_of_range, not parse_error
  CHECK(OpenJsonl(overflow.path).status().message().rfind(overflow.path + ":1: not JSON", 0) == 0);
  TempFile array("[1, 2]\n");
  CHECK(OpenJsonl(array.path).status().message() == array.path + ":1: a line must be a JSON object");
  TempFile latin1("{\"name\": \"Se\xF1or\"}\n");
  CHECK(OpenJsonl(latin1.path).status().code() == StatusCode::kInvalidArgument);
  TempFile empty("\n\n");
  CHECK(OpenJsonl(empty.path).status().message() == empty.path + ": no JSON objects with keys");
  CHECK(OpenJsonl("/nonexistent/x.jsonl").status().code() == StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace crm::io
