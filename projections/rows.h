// Encodings of projection rows and keys.
//
// Record numbers in keys use SortKey: the two-letter prefix then the counter as 8 bytes
// big-endian, so CT10000 sorts after CT9999. Entity rows (reference data, campaigns,
// opportunities) are the aggregate's folded state as compact JSON with sorted keys
// (deterministic bytes, so a rebuild compares byte for byte); contacts and leads are binary
// (projections/party_rows.h), their JSON here made for display. Roster rows are binary (hot
// path, a row per member):
//   membership := status_len varint, status bytes, responded u8, how u8,
//                 added_at i64 BE, changed_at i64 BE, added_by_len varint, added_by bytes
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "aggregates/access.h"
#include "aggregates/campaign.h"
#include "aggregates/catalog.h"
#include "aggregates/contact.h"
#include "aggregates/lead.h"
#include "aggregates/membership.h"
#include "aggregates/opportunity.h"
#include "aggregates/reference.h"
#include "projections/party_rows.h"

namespace crm {

std::string SortKey(const RecordNo& no);
Result<RecordNo> FromSortKey(std::string_view key);

std::string EncodeMembership(const membership::Membership& m);
Result<membership::Membership> DecodeMembership(std::string_view row);

std::string EncodeU64(uint64_t v);
uint64_t DecodeU64(std::string_view v);

nlohmann::json ToJson(const reference::State& s);
nlohmann::json ToJson(const custom::FieldDef& f);
nlohmann::json ToJson(const catalog::Salesperson& p);
reference::State ReferenceFromJson(const nlohmann::json& j);
nlohmann::json ToJson(const access::State& s);
access::State UsersFromJson(const nlohmann::json& j);
nlohmann::json ToJson(const catalog::State& s);
catalog::State CatalogFromJson(const nlohmann::json& j);
// One template as `interaction-template show` prints it.
nlohmann::json ToJson(const catalog::TemplateDef& t);
nlohmann::json ToJson(const catalog::SalesCycle& c);
// One activity as `activity show` prints it.
nlohmann::json ToJson(const catalog::Activity& a);
// A price line: item, unit, min_qty, and discount (percent) or price (amount).
nlohmann::json ToJson(const campaign::PriceLine& p);
nlohmann::json ToJson(const campaign::State& s);
campaign::State CampaignFromJson(const nlohmann::json& j);
nlohmann::json ToJson(const contact::ContactState& s);
nlohmann::json ToJson(const contact::LeadState& s);
// ToJson of whichever the state holds.
nlohmann::json PartyToJson(const PartyState& state);

// JSON text of a row, and back; parse failures are Corruption.
std::string Dump(const nlohmann::json& j);
Result<nlohmann::json> Parse(std::string_view row);

}  // namespace crm
