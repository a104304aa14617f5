#include "cmd/output.h"

#include <sstream>

namespace crm::cli {

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
  std::string text = FieldsText(fields);
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

std::string FieldsText(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::ostringstream text;
  PrintFields(text, fields);
  return text.str();
}

}  // namespace crm::cli
