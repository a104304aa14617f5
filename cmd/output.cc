#include "cmd/output.h"

#include <algorithm>
#include <sstream>
#include <string_view>
#include <tuple>

namespace crm::cli {
namespace {

// Where a field goes when a record is shown to people: what it is first (number, kind, name,
// status), how to reach it next (in the order the forms list them), the rest by name, and who
// made or changed it and when last. The JSON keeps its keys as they are.
constexpr std::string_view kFirst[] = {"no",     "kind",     "type",      "name",         "description", "status",
                                       "company", "company_name", "email", "phone",      "address",     "post_code",
                                       "city",   "country",  "language",  "salesperson", "territory",   "owner"};
constexpr std::string_view kLast[] = {"created_at", "created_by", "modified_at", "modified_by"};

std::tuple<int, size_t, std::string_view> Place(std::string_view key) {
  for (size_t i = 0; i < std::size(kFirst); ++i) {
    if (key == kFirst[i]) return {0, i, key};
  }
  for (size_t i = 0; i < std::size(kLast); ++i) {
    if (key == kLast[i]) return {2, i, key};
  }
  return {1, 0, key};
}

}  // namespace

Output TextOutput(std::string text) {
  Output out;
  out.text = std::move(text);
  return out;
}

Output JsonOrText(nlohmann::json json, std::string text) {
  Output out;
  out.json = std::move(json);
  out.text = std::move(text);
  return out;
}

Output ObjectOutput(nlohmann::json object) {
  std::vector<std::pair<std::string, std::string>> fields;
  for (const auto& [k, v] : object.items()) fields.emplace_back(k, v.is_string() ? v.get<std::string>() : v.dump());
  std::string text = RecordText(std::move(fields));
  return JsonOrText(std::move(object), std::move(text));
}

Output ListOutput(nlohmann::json rows, const Table& table) {
  std::ostringstream text;
  table.Print(text);
  return JsonOrText(std::move(rows), text.str());
}

Output JsonOutput(nlohmann::json json) {
  Output out;
  out.json = std::move(json);
  out.always_json = true;
  return out;
}

std::string JoinText(const nlohmann::json& strings) {
  std::string s;
  for (const auto& v : strings) s += (s.empty() ? "" : ", ") + v.get<std::string>();
  return s;
}

std::string RecordText(std::vector<std::pair<std::string, std::string>> fields) {
  std::stable_sort(fields.begin(), fields.end(), [](const auto& a, const auto& b) { return Place(a.first) < Place(b.first); });
  return FieldsText(fields);
}

std::string FieldsText(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::ostringstream text;
  PrintFields(text, fields);
  return text.str();
}

}  // namespace crm::cli
