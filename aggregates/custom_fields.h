// Custom fields (SPEC §4.11; Zoho's custom fields, BC's user-defined fields): what a field is, the
// rules for defining one and for its values, and the fold of values in a record's events.
//
// A field is defined for contacts, leads or campaigns (`field add contact Birthday --type date`)
// and lives in the reference aggregate (aggregates/reference.h); its values ride in the record's
// own *Created and *Changed events (`custom`, schema 13), so the contact, lead and campaign
// aggregates each check and fold them with what is here.
//
// Rules: a name is a letter, then letters, digits and '_' (at most 40), so that `--field
// NAME=VALUE` and `--filter NAME=...` can name it; it may not be one of the record's own fields; a
// name on contacts and leads alike has one type (party lists filter both as one). At most
// kMaxFieldsPerRecord per record kind. A picklist has 1..kMaxPicklistValues distinct values. A value
// is checked against its type and kept in the canonical form: text (one line, <= 255 characters),
// number (exact decimal, at most 12 integer and 6 fraction digits, written without trailing zeros),
// date (YYYY-MM-DD), bool ("yes"/"no", from yes/no/true/false/1/0), picklist (a value as defined,
// found case-insensitively). "" clears a value.
//
// Pure; header templates over the events' object-API tables.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "aggregates/common.h"

namespace crm::custom {

inline constexpr size_t kMaxFieldsPerRecord = 50;
inline constexpr size_t kMaxPicklistValues = 100;

struct FieldDef {
  std::string on;    // "contact", "lead" or "campaign"
  std::string name;  // as defined; found case-insensitively
  fb::CustomFieldType type = fb::CustomFieldType::Text;
  std::vector<std::string> values;  // a picklist's, in display order
  bool operator==(const FieldDef&) const = default;
};

// A record's custom values by field name as defined (no empty values). As a patch: by name as
// given, "" = clear.
using Values = std::map<std::string, std::string>;

// "text", "number", "date", "bool", "picklist" and back.
std::string TypeName(fb::CustomFieldType type);
Result<fb::CustomFieldType> ParseType(std::string_view text);
// "contact", "lead", "campaign" (also their plurals); InvalidArgument otherwise.
Result<std::string> ParseOn(std::string_view text);

// The definition as a command asks for it, checked and normalised (the name's syntax, the values
// of a picklist); `reserved` holds the record's own field names.
Result<FieldDef> CheckDefinition(FieldDef def, const std::vector<std::string>& reserved);

// `value` in its field's canonical form; InvalidArgument naming the field when it does not fit
// the type. "" stays "" (clears).
Result<std::string> CheckValue(const FieldDef& def, std::string_view value);

// A record's values after `patch`: its names resolved to the definitions in `defs` (those of the
// record kind `on`), its values checked, applied onto `before` ("" erases). NotFound for a name not
// defined there.
Result<Values> Change(Values before, const Values& patch, const std::vector<const FieldDef*>& defs,
                      std::string_view on);

// ---- In events ----

// The values a *Created event carries; those a *Changed event applies.
template <typename Table>
Values Read(const Table* e) {
  Values out;
  if (e->custom() == nullptr) return out;
  for (const auto* v : *e->custom()) {
    if (v->value() != nullptr && v->value()->size() > 0) out[Str(v->name())] = v->value()->str();
  }
  return out;
}
template <typename Table>
void Patch(Values* values, const Table* e) {
  if (e->custom() == nullptr) return;
  for (const auto* v : *e->custom()) {
    if (v->cleared()) {
      values->erase(Str(v->name()));
    } else if (v->value() != nullptr) {
      (*values)[Str(v->name())] = v->value()->str();
    }
  }
}

// Every value into a *CreatedT; the differences into a *ChangedT. Returns whether any differ.
template <typename T>
void Write(const Values& values, T* e) {
  for (const auto& [name, value] : values) {
    auto v = std::make_unique<fb::CustomValueT>();
    v->name = name;
    v->value = value;
    e->custom.push_back(std::move(v));
  }
}
template <typename T>
bool Diff(const Values& before, const Values& after, T* e) {
  bool changed = false;
  auto add = [&](const std::string& name, const std::string& value) {
    auto v = std::make_unique<fb::CustomValueT>();
    v->name = name;
    v->value = value;
    v->cleared = value.empty();
    e->custom.push_back(std::move(v));
    changed = true;
  };
  for (const auto& [name, value] : after) {
    auto it = before.find(name);
    if (it == before.end() || it->second != value) add(name, value);
  }
  for (const auto& [name, value] : before) {
    if (!after.contains(name)) add(name, "");
  }
  return changed;
}

// The patch that makes `now` read as `was` again: `was`'s values, and "" for those it lacks.
Values PatchBackTo(const Values& was, const Values& now);

// Each value reads `text` (a person's erasure: events/sealing.h kErasedText).
void MaskValues(Values* values, std::string_view text);

}  // namespace crm::custom
