// Finding records in lists (cmd/list_page.h) on its own: keyset pages in the natural order and
// sorted, cursors that stay stable while rows are added on both sides of them, --search folded,
// --total, sorting by a custom field, and the usage errors (a sort or cursor that does not read, a
// key no row has). The e2e finding.sh drives the same through every list in both ledger modes.
#include "cmd/list_page.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace crm::cli {
namespace {

using nlohmann::json;

json Row(int n, std::string name, std::string amount, json custom = nullptr) {
  char no[8];
  std::snprintf(no, sizeof no, "CT%04d", n);
  json row = {{"no", no}, {"name", std::move(name)}, {"amount", std::move(amount)}};
  if (!custom.is_null()) row["custom"] = std::move(custom);
  return row;
}

std::vector<json> Rows() {
  return {Row(1, "Kari Nordmann", "12.50"), Row(2, "ÅSE Berg", "7"),     Row(3, "Ola Nordmann", "100"),
          Row(4, "Per Hansen", "7"),        Row(5, "Müller", "-3.25"), Row(6, "Zoe", "")};
}

// One page of `rows` under `q`, as --json --total gives it.
json Page(const ListQuery& q, const std::vector<json>& rows) {
  auto page = ListPage::Make(q, "no", {"name"});
  REQUIRE(page.ok());
  for (const json& r : rows) {
    if (!page->Offer(r)) break;
  }
  auto out = page->Finish(true, {"NO"}, [](const json& r) { return std::vector<std::string>{r["no"]}; });
  REQUIRE(out.ok());
  REQUIRE(out->json.has_value());
  return *out->json;
}

std::string Nos(const json& page) {
  std::string out;
  for (const json& r : page.is_array() ? page : page["items"]) out += (out.empty() ? "" : ",") + r["no"].get<std::string>();
  return out;
}

TEST_CASE("pages in the natural order: the cursor is the last row's number") {
  ListQuery q;
  q.limit = 2;
  q.total = true;
  json first = Page(q, Rows());
  CHECK(Nos(first) == "CT0001,CT0002");
  CHECK(first["total"] == 6);
  CHECK(first["next"] == "CT0002");
  q.after = "CT0002";
  json second = Page(q, Rows());
  CHECK(Nos(second) == "CT0003,CT0004");
  CHECK(second["total"] == 6);  // of everything the list matches, not only what lies after
  q.after = "CT0006";
  json last = Page(q, Rows());
  CHECK(Nos(last).empty());
  CHECK(last["next"].is_null());
}

TEST_CASE("sorted pages: numbers as numbers, empty first, the number breaking ties; the cursor holds the values") {
  ListQuery q;
  q.sort = "amount,-name";
  q.limit = 3;
  q.total = true;
  json first = Page(q, Rows());
  CHECK(Nos(first) == "CT0006,CT0005,CT0004");  // "", -3.25, then the two 7s by name descending
  const std::string cursor = first["next"];
  q.after = cursor;
  CHECK(Nos(Page(q, Rows())) == "CT0002,CT0001,CT0003");

  // Rows added meanwhile on both sides of the cursor: the one before is not seen, the one after is.
  std::vector<json> more = Rows();
  more.push_back(Row(7, "Aaron", "-10"));   // sorts before the cursor's place
  more.push_back(Row(8, "Bea", "50"));      // after it
  CHECK(Nos(Page(q, more)) == "CT0002,CT0001,CT0008");
}

TEST_CASE("--search folds case and accents over the search keys") {
  ListQuery q;
  q.search = "åse";
  CHECK(Nos(Page(q, Rows())) == "CT0002");
  q.search = "MULLER";
  CHECK(Nos(Page(q, Rows())) == "CT0005");
  q.search = "nordmann";
  CHECK(Nos(Page(q, Rows())) == "CT0001,CT0003");
  q.search = "12.50";  // amount is not a search key
  CHECK(Nos(Page(q, Rows())).empty());
}

TEST_CASE("a custom field sorts by its name, whatever its case") {
  std::vector<json> rows = {Row(1, "A", "1", {{"Shoe_size", "44"}}), Row(2, "B", "1", {{"Shoe_size", "39.5"}}),
                            Row(3, "C", "1")};
  ListQuery q;
  q.sort = "-shoe_size";
  CHECK(Nos(Page(q, rows)) == "CT0001,CT0002,CT0003");
}

TEST_CASE("a sort, cursor or key that does not read is a usage error") {
  ListQuery q;
  q.sort = "name,";
  CHECK(ListPage::Make(q, "no", {}).status().code() == StatusCode::kInvalidArgument);
  q.sort = "name";
  q.after = "not-a-cursor";
  CHECK(ListPage::Make(q, "no", {}).status().code() == StatusCode::kInvalidArgument);
  q.after.clear();
  q.sort = "colour";
  auto page = ListPage::Make(q, "no", {});
  REQUIRE(page.ok());
  for (const json& r : Rows()) page->Offer(r);
  auto out = page->Finish(true, {"NO"}, [](const json& r) { return std::vector<std::string>{r["no"]}; });
  CHECK(out.status().code() == StatusCode::kInvalidArgument);
  CHECK(out.status().message().find("amount") != std::string::npos);  // it lists the keys rows have
}

}  // namespace
}  // namespace crm::cli
