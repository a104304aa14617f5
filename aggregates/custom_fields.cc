// Custom fields: definitions, values and their canonical forms. Rules: custom_fields.h.
#include "aggregates/custom_fields.h"

#include <algorithm>

namespace crm::custom {
namespace {

constexpr size_t kMaxNameLength = 40;
constexpr size_t kMaxTextLength = 255;
constexpr size_t kMaxPicklistValueLength = 60;
constexpr int kNumberScale = 6;  // as filters compare numbers (projections/filter.cc)
constexpr int kNumberMaxIntDigits = 12;

bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }

Result<std::string> CheckFieldName(std::string_view text) {
  const std::string name = Trim(text);
  if (name.empty()) return Status::InvalidArgument("a custom field needs a name");
  if (name.size() > kMaxNameLength) {
    return Status::InvalidArgument("custom field name '" + name + "' is longer than " + std::to_string(kMaxNameLength) +
                                   " characters");
  }
  const bool ok = IsAsciiLetter(name[0]) && std::all_of(name.begin(), name.end(), [](char c) {
                    return IsAsciiLetter(c) || IsAsciiDigit(c) || c == '_';
                  });
  if (!ok) {
    return Status::InvalidArgument("custom field name '" + name +
                                   "' must be a letter followed by letters, digits or '_' (filters name it)");
  }
  return name;
}

Result<std::string> CheckNumber(const FieldDef& def, std::string_view text) {
  auto bad = [&] {
    return Status::InvalidArgument(def.name + ": '" + std::string(text) +
                                   "' is not a number (at most 12 integer and 6 fraction digits, '.' before the "
                                   "fraction)");
  };
  size_t i = (!text.empty() && (text[0] == '-' || text[0] == '+')) ? 1 : 0;
  while (i < text.size() && text[i] == '0') ++i;
  int int_digits = 0;
  for (; i < text.size() && IsAsciiDigit(text[i]); ++i) {
    if (++int_digits > kNumberMaxIntDigits) return bad();
  }
  auto fixed = ParseFixed(text, kNumberScale, "number");
  if (!fixed.ok()) return bad();
  std::string out = FormatFixed(*fixed, kNumberScale, true);
  if (out.ends_with(".0")) out.resize(out.size() - 2);
  if (out == "-0") out = "0";
  return out;
}

}  // namespace

std::string TypeName(fb::CustomFieldType type) {
  switch (type) {
    case fb::CustomFieldType::Text:
      return "text";
    case fb::CustomFieldType::Number:
      return "number";
    case fb::CustomFieldType::Date:
      return "date";
    case fb::CustomFieldType::Bool:
      return "bool";
    case fb::CustomFieldType::Picklist:
      return "picklist";
  }
  return "text";
}

Result<fb::CustomFieldType> ParseType(std::string_view text) {
  for (fb::CustomFieldType t : {fb::CustomFieldType::Text, fb::CustomFieldType::Number, fb::CustomFieldType::Date,
                                fb::CustomFieldType::Bool, fb::CustomFieldType::Picklist}) {
    if (EqualsIgnoreCase(TypeName(t), Trim(text))) return t;
  }
  return Status::InvalidArgument("--type takes text, number, date, bool or picklist, not '" + std::string(text) + "'");
}

Result<std::string> ParseOn(std::string_view text) {
  const std::string t = Lower(Trim(text));
  for (const char* on : {"contact", "lead", "campaign"}) {
    if (t == on || t == std::string(on) + "s") return std::string(on);
  }
  return Status::InvalidArgument("custom fields are on contact, lead or campaign, not '" + std::string(text) + "'");
}

Result<FieldDef> CheckDefinition(FieldDef def, const std::vector<std::string>& reserved) {
  CRM_ASSIGN_OR_RETURN(def.on, ParseOn(def.on));
  CRM_ASSIGN_OR_RETURN(def.name, CheckFieldName(def.name));
  for (const std::string& own : reserved) {
    if (EqualsIgnoreCase(own, def.name)) {
      return Status::AlreadyExists(def.on + " already has a field named " + own + " of its own");
    }
  }
  if (def.type != fb::CustomFieldType::Picklist) {
    if (!def.values.empty()) return Status::InvalidArgument("--values is for a picklist only");
    return def;
  }
  std::vector<std::string> values;
  for (const std::string& v : def.values) {
    CRM_ASSIGN_OR_RETURN(std::string value, CheckText(v, "picklist value", kMaxPicklistValueLength, false));
    if (value.empty()) continue;
    if (std::any_of(values.begin(), values.end(), [&](const auto& w) { return EqualsIgnoreCase(w, value); })) {
      return Status::InvalidArgument("picklist value '" + value + "' is given twice");
    }
    values.push_back(std::move(value));
  }
  if (values.empty()) return Status::InvalidArgument("a picklist needs its values (--values A,B,...)");
  if (values.size() > kMaxPicklistValues) {
    return Status::InvalidArgument("a picklist has at most " + std::to_string(kMaxPicklistValues) + " values");
  }
  def.values = std::move(values);
  return def;
}

Result<std::string> CheckValue(const FieldDef& def, std::string_view value) {
  const std::string v = Trim(value);
  if (v.empty()) return v;
  switch (def.type) {
    case fb::CustomFieldType::Text:
      return CheckText(v, def.name, kMaxTextLength, false);
    case fb::CustomFieldType::Number:
      return CheckNumber(def, v);
    case fb::CustomFieldType::Date: {
      auto date = ParseDate(v);
      if (!date.ok()) return Status::InvalidArgument(def.name + ": '" + v + "' is not a date (YYYY-MM-DD)");
      return FormatDate(*date);
    }
    case fb::CustomFieldType::Bool: {
      const std::string t = Lower(v);
      if (t == "yes" || t == "true" || t == "1") return std::string("yes");
      if (t == "no" || t == "false" || t == "0") return std::string("no");
      return Status::InvalidArgument(def.name + ": '" + v + "' is not yes or no (yes, no, true, false, 1, 0)");
    }
    case fb::CustomFieldType::Picklist: {
      for (const std::string& allowed : def.values) {
        if (EqualsIgnoreCase(allowed, v)) return allowed;
      }
      std::string list;
      for (const std::string& allowed : def.values) list += (list.empty() ? "" : ", ") + allowed;
      return Status::InvalidArgument(def.name + ": '" + v + "' is not one of its values (" + list + ")");
    }
  }
  return Status::Internal("unknown custom field type");
}

Result<Values> Change(Values before, const Values& patch, const std::vector<const FieldDef*>& defs,
                      std::string_view on) {
  for (const auto& [name, value] : patch) {
    auto it =
        std::find_if(defs.begin(), defs.end(), [&](const FieldDef* d) { return EqualsIgnoreCase(d->name, name); });
    if (it == defs.end()) {
      return Status::NotFound("no custom field " + std::string(on) + " " + Trim(name) + " (crmctl field list " +
                              std::string(on) + "; crmctl field add " + std::string(on) + " NAME --type ...)");
    }
    CRM_ASSIGN_OR_RETURN(std::string canonical, CheckValue(**it, value));
    if (canonical.empty()) {
      before.erase((*it)->name);
    } else {
      before[(*it)->name] = std::move(canonical);
    }
  }
  return before;
}

Values PatchBackTo(const Values& was, const Values& now) {
  Values out = was;
  for (const auto& [name, value] : now) {
    if (!was.contains(name)) out[name] = "";
  }
  return out;
}

void MaskValues(Values* values, std::string_view text) {
  for (auto& [name, value] : *values) value = std::string(text);
}

}  // namespace crm::custom
