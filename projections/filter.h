// The one filter engine (SPEC §3): `--filter FIELD=EXPR`, repeatable, all must hold.
//
// EXPR grammar (Business Central style), over a field's values:
//   expr   := term ('|' term)*                 any term may hold (or)
//   term   := factor ('&' factor)*             every factor must hold (and)
//   factor := ['@'] ( '<>' value              not equal
//                   | ('>='|'<='|'>'|'<') value
//                   | value '..' value | value '..' | '..' value     closed / open ranges
//                   | "''"                     the empty value
//                   | value )                  equal; '*' in a value is a wildcard (Ol*, *sen, *a*)
//   value  := characters other than | & ( ) ; a value may be quoted with '...' ('' inside = ')
// '@' makes the factor case-insensitive. Comparison follows the field's type: text and codes
// compare as strings (code fields and code values are upper-cased first, so `purchase` matches
// `PURCHASE`), dates as dates (YYYY-MM-DD), numbers and money as exact decimals, booleans accept
// yes/no/true/false/1/0. A multi-valued field matches if any of its values matches; an empty
// multi-valued field has the single value "" for matching purposes.
//
// Errors (kInvalidArgument) name the field and, for a malformed expression, the 1-based character
// position in EXPR: "filter city: unexpected '|' at position 6 in 'Oslo||Bergen'".
//
// Filters are immutable after parsing; thread-compatible. Canonical() gives a stable text form
// (fields in the given order, `FIELD=EXPR` joined by "; ") that events store as criteria.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "events/status.h"

namespace crm {

enum class FieldType { kText, kCode, kDate, kNumber, kBool };

struct FieldDef {
  std::string name;  // snake_case, as typed on the command line
  FieldType type = FieldType::kText;
  bool multi = false;  // multi-valued (job_responsibility, business_relation, ...)
};

// A record's custom fields (aggregates/custom_fields.h) are not in its FieldSchema: the data set
// defines them. A filter names them like the schema's own and reads them by name
// (FilterRecord::CustomValues).

// The fields one kind of record offers to filters, e.g. contacts or roster rows.
class FieldSchema {
 public:
  explicit FieldSchema(std::vector<FieldDef> fields) : fields_(std::move(fields)) {}
  // Index of the field, or -1.
  int Find(std::string_view name) const;
  const std::vector<FieldDef>& fields() const { return fields_; }

 private:
  std::vector<FieldDef> fields_;
};

// What a filter reads from a record: the values of one field, by index in the FieldSchema.
// For a single-valued field, append exactly one value ("" when unset).
class FilterRecord {
 public:
  virtual ~FilterRecord() = default;
  virtual void Values(int field, std::vector<std::string>* out) const = 0;
  // The value of the custom field `name` (as defined), exactly one ("" when the record has none).
  virtual void CustomValues(const std::string& name, std::vector<std::string>* out) const { out->emplace_back(); }
};

class Filter {
 public:
  Filter();
  ~Filter();
  Filter(Filter&&) noexcept;
  Filter& operator=(Filter&&) noexcept;
  Filter(const Filter&) = delete;
  Filter& operator=(const Filter&) = delete;

  // Parses `FIELD=EXPR` arguments against `schema` (which must outlive the Filter), then the
  // custom fields `custom`. No arguments gives a filter that matches everything. Field names are
  // case-insensitive.
  static Result<Filter> Parse(const std::vector<std::string>& args, const FieldSchema& schema,
                              const std::vector<FieldDef>& custom = {});
  // What Parse finds wrong before the data set is open: the syntax of every argument, and the
  // expressions over the schema's fields (a name it lacks may be a custom field, checked by Parse
  // with the data set's).
  static Status CheckSyntax(const std::vector<std::string>& args, const FieldSchema& schema);

  bool Matches(const FilterRecord& record) const;
  bool empty() const;
  // Indexes of the schema fields the filter reads (each once), for callers that load lazily.
  std::vector<int> Fields() const;
  std::string Canonical() const;
  // The same as FIELD=EXPR arguments, which Parse reads back to an equal filter.
  std::vector<std::string> CanonicalArgs() const;
  // Whether a condition names `field`.
  bool Uses(std::string_view field) const;
  // The exact values the conditions on `field` compare with (A in `A`, `<>A`, `A|B`; not
  // patterns, ranges or comparisons), as typed: a closed catalogue checks they exist.
  std::vector<std::string> Literals(std::string_view field) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace crm
