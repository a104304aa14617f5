// The fields contacts and leads share (SPEC §4.2), spelled once. The four events that carry them
// (ContactCreated, ContactChanged, LeadCreated, LeadChanged) name them alike, so one table in one
// order serves every place that handles them one by one: the aggregates' patching, diffing and
// erasure (aggregates/person.h), the sealing of personal data (events/sealing.cc), the contacts
// read model's rows and the command line's options. A new shared field is added to the schema's
// four tables and to the three lists below; the static_asserts keep the lists in step.
//
// Header-only, constexpr.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

#include "events/crm_events_generated.h"

namespace crm {

struct PersonFieldInfo {
  std::string_view name;   // in events (a *Changed's `cleared` list), rows, filters and exports
  std::string_view label;  // in messages and help ("post code")
  bool personal;           // sealed for crypto-shredding (events/sealing.h): a person is known by it
};

inline constexpr std::array<PersonFieldInfo, 14> kPersonFields{{
    {"name", "name", true},
    {"email", "email", true},
    {"phone", "phone", true},
    {"address", "address", true},
    {"post_code", "post code", true},
    {"city", "city", true},
    {"country", "country", false},
    {"language", "language", false},
    {"salesperson", "salesperson", false},
    {"territory", "territory", false},
    {"mobile", "mobile", true},       // schema 14
    {"source", "source", false},      // the product it was imported from (issue 19)
    {"source_id", "source id", false},  // its id there
    {"source_modified_at", "time modified in the source", false},  // schema 15: a timestamp (UTC)
}};

// The shared fields as one value each: PersonFieldValues<std::string> holds a record's fields,
// PersonFieldValues<std::optional<std::string>> a partial update.
template <typename V>
struct PersonFieldValues {
  V name, email, phone, address, post_code, city, country, language, salesperson, territory, mobile, source, source_id,
      source_modified_at;
};

// The members holding the shared fields, in kPersonFields's order, of any struct that names them
// alike: PersonFieldValues, and the events' object-API tables (fb::ContactCreatedT, ...).
template <typename S>
inline constexpr std::array kPersonFieldMembers{&S::name,        &S::email,     &S::phone,   &S::address,
                                                &S::post_code,   &S::city,      &S::country, &S::language,
                                                &S::salesperson, &S::territory, &S::mobile,  &S::source,
                                                &S::source_id,   &S::source_modified_at};

// Their accessors on the events' flat tables (fb::ContactCreated, ...), in the same order.
template <typename Table>
inline constexpr std::array kPersonFieldGetters{&Table::name,      &Table::email,     &Table::phone,
                                                &Table::address,   &Table::post_code, &Table::city,
                                                &Table::country,   &Table::language,  &Table::salesperson,
                                                &Table::territory, &Table::mobile,    &Table::source,
                                                &Table::source_id, &Table::source_modified_at};

static_assert(kPersonFieldMembers<PersonFieldValues<int>>.size() == kPersonFields.size());
static_assert(kPersonFieldGetters<fb::ContactChanged>.size() == kPersonFields.size());

}  // namespace crm
