// The contacts-and-leads read model's row (column family "contacts", key "c" + SortKey(no); the
// email index beside it is keys.h's): a contact's or a lead's folded state, binary, versioned.
// Filters read it without JSON (PartyRecord); `show` and exports make their JSON from the decoded
// state (rows.h ToJson), so a change of display never changes a stored row.
//
//   row     := version u8 (5), kind u8 ('C' contact | 'L' lead), common, contact | lead, deleted u8,
//              custom strs (name, value, name, value, ...; versions 1 and 2 end before it, 1 before
//              deleted)
//   common  := no str, the shared fields (events/person_fields.h, in its order; the first ten
//              before version 4, thirteen before 5) str each,
//              consent str, consent_reason str, bounced u8, bounce_reason str, erased u8,
//              created_at i64, modified_at i64
//   contact := type u8 (fb::ContactType), company str, job_responsibilities strs,
//              business_relations strs, industry_groups strs, mailing_groups strs,
//              exclude_from_segment u8
//   lead    := company_name str, lead_status str, lead_source str, description str,
//              converted_to str, converted_company str, converted_opportunity str, converted_at i64
// with str := varint length, bytes; strs := varint count, str each; i64 big-endian
// (projections/row_codec.h). Encoding is deterministic, so a rebuild compares byte for byte.
#pragma once

#include <string>
#include <string_view>
#include <variant>

#include "aggregates/contact.h"
#include "aggregates/lead.h"
#include "aggregates/membership.h"
#include "projections/filter.h"

namespace crm {

using PartyState = std::variant<contact::ContactState, contact::LeadState>;

std::string EncodeParty(const contact::ContactState& s);
std::string EncodeParty(const contact::LeadState& s);
// Corruption when the row is not one EncodeParty wrote (or is the other kind, for the typed two).
Result<PartyState> DecodeParty(std::string_view row);
Result<contact::ContactState> DecodeContact(std::string_view row);
Result<contact::LeadState> DecodeLead(std::string_view row);

// Whether a filter leaves the party out for being deleted (RecordDeleted): deleted records leave
// every filtered list, segment step, criteria-based membership and export unless the filter
// names `deleted` itself (`--filter deleted=yes` finds them).
inline bool HiddenByDeletion(bool deleted, const Filter& f) { return deleted && !f.Uses("deleted"); }
inline bool HiddenByDeletion(const PartyState& party, const Filter& f) {
  return HiddenByDeletion(std::visit([](const auto& s) { return s.deleted; }, party), f);
}

// The roster fields (member_status, responded, added_at, changed_at, added_by) a membership gives a
// filter, appended to `out`; false for any other field. Shared by PartyRecord and JsonRecord.
bool MembershipValue(const membership::Membership& m, std::string_view field, std::vector<std::string>* out);

// A contact or lead (or none: every field empty) as a FilterRecord over PartySchema or
// RosterSchema (projections/queries.h): the values JsonRecord gives for the state's JSON row,
// without making it; with a membership, the roster fields come from it. Over SegmentSchema only
// for a filter that reads no interaction field: those come from the interaction log
// (ReadModel::WithInteractions), and PartyRecord gives them as empty.
class PartyRecord final : public FilterRecord {
 public:
  PartyRecord(const PartyState* state, const FieldSchema* schema, const membership::Membership* m = nullptr)
      : state_(state), schema_(schema), m_(m) {}
  void Values(int field, std::vector<std::string>* out) const override;
  void CustomValues(const std::string& name, std::vector<std::string>* out) const override;

 private:
  const PartyState* state_;
  const FieldSchema* schema_;
  const membership::Membership* m_;
};

}  // namespace crm
