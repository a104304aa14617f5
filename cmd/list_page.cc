#include "cmd/list_page.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <sstream>

#include "events/codec.h"
#include "events/text_fold.h"

namespace crm::cli {
namespace {

using nlohmann::json;

// Record numbers and other ids in their natural order: runs of digits by value ("CT9999" before
// "CT10000"), the rest byte by byte.
int CompareIds(std::string_view a, std::string_view b) {
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (std::isdigit(static_cast<unsigned char>(a[i])) && std::isdigit(static_cast<unsigned char>(b[j]))) {
      size_t ei = i, ej = j;
      while (ei < a.size() && std::isdigit(static_cast<unsigned char>(a[ei]))) ++ei;
      while (ej < b.size() && std::isdigit(static_cast<unsigned char>(b[ej]))) ++ej;
      std::string_view da = a.substr(i, ei - i), db = b.substr(j, ej - j);
      while (da.size() > 1 && da[0] == '0') da.remove_prefix(1);
      while (db.size() > 1 && db[0] == '0') db.remove_prefix(1);
      if (da.size() != db.size()) return da.size() < db.size() ? -1 : 1;
      if (const int c = da.compare(db); c != 0) return c;
      i = ei;
      j = ej;
      continue;
    }
    if (a[i] != b[j]) return static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[j]) ? -1 : 1;
    ++i;
    ++j;
  }
  if (i < a.size()) return 1;
  return j < b.size() ? -1 : 0;
}

// A string that is wholly a decimal number ("22.50", "-3"), as amounts are written in JSON.
bool ParseNumber(const std::string& s, double* out) {
  if (s.empty()) return false;
  for (const char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c)) && c != '.' && c != '-') return false;
  }
  char* end = nullptr;
  *out = std::strtod(s.c_str(), &end);
  return end == s.c_str() + s.size();
}

ListPage::Value ValueOf(const json& v) {
  ListPage::Value out;
  if (v.is_null() || (v.is_string() && v.get_ref<const std::string&>().empty())) return out;
  if (v.is_number()) {
    out.rank = 1;
    out.number = v.get<double>();
  } else if (v.is_boolean()) {
    out.rank = 1;
    out.number = v.get<bool>() ? 1 : 0;
  } else if (v.is_string()) {
    out.raw = v.get<std::string>();
    if (ParseNumber(out.raw, &out.number)) {
      out.rank = 1;
    } else {
      out.rank = 2;
      out.folded = FoldForSearch(out.raw);
    }
  } else {
    out.rank = 3;
    out.raw = v.dump();
  }
  return out;
}

int CompareValues(const ListPage::Value& a, const ListPage::Value& b) {
  if (a.rank != b.rank) return a.rank < b.rank ? -1 : 1;
  if (a.rank == 1 && a.number != b.number) return a.number < b.number ? -1 : 1;
  if (const int c = a.folded.compare(b.folded); c != 0) return c < 0 ? -1 : 1;
  if (const int c = a.raw.compare(b.raw); c != 0) return c < 0 ? -1 : 1;
  return 0;
}

// A sort key's value in the row: its own field, else the custom field of that name (any case);
// nullptr when it has neither.
const json* SortField(const json& row, const std::string& key) {
  if (auto it = row.find(key); it != row.end()) return &*it;
  auto custom = row.find("custom");
  if (custom == row.end() || !custom->is_object()) return nullptr;
  for (const auto& [name, value] : custom->items()) {
    if (EqualsIgnoreCase(name, key)) return &value;
  }
  return nullptr;
}

std::string IdOf(const json& row, const std::string& key) {
  auto it = row.find(key);
  if (it == row.end()) return "";
  return it->is_string() ? it->get<std::string>() : it->dump();
}

}  // namespace

std::shared_ptr<ListQuery> AddListQuery(CLI::App* list, std::string* view) {
  auto q = std::make_shared<ListQuery>();
  if (view != nullptr) list->add_option("--view", *view, "a saved view: its filters, sort and search (view save)");
  list->add_option("--search", q->search, "rows where this text occurs (names, email, company), case and accents aside");
  list->add_option("--sort", q->sort, "FIELD[,-FIELD]: order by these fields (- descending; JSON key names)");
  list->add_option("--limit", q->limit, "at most this many rows");
  list->add_option("--after", q->after, "the rows after this cursor (the last row's, or the 'next' of --total)");
  list->add_flag("--total", q->total, "count every matching row: --json answers {total, items, next}");
  return q;
}

Status ApplyView(const reference::State& ref, const std::string& name, const std::string& on,
                 std::vector<std::string>* filters, ListQuery* query) {
  const reference::SavedView* view = ref.FindView(name);
  if (view == nullptr) return Status::NotFound("no view named '" + name + "' (crmctl view list)");
  if (view->on != on) {
    return Status::InvalidArgument("view '" + view->name + "' lists " + view->on + ", not " + on);
  }
  std::vector<std::string> all = view->filters;
  all.insert(all.end(), filters->begin(), filters->end());
  *filters = std::move(all);
  if (query->sort.empty()) query->sort = view->sort;
  if (query->search.empty()) query->search = view->search;
  return Status::Ok();
}

Result<ListPage> ListPage::Make(const ListQuery& query, std::string id_key, std::vector<std::string> search_keys) {
  ListPage page;
  page.query_ = query;
  page.id_key_ = std::move(id_key);
  page.search_keys_ = std::move(search_keys);
  page.needle_ = FoldForSearch(query.search);
  for (size_t at = 0; !query.sort.empty() && at <= query.sort.size();) {
    size_t end = query.sort.find(',', at);
    if (end == std::string::npos) end = query.sort.size();
    std::string field = query.sort.substr(at, end - at);
    const bool descending = !field.empty() && field[0] == '-';
    if (descending) field.erase(0, 1);
    if (field.empty()) return Status::InvalidArgument("--sort takes FIELD[,-FIELD], not '" + query.sort + "'");
    page.sort_.emplace_back(field, descending);
    at = end + 1;
  }
  if (query.after.empty()) return page;
  page.after_ = std::make_unique<Entry>();
  if (page.sort_.empty()) {
    page.after_->id = query.after;
    return page;
  }
  // A sorted list's cursor: base64 of [sort values..., id].
  const Status not_cursor = Status::InvalidArgument(
      "--after '" + query.after + "' is not a cursor of a list sorted by '" + query.sort +
      "' (take the 'next' of a page sorted the same way)");
  auto bytes = FromBase64(query.after);
  if (!bytes.ok()) return not_cursor;
  const json values = json::parse(*bytes, nullptr, /*allow_exceptions=*/false);
  if (!values.is_array() || values.size() != page.sort_.size() + 1 || !values.back().is_string()) return not_cursor;
  for (size_t i = 0; i < page.sort_.size(); ++i) page.after_->key.push_back(ValueOf(values[i]));
  page.after_->id = values.back().get<std::string>();
  return page;
}

bool ListPage::Matches(const json& row) const {
  if (needle_.empty()) return true;
  for (const std::string& key : search_keys_) {
    auto it = row.find(key);
    if (it == row.end()) continue;
    if (it->is_string() && ContainsFolded(it->get_ref<const std::string&>(), needle_)) return true;
    if (it->is_array()) {
      for (const json& v : *it) {
        if (v.is_string() && ContainsFolded(v.get_ref<const std::string&>(), needle_)) return true;
      }
    }
  }
  return false;
}

bool ListPage::Searched(std::initializer_list<std::string_view> texts) const {
  if (needle_.empty()) return true;
  for (std::string_view text : texts) {
    if (ContainsFolded(text, needle_)) return true;
  }
  return false;
}

bool ListPage::Behind(const std::string& id) const { return after_ && CompareIds(id, after_->id) <= 0; }

ListPage::Entry ListPage::EntryOf(json row) const {
  Entry e;
  e.id = IdOf(row, id_key_);
  for (const auto& [key, descending] : sort_) {
    const json* v = SortField(row, key);
    e.key.push_back(v == nullptr ? Value{} : ValueOf(*v));
  }
  e.row = std::move(row);
  return e;
}

bool ListPage::Before(const Entry& a, const Entry& b) const {
  for (size_t i = 0; i < sort_.size(); ++i) {
    const int c = CompareValues(a.key[i], b.key[i]);
    if (c != 0) return sort_[i].second ? c > 0 : c < 0;
  }
  return CompareIds(a.id, b.id) < 0;
}

std::string ListPage::CursorOf(const Entry& e) const {
  if (sort_.empty()) return e.id;
  json values = json::array();
  for (const auto& [key, descending] : sort_) {
    const json* v = SortField(e.row, key);
    values.push_back(v == nullptr ? json() : *v);
  }
  values.push_back(e.id);
  return Base64(values.dump());
}

bool ListPage::Offer(json row) {
  if (!Matches(row)) return true;
  // A sort key is known when some row has it (rows leave out flags that are not set).
  if (fields_.empty()) {
    for (const auto& [key, value] : row.items()) fields_ += (fields_.empty() ? "" : ", ") + key;
    key_seen_.assign(sort_.size(), false);
  }
  for (size_t k = 0; k < sort_.size(); ++k) key_seen_[k] = key_seen_[k] || SortField(row, sort_[k].first) != nullptr;
  ++total_;
  Entry e = EntryOf(std::move(row));
  if (after_ && !Before(*after_, e)) return true;  // at or before the cursor
  const auto before = [this](const Entry& a, const Entry& b) { return Before(a, b); };
  if (sort_.empty()) {
    if (query_.limit == 0 || kept_.size() < query_.limit) {
      kept_.push_back(std::move(e));
      return true;
    }
    more_ = true;
    return query_.total;
  }
  // The first `limit` rows in sort order: a heap whose top is the last of them.
  kept_.push_back(std::move(e));
  std::push_heap(kept_.begin(), kept_.end(), before);
  if (query_.limit > 0 && kept_.size() > query_.limit) {
    std::pop_heap(kept_.begin(), kept_.end(), before);
    kept_.pop_back();
    more_ = true;
  }
  return true;
}

Result<Output> ListPage::Finish(bool as_json, std::vector<std::string> header,
                                const std::function<std::vector<std::string>(const json&)>& cells) {
  std::string unknown;
  for (size_t k = 0; k < key_seen_.size(); ++k) {
    if (!key_seen_[k]) unknown += (unknown.empty() ? "'" : ", '") + sort_[k].first + "'";
  }
  if (!unknown.empty()) {
    return Status::InvalidArgument("--sort: no field " + unknown + " in this list (its fields: " + fields_ + ")");
  }
  if (!sort_.empty()) {
    std::sort_heap(kept_.begin(), kept_.end(), [this](const Entry& a, const Entry& b) { return Before(a, b); });
  }
  const json next = more_ && !kept_.empty() ? json(CursorOf(kept_.back())) : json();
  if (as_json) {
    json items = json::array();
    for (Entry& e : kept_) items.push_back(std::move(e.row));
    if (!query_.total) return JsonOrText(std::move(items), "");
    return JsonOrText(json{{"total", total_}, {"items", std::move(items)}, {"next", next}}, "");
  }
  Table table(std::move(header));
  for (const Entry& e : kept_) table.Add(cells(e.row));
  std::ostringstream text;
  table.Print(text);
  if (query_.total) text << kept_.size() << " of " << total_ << '\n';
  if (!next.is_null()) text << "next page: --after " << next.get<std::string>() << '\n';
  return TextOutput(text.str());
}

}  // namespace crm::cli
