#include "events/event_rows.h"

#include "events/codec.h"
#include "events/values.h"

namespace crm {
namespace {

using OrderedJson = nlohmann::ordered_json;

// {"bytes": [32 numbers]} as the schema renders a Hash256 -> 64 hex digits.
bool HashAsHex(OrderedJson* v) {
  if (!v->is_object() || v->size() != 1 || !v->contains("bytes")) return false;
  const OrderedJson& bytes = (*v)["bytes"];
  if (!bytes.is_array() || bytes.size() != 32) return false;
  Hash h{};
  for (size_t i = 0; i < h.size(); ++i) h[i] = bytes[i].get<uint8_t>();
  *v = HashToHex(h);
  return true;
}

// RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled.
void AppendCsvField(std::string* line, std::string_view field) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
    line->append(field);
    return;
  }
  line->push_back('"');
  for (char c : field) {
    if (c == '"') line->push_back('"');
    line->push_back(c);
  }
  line->push_back('"');
}

std::string CellText(const OrderedJson& v) {
  if (v.is_null()) return "";
  if (v.is_string()) return v.get<std::string>();
  return v.dump();  // numbers, booleans; arrays and objects as compact JSON
}

}  // namespace

Result<OrderedJson> EventRows::Object(std::string_view record) const {
  std::optional<std::string> opened;
  if (keys_ != nullptr) {
    CRM_ASSIGN_OR_RETURN(const fb::Envelope* env, DecodeEnvelope(record));
    CRM_ASSIGN_OR_RETURN(opened, OpenRecord(*env, keys_));
  }
  CRM_ASSIGN_OR_RETURN(std::string text, json_.ToJson(opened ? std::string_view(*opened) : record));
  OrderedJson object = OrderedJson::parse(text, nullptr, false);
  if (!object.is_object()) return Status::Internal("the schema's JSON for a record does not parse");
  for (auto& [name, value] : object.items()) HashAsHex(&value);
  if (object.contains("recorded_at") && object["recorded_at"].is_number_integer()) {
    object["recorded_at"] = FormatTimestamp(Timestamp(object["recorded_at"].get<int64_t>()));
  }
  return object;
}

std::string EventRows::CsvRow(const std::function<std::string(const std::string&, bool)>& cell) const {
  std::string line;
  bool first = true;
  auto add = [&](const std::string& name, bool in_payload) {
    if (!first) line.push_back(',');
    first = false;
    AppendCsvField(&line, cell(name, in_payload));
  };
  for (const std::string& name : envelope_) {
    if (name != "payload") add(name, false);
  }
  for (const std::string& name : payload_) add(name, true);
  return line + '\n';
}

std::string EventRows::CsvHeader() const {
  return CsvRow([](const std::string& name, bool in_payload) { return in_payload ? "payload." + name : name; });
}

std::string EventRows::CsvLine(const OrderedJson& object) const {
  static const OrderedJson kEmpty = OrderedJson::object();
  const OrderedJson& payload = object.contains("payload") && object["payload"].is_object() ? object["payload"] : kEmpty;
  return CsvRow([&](const std::string& name, bool in_payload) {
    const OrderedJson& from = in_payload ? payload : object;
    return from.contains(name) ? CellText(from[name]) : "";
  });
}

}  // namespace crm
