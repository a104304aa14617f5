#include "projections/party_rows.h"

#include "events/person_fields.h"
#include "projections/row_codec.h"

namespace crm {
namespace {

// 1: the first; 2: `deleted` last (a row of version 1 reads as not deleted); 3: then the custom
// values (rows of versions 1 and 2 have none); 4: the shared fields mobile, source and source_id
// (schema 14; rows before have the first ten); 5: source_modified_at (schema 15; rows before have
// the first thirteen).
constexpr uint8_t kVersion = 5;
constexpr size_t kSharedFieldsBefore4 = 10;
constexpr size_t kSharedFieldsBefore5 = 13;
constexpr uint8_t kContactKind = 'C';
constexpr uint8_t kLeadKind = 'L';

template <typename State>
void PutCommon(RowWriter* w, uint8_t kind, const State& s) {
  w->Byte(kVersion);
  w->Byte(kind);
  w->Str(s.no.ToString());
  for (const auto member : kPersonFieldMembers<contact::Fields>) w->Str(s.f.*member);
  w->Str(s.consent);
  w->Str(s.consent_reason);
  w->Bool(s.bounced);
  w->Str(s.bounce_reason);
  w->Bool(s.erased);
  w->I64(s.created_at.value());
  w->I64(s.modified_at.value());
}

template <typename State>
bool GetCommon(RowReader* r, State* s, uint8_t version) {
  std::string no;
  int64_t created = 0, modified = 0;
  if (!r->Str(&no)) return false;
  auto parsed = RecordNo::Parse(no);
  if (!parsed.ok()) return false;
  s->exists = true;
  s->no = *parsed;
  const size_t fields = version >= 5 ? kPersonFields.size() : version == 4 ? kSharedFieldsBefore5 : kSharedFieldsBefore4;
  for (size_t i = 0; i < fields; ++i) {
    if (!r->Str(&(s->f.*kPersonFieldMembers<contact::Fields>[i]))) return false;
  }
  if (!r->Str(&s->consent) || !r->Str(&s->consent_reason) || !r->Bool(&s->bounced) || !r->Str(&s->bounce_reason) ||
      !r->Bool(&s->erased) || !r->I64(&created) || !r->I64(&modified)) {
    return false;
  }
  s->created_at = Timestamp(created);
  s->modified_at = Timestamp(modified);
  return true;
}

bool GetContact(RowReader* r, contact::ContactState* s, uint8_t version) {
  uint8_t type = 0;
  if (!GetCommon(r, s, version) || !r->Byte(&type) || type > static_cast<uint8_t>(fb::ContactType::MAX)) return false;
  s->type = static_cast<fb::ContactType>(type);
  return r->Str(&s->company) && r->Strs(&s->job_responsibilities) && r->Strs(&s->business_relations) &&
         r->Strs(&s->industry_groups) && r->Strs(&s->mailing_groups) && r->Bool(&s->exclude_from_segment);
}

bool GetLead(RowReader* r, contact::LeadState* s, uint8_t version) {
  int64_t converted_at = 0;
  if (!GetCommon(r, s, version) || !r->Str(&s->company_name) || !r->Str(&s->lead_status) || !r->Str(&s->lead_source) ||
      !r->Str(&s->description) || !r->Str(&s->converted_to) || !r->Str(&s->converted_company) ||
      !r->Str(&s->converted_opportunity) || !r->I64(&converted_at)) {
    return false;
  }
  s->converted_at = Timestamp(converted_at);
  return true;
}

// Custom values as one string list: name, value, name, value, ...
void PutCustom(RowWriter* w, const custom::Values& values) {
  std::vector<std::string> flat;
  for (const auto& [name, value] : values) {
    flat.push_back(name);
    flat.push_back(value);
  }
  w->Strs(flat);
}

bool GetCustom(RowReader* r, custom::Values* values) {
  std::vector<std::string> flat;
  if (!r->Strs(&flat) || flat.size() % 2 != 0) return false;
  for (size_t i = 0; i < flat.size(); i += 2) (*values)[flat[i]] = flat[i + 1];
  return true;
}

Status Bad() { return Status::Corruption("a contact or lead row does not decode"); }

// The first value of a timestamp field as JsonRecord reads a date field: the date part.
std::string DatePart(Timestamp t) { return FormatTimestamp(t).substr(0, 10); }
const char* YesNo(bool b) { return b ? "yes" : "no"; }

void PushAll(const std::vector<std::string>& values, std::vector<std::string>* out) {
  out->insert(out->end(), values.begin(), values.end());
  if (values.empty()) out->emplace_back();
}

// The value of `name` in the state's JSON row (rows.h ToJson), as JsonRecord renders it; false
// when the row has no such key (then the value is "").
bool CommonValue(const contact::Consent& c, const contact::Fields& f, std::string_view name, bool erased,
                 Timestamp created, Timestamp modified, std::vector<std::string>* out) {
  for (std::size_t i = 0; i < kPersonFields.size(); ++i) {
    if (name == kPersonFields[i].name) {
      const std::string& v = f.*kPersonFieldMembers<contact::Fields>[i];
      // A time filters as a date, as created_at does.
      out->push_back(name == "source_modified_at" ? v.substr(0, std::min<size_t>(v.size(), 10)) : v);
      return true;
    }
  }
  if (name == "consent") return out->push_back(c.consent), true;
  if (name == "consent_reason") return out->push_back(c.consent_reason), true;
  if (name == "opted_out") return out->push_back(YesNo(c.opted_out())), true;
  if (name == "bounced") return out->push_back(YesNo(c.bounced)), true;
  if (name == "bounce_reason") return out->push_back(c.bounce_reason), true;
  if (name == "erased" && erased) return out->push_back("yes"), true;
  if (name == "created_at") return out->push_back(DatePart(created)), true;
  if (name == "modified_at") return out->push_back(DatePart(modified)), true;
  return false;
}

bool Value(const contact::ContactState& s, std::string_view name, std::vector<std::string>* out) {
  if (CommonValue(s, s.f, name, s.erased, s.created_at, s.modified_at, out)) return true;
  if (name == "no") return out->push_back(s.no.ToString()), true;
  if (name == "kind") return out->push_back("contact"), true;
  if (name == "deleted" && s.deleted) return out->push_back("yes"), true;  // as the JSON: only then
  if (name == "type") return out->push_back(s.type == fb::ContactType::Company ? "company" : "person"), true;
  if (name == "company") return out->push_back(s.company), true;
  if (name == "job_responsibility") return PushAll(s.job_responsibilities, out), true;
  if (name == "business_relation") return PushAll(s.business_relations, out), true;
  if (name == "industry_group") return PushAll(s.industry_groups, out), true;
  if (name == "mailing_group") return PushAll(s.mailing_groups, out), true;
  if (name == "exclude_from_segment") return out->push_back(YesNo(s.exclude_from_segment)), true;
  return false;
}

bool Value(const contact::LeadState& s, std::string_view name, std::vector<std::string>* out) {
  if (CommonValue(s, s.f, name, s.erased, s.created_at, s.modified_at, out)) return true;
  if (name == "no") return out->push_back(s.no.ToString()), true;
  if (name == "kind") return out->push_back("lead"), true;
  if (name == "deleted" && s.deleted) return out->push_back("yes"), true;  // as the JSON: only then
  if (name == "company_name") return out->push_back(s.company_name), true;
  if (name == "lead_status") return out->push_back(s.lead_status), true;
  if (name == "lead_source") return out->push_back(s.lead_source), true;
  if (name == "description") return out->push_back(s.description), true;
  if (name == "converted") return out->push_back(YesNo(s.converted())), true;
  if (s.converted()) {
    if (name == "converted_to") return out->push_back(s.converted_to), true;
    if (name == "converted_company") return out->push_back(s.converted_company), true;
    if (name == "converted_opportunity") return out->push_back(s.converted_opportunity), true;
    if (name == "converted_at") return out->push_back(FormatTimestamp(s.converted_at)), true;
  }
  return false;
}

}  // namespace

std::string EncodeParty(const contact::ContactState& s) {
  RowWriter w;
  PutCommon(&w, kContactKind, s);
  w.Byte(static_cast<uint8_t>(s.type));
  w.Str(s.company);
  w.Strs(s.job_responsibilities);
  w.Strs(s.business_relations);
  w.Strs(s.industry_groups);
  w.Strs(s.mailing_groups);
  w.Bool(s.exclude_from_segment);
  w.Bool(s.deleted);
  PutCustom(&w, s.custom);
  return w.Take();
}

std::string EncodeParty(const contact::LeadState& s) {
  RowWriter w;
  PutCommon(&w, kLeadKind, s);
  for (const std::string* text : {&s.company_name, &s.lead_status, &s.lead_source, &s.description, &s.converted_to,
                                  &s.converted_company, &s.converted_opportunity}) {
    w.Str(*text);
  }
  w.I64(s.converted_at.value());
  w.Bool(s.deleted);
  PutCustom(&w, s.custom);
  return w.Take();
}

Result<PartyState> DecodeParty(std::string_view row) {
  RowReader r(row);
  uint8_t version = 0, kind = 0;
  if (!r.Byte(&version) || version < 1 || version > kVersion || !r.Byte(&kind)) return Bad();
  // Version 2 ends with `deleted`, version 3 with the custom values after it.
  const auto tail = [&](auto* s) {
    return (version < 2 || r.Bool(&s->deleted)) && (version < 3 || GetCustom(&r, &s->custom)) && r.done();
  };
  if (kind == kContactKind) {
    contact::ContactState s;
    if (!GetContact(&r, &s, version) || !tail(&s)) return Bad();
    return PartyState(std::move(s));
  }
  if (kind == kLeadKind) {
    contact::LeadState s;
    if (!GetLead(&r, &s, version) || !tail(&s)) return Bad();
    return PartyState(std::move(s));
  }
  return Bad();
}

Result<contact::ContactState> DecodeContact(std::string_view row) {
  CRM_ASSIGN_OR_RETURN(PartyState s, DecodeParty(row));
  if (auto* c = std::get_if<contact::ContactState>(&s)) return std::move(*c);
  return Status::Corruption("a lead's row where a contact's was expected");
}

Result<contact::LeadState> DecodeLead(std::string_view row) {
  CRM_ASSIGN_OR_RETURN(PartyState s, DecodeParty(row));
  if (auto* l = std::get_if<contact::LeadState>(&s)) return std::move(*l);
  return Status::Corruption("a contact's row where a lead's was expected");
}

bool MembershipValue(const membership::Membership& m, std::string_view field, std::vector<std::string>* out) {
  if (field == "member_status") return out->push_back(m.status), true;
  if (field == "responded") return out->push_back(YesNo(m.responded)), true;
  if (field == "added_at") return out->push_back(FormatDate(DateOf(m.added_at))), true;
  if (field == "changed_at") return out->push_back(FormatDate(DateOf(m.changed_at))), true;
  if (field == "added_by") return out->push_back(m.added_by.value()), true;
  if (field == "responded_at") {
    return out->push_back(m.responded_at.value() != 0 ? FormatDate(DateOf(m.responded_at)) : ""), true;
  }
  return false;
}

void PartyRecord::Values(int field, std::vector<std::string>* out) const {
  const FieldDef& def = schema_->fields()[static_cast<std::size_t>(field)];
  if (m_ != nullptr && MembershipValue(*m_, def.name, out)) return;
  const bool found =
      state_ != nullptr && std::visit([&](const auto& s) { return Value(s, def.name, out); }, *state_);
  if (!found) out->emplace_back();
}

void PartyRecord::CustomValues(const std::string& name, std::vector<std::string>* out) const {
  const custom::Values* values =
      state_ == nullptr ? nullptr : std::visit([](const auto& s) { return &s.custom; }, *state_);
  auto it = values == nullptr ? custom::Values::const_iterator() : values->find(name);
  out->push_back(values != nullptr && it != values->end() ? it->second : std::string());
}

}  // namespace crm
