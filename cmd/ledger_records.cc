#include "cmd/ledger_records.h"

#include <chrono>
#include <iostream>
#include <thread>

#include "aggregates/common.h"
#include "events/codec.h"
#include "events/kafka_log.h"
#include "events/key_topic.h"
#include "events/keyring.h"

namespace crm::cli {
namespace {

using json = nlohmann::ordered_json;

// {"bytes": [32 numbers]} as the schema renders a Hash256 -> 64 hex digits.
bool HashAsHex(json* v) {
  if (!v->is_object() || v->size() != 1 || !v->contains("bytes")) return false;
  const json& bytes = (*v)["bytes"];
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

std::string CellText(const json& v) {
  if (v.is_null()) return "";
  if (v.is_string()) return v.get<std::string>();
  return v.dump();  // numbers, booleans; arrays and objects as compact JSON
}

}  // namespace

Status RecordFilter::Validate() const {
  if (from == 0) return Status::InvalidArgument("--from counts from 1");
  if (to != 0 && to < from) {
    return Status::InvalidArgument("--to " + std::to_string(to) + " is before --from " + std::to_string(from));
  }
  return Status::Ok();
}

Status ForEachRecord(App* app, const RecordFilter& f, bool follow, const RecordSink& sink) {
  CRM_RETURN_IF_ERROR(f.Validate());
  CRM_ASSIGN_OR_RETURN(auto kafka, app->Kafka());
  std::unique_ptr<KeySource> key_source;
  KeySource* keys = nullptr;
  std::optional<Reader> r;
  if (kafka) {
    CRM_ASSIGN_OR_RETURN(key_source, KeyTopicSnapshot::Read(*kafka));
  } else {
    CRM_ASSIGN_OR_RETURN(r, app->OpenReader(false));
    key_source = std::make_unique<Keyring>(r->store.get());
  }
  keys = key_source.get();
  uint64_t next = f.from;
  size_t passed = 0;
  Status inner;
  bool done = false;
  auto offer = [&](LedgerSeq seq, std::string_view record) {
    if (seq.value() < next) return true;  // seen already (a follow pass starts over)
    next = seq.value() + 1;
    if (f.to != 0 && seq.value() > f.to) {
      done = true;
      return false;
    }
    auto env = DecodeEnvelope(record);
    if (!env.ok()) {
      inner = env.status().WithContext("record " + std::to_string(seq.value()));
      return false;
    }
    if (!f.stream.empty() && (*env)->stream()->string_view() != f.stream) return true;
    if (!f.type.empty() && !EqualsIgnoreCase(EventTypeName((*env)->payload_type()), f.type)) return true;
    auto opened = OpenRecord(**env, keys);
    if (!opened.ok()) {
      inner = opened.status().WithContext("record " + std::to_string(seq.value()));
      return false;
    }
    auto go_on = sink(seq, *opened ? std::string_view(**opened) : record);
    if (!go_on.ok()) {
      inner = go_on.status();
      return false;
    }
    done = !*go_on || (f.limit != 0 && ++passed >= f.limit) || (f.to != 0 && seq.value() >= f.to);
    return !done;
  };
  if (kafka) {
    CRM_RETURN_IF_ERROR(ScanLog(*kafka, offer, follow).status());
    return inner;
  }
  for (;;) {
    CRM_RETURN_IF_ERROR(r->ledger->Read(LedgerSeq(next), offer));
    CRM_RETURN_IF_ERROR(inner);
    if (!follow || done) return Status::Ok();
    std::cout.flush();
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    CRM_RETURN_IF_ERROR(FromRocks(r->store->db()->TryCatchUpWithPrimary(), "following the ledger"));
  }
}

Result<json> EventRows::Object(std::string_view record) const {
  std::optional<std::string> opened;
  if (keys_ != nullptr) {
    CRM_ASSIGN_OR_RETURN(const fb::Envelope* env, DecodeEnvelope(record));
    CRM_ASSIGN_OR_RETURN(opened, OpenRecord(*env, keys_));
  }
  CRM_ASSIGN_OR_RETURN(std::string text, json_.ToJson(opened ? std::string_view(*opened) : record));
  json object = json::parse(text, nullptr, false);
  if (!object.is_object()) return Status::Internal("the schema's JSON for a record does not parse");
  for (auto& [name, value] : object.items()) HashAsHex(&value);
  if (object.contains("recorded_at") && object["recorded_at"].is_number_integer()) {
    object["recorded_at"] = FormatTimestamp(Timestamp(object["recorded_at"].get<int64_t>()));
  }
  return object;
}

std::vector<std::string> EventRows::Columns() const {
  std::vector<std::string> columns;
  for (const std::string& name : envelope_) {
    if (name != "payload") columns.push_back(name);
  }
  for (const std::string& name : payload_) columns.push_back("payload." + name);
  return columns;
}

std::string EventRows::CsvHeader() const {
  std::string line;
  for (const std::string& column : Columns()) {
    if (!line.empty()) line.push_back(',');
    AppendCsvField(&line, column);
  }
  return line + '\n';
}

std::string EventRows::CsvLine(const json& object) const {
  std::string line;
  bool first = true;
  auto cell = [&](const json* v) {
    if (!first) line.push_back(',');
    first = false;
    if (v != nullptr) AppendCsvField(&line, CellText(*v));
  };
  for (const std::string& name : envelope_) {
    if (name == "payload") continue;
    cell(object.contains(name) ? &object[name] : nullptr);
  }
  static const json kEmpty = json::object();
  const json& payload = object.contains("payload") && object["payload"].is_object() ? object["payload"] : kEmpty;
  for (const std::string& name : payload_) cell(payload.contains(name) ? &payload[name] : nullptr);
  return line + '\n';
}

}  // namespace crm::cli
