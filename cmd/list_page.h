// Finding records in lists (SPEC §4.11): every list's --search, --sort, --limit, --after and
// --total, one implementation for all of them.
//
// A list offers its rows (JSON objects, each named by its id key: "no", "contact", "entry_no")
// in its natural order, which is the order of their ids, and ListPage keeps the page:
//  - --search TEXT: rows where TEXT occurs in one of the list's search keys, case and accents
//    aside (events/text_fold.h: "åse" finds "ÅSE", "nord" finds "Nordmann");
//  - --sort FIELD[,-FIELD]: by those keys of the JSON rows, or a custom field of the row's
//    `custom` (`-` descending), the id last. Numbers
//    (and decimal strings such as amounts) compare as numbers, text folded as --search folds it,
//    then as written; a missing or empty value comes first. A key no row has is a usage error;
//  - --limit N: the first N rows; --after CURSOR: the rows after the one the cursor names. The
//    cursor of a list in its natural order is the row's id (`--after CT0042`); of a sorted list,
//    a token holding the row's sort values and id. Either way the next page starts after that
//    row's place in the order (keyset paging), so rows added or removed meanwhile do not shift it;
//  - --total: with --json the answer is {"total", "items", "next"} (`next`: the cursor of the
//    next page, null after the last); without --total --json is the list's array (SPEC §4.1).
//    The text answer adds "N of TOTAL" after the table, and the next page's --after when the
//    page is not the last.
// Memory: a page of --limit rows (the whole list without one), whatever the list's size.
#pragma once

#include <functional>
#include <initializer_list>
#include <memory>
#include <string_view>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "aggregates/reference.h"
#include "cmd/output.h"
#include "events/status.h"

namespace crm::cli {

struct ListQuery {
  std::string search;
  std::string sort;
  size_t limit = 0;  // 0: no limit
  std::string after;
  bool total = false;
};

// Adds --search, --sort, --limit, --after and --total to `list` (and --view NAME when `view` is
// given); the query is filled in when the command runs.
std::shared_ptr<ListQuery> AddListQuery(CLI::App* list, std::string* view = nullptr);

// A saved view (`view save`) under the list's own options: the view's filters before `filters`,
// its sort and search unless the command line gives its own. NotFound for no such view,
// InvalidArgument for a view of another list (`on`: contacts, leads, campaigns).
Status ApplyView(const reference::State& ref, const std::string& name, const std::string& on,
                 std::vector<std::string>* filters, ListQuery* query);

class ListPage {
 public:
  // InvalidArgument for a --sort that is not FIELD[,-FIELD] or a cursor that is not one of this
  // sort's. `search_keys`: the keys --search looks in (a string, or an array of strings).
  static Result<ListPage> Make(const ListQuery& query, std::string id_key, std::vector<std::string> search_keys);

  // The next row of the list. False when no further row can change the answer (the page is full
  // and neither a sort nor a total needs the rest).
  bool Offer(nlohmann::json row);

  // For long lists (contacts, leads, a roster), the same without making rows that are not shown:
  // the caller first asks Searched() with the row's searched texts (skipping the row when false),
  // then offers the row's id and a maker of its JSON, called only when the page needs the row.
  bool Searched(std::initializer_list<std::string_view> texts) const;
  template <typename Make>
  bool Offer(const std::string& id, Make&& make) {
    if (sort_.empty() && (Behind(id) || Full())) {
      ++total_;
      if (Behind(id)) return true;
      more_ = true;
      return query_.total;
    }
    return Offer(make());
  }

  // The answer: the page as JSON (an array, or the --total object), else `header` and a table row
  // per item made by `cells`. InvalidArgument when --sort named a key no row has.
  Result<Output> Finish(bool json, std::vector<std::string> header,
                        const std::function<std::vector<std::string>(const nlohmann::json&)>& cells);

  // Sort values of one row, precomputed for comparing (public for the comparator's sake).
  struct Value {
    int rank = 0;  // 0 missing or empty, 1 number, 2 text, 3 other
    double number = 0;
    std::string folded, raw;
  };
  struct Entry {
    std::vector<Value> key;
    std::string id;
    nlohmann::json row;
  };

 private:
  ListPage() = default;
  bool Matches(const nlohmann::json& row) const;
  bool Behind(const std::string& id) const;  // unsorted: at or before the cursor
  bool Full() const { return query_.limit > 0 && kept_.size() >= query_.limit; }
  Entry EntryOf(nlohmann::json row) const;
  bool Before(const Entry& a, const Entry& b) const;  // a comes first in the list's order
  std::string CursorOf(const Entry& e) const;

  ListQuery query_;
  std::string id_key_;
  std::vector<std::string> search_keys_;
  std::string needle_;                              // the search, folded
  std::vector<std::pair<std::string, bool>> sort_;  // key, descending
  std::unique_ptr<Entry> after_;                    // the cursor's place
  std::vector<Entry> kept_;                         // the page (a heap of the first rows when sorted)
  uint64_t total_ = 0;
  bool more_ = false;                               // rows after the page
  std::string fields_;          // the first row's keys (for a --sort key no row has)
  std::vector<bool> key_seen_;  // per --sort key: some row has it
};

}  // namespace crm::cli
