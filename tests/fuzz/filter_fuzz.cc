// libFuzzer target for the filter engine (projections/filter.h).
//
// Input: filter arguments separated by '\n', parsed against a fixed schema with every field type.
// Properties checked (a violation traps):
//  - parsing never crashes; a failure is kInvalidArgument with a message;
//  - Canonical() splits back into arguments (at "; " outside quotes) that parse again, give the same
//    canonical text and the same Matches() answers on fixed records.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "projections/filter.h"

namespace {

using crm::FieldType;

const crm::FieldSchema& Schema() {
  static const crm::FieldSchema schema({
      {"city", FieldType::kText, false},
      {"status", FieldType::kCode, false},
      {"job", FieldType::kCode, true},
      {"tags", FieldType::kText, true},
      {"day", FieldType::kDate, false},
      {"amount", FieldType::kNumber, false},
      {"flag", FieldType::kBool, false},
  });
  return schema;
}

class FixedRecord : public crm::FilterRecord {
 public:
  explicit FixedRecord(std::vector<std::vector<std::string>> values) : values_(std::move(values)) {}
  void Values(int field, std::vector<std::string>* out) const override {
    const auto& v = values_[static_cast<size_t>(field)];
    out->insert(out->end(), v.begin(), v.end());
  }

 private:
  std::vector<std::vector<std::string>> values_;
};

const std::vector<FixedRecord>& Records() {
  static const std::vector<FixedRecord> records = {
      FixedRecord({{"Oslo"}, {"PURCHASE"}, {"SALES", "IT"}, {"vip", "a|b"}, {"2027-01-10"}, {"12.50"}, {"yes"}}),
      FixedRecord({{""}, {""}, {}, {}, {""}, {""}, {""}}),
      FixedRecord({{"o'Brien ;x"}, {"lost"}, {"*"}, {"..", "@x"}, {"2027-02-30"}, {"1e5"}, {"maybe"}}),
      FixedRecord({{"Tromsø"}, {"A"}, {""}, {" "}, {"1999-12-31"}, {"-0.000001"}, {"0"}}),
  };
  return records;
}

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

// Canonical text back into arguments: "; " separates them except inside quoted values.
std::vector<std::string> SplitCanonical(std::string_view text) {
  std::vector<std::string> args;
  if (text.empty()) return args;
  std::string current;
  bool quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\'') quoted = !quoted;
    if (!quoted && text.substr(i).starts_with("; ")) {
      args.push_back(std::move(current));
      current.clear();
      ++i;
      continue;
    }
    current += text[i];
  }
  args.push_back(std::move(current));
  return args;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> args;
  for (size_t start = 0; start <= input.size();) {
    size_t end = input.find('\n', start);
    if (end == std::string_view::npos) end = input.size();
    args.emplace_back(input.substr(start, end - start));
    start = end + 1;
  }

  auto filter = crm::Filter::Parse(args, Schema());
  if (!filter.ok()) {
    Check(filter.status().code() == crm::StatusCode::kInvalidArgument && !filter.status().message().empty());
    return 0;
  }
  for (int field : filter->Fields()) Check(field >= 0 && field < static_cast<int>(Schema().fields().size()));

  const std::string canonical = filter->Canonical();
  auto again = crm::Filter::Parse(SplitCanonical(canonical), Schema());
  Check(again.ok());
  Check(again->Canonical() == canonical);
  Check(again->Fields() == filter->Fields());
  for (const FixedRecord& record : Records()) Check(filter->Matches(record) == again->Matches(record));
  return 0;
}
