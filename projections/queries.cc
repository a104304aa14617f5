#include "projections/queries.h"

#include "aggregates/lead.h"
#include "events/quote.h"
#include "projections/interaction_rows.h"
#include "projections/keys.h"
#include "projections/party_rows.h"
#include "projections/projector.h"
#include "projections/rows.h"
#include "projections/segment_rows.h"

namespace crm {
namespace {

// The row at `key` as `decode` (std::string_view -> Result<T>) reads it; nullopt when absent.
template <typename T, typename Decode>
Result<std::optional<T>> DecodedRow(const Store::Txn& txn, rocksdb::ColumnFamilyHandle* cf, const std::string& key,
                                    Decode decode) {
  auto row = txn.Get(cf, key);
  if (!row.ok()) {
    if (row.status().code() == StatusCode::kNotFound) return std::optional<T>();
    return row.status();
  }
  CRM_ASSIGN_OR_RETURN(T value, decode(*row));
  return std::optional<T>(std::move(value));
}

// A JSON row read back through `from` (which throws on a missing key).
template <typename T, typename From>
Result<std::optional<T>> JsonRow(const Store::Txn& txn, rocksdb::ColumnFamilyHandle* cf, const std::string& key,
                                 From from) {
  return DecodedRow<T>(txn, cf, key, [&](std::string_view row) -> Result<T> {
    CRM_ASSIGN_OR_RETURN(nlohmann::json j, Parse(row));
    try {
      return from(j);
    } catch (const std::exception& e) {
      return Status::Corruption(std::string("projection row: ") + e.what());
    }
  });
}

std::vector<FieldDef> PartyFields() {
  return {{"no", FieldType::kCode},
          {"kind", FieldType::kCode},
          {"type", FieldType::kCode},
          {"name", FieldType::kText},
          {"company", FieldType::kCode},
          {"company_name", FieldType::kText},
          {"email", FieldType::kText},
          {"phone", FieldType::kText},
          {"mobile", FieldType::kText},
          {"address", FieldType::kText},
          {"post_code", FieldType::kText},
          {"city", FieldType::kText},
          {"country", FieldType::kText},
          {"language", FieldType::kCode},
          {"salesperson", FieldType::kCode},
          {"territory", FieldType::kCode},
          {"job_responsibility", FieldType::kCode, true},
          {"business_relation", FieldType::kCode, true},
          {"industry_group", FieldType::kCode, true},
          {"mailing_group", FieldType::kCode, true},
          {"exclude_from_segment", FieldType::kBool},
          {"consent", FieldType::kText},
          {"opted_out", FieldType::kBool},
          {"bounced", FieldType::kBool},
          {"lead_status", FieldType::kCode},  // a catalogue's names: they match whatever the case
          {"lead_source", FieldType::kText},
          {"converted", FieldType::kBool},  // a lead converted to a contact (none for a contact)
          {"deleted", FieldType::kBool},    // deleted records leave filters unless one names this
          {"created_at", FieldType::kDate},
          {"modified_at", FieldType::kDate},
          {"source", FieldType::kCode},  // the product it was imported from, and its id there
          {"source_id", FieldType::kText},
          {"source_modified_at", FieldType::kDate}};  // when the source last changed it (a date, as created_at)
}

// How a filter compares a custom field's values: a picklist's as codes (case-insensitively).
FieldType CustomFilterType(fb::CustomFieldType type) {
  switch (type) {
    case fb::CustomFieldType::Text: return FieldType::kText;
    case fb::CustomFieldType::Number: return FieldType::kNumber;
    case fb::CustomFieldType::Date: return FieldType::kDate;
    case fb::CustomFieldType::Bool: return FieldType::kBool;
    case fb::CustomFieldType::Picklist: return FieldType::kCode;
  }
  return FieldType::kText;
}

}  // namespace

const FieldSchema& PartySchema() {
  static const FieldSchema schema(PartyFields());
  return schema;
}

const FieldSchema& SegmentSchema() {
  static const FieldSchema schema([] {
    auto f = PartyFields();
    f.push_back({"interaction_template", FieldType::kCode, true});
    f.push_back({"interaction_campaign", FieldType::kCode, true});
    f.push_back({"interaction_date", FieldType::kDate, true});
    f.push_back({"interaction_segment", FieldType::kCode, true});
    return f;
  }());
  return schema;
}

const FieldSchema& RosterSchema() {
  static const FieldSchema schema([] {
    auto f = PartyFields();
    f.push_back({"member_status", FieldType::kCode});  // status names match case-insensitively
    f.push_back({"responded", FieldType::kBool});
    f.push_back({"added_at", FieldType::kDate});
    f.push_back({"changed_at", FieldType::kDate});
    f.push_back({"added_by", FieldType::kText});
    f.push_back({"responded_at", FieldType::kDate});
    return f;
  }());
  return schema;
}

const FieldSchema& CampaignSchema() {
  static const FieldSchema schema({{"no", FieldType::kCode},
                                   {"name", FieldType::kText},
                                   {"description", FieldType::kText},
                                   {"type", FieldType::kText},
                                   {"status", FieldType::kCode},
                                   {"start_date", FieldType::kDate},
                                   {"end_date", FieldType::kDate},
                                   {"owner", FieldType::kText},
                                   {"salesperson", FieldType::kCode},
                                   {"budgeted_cost", FieldType::kNumber},
                                   {"actual_cost", FieldType::kNumber},
                                   {"expected_revenue", FieldType::kNumber},
                                   {"number_sent", FieldType::kNumber},
                                   {"parent", FieldType::kCode},
                                   {"cloned_from", FieldType::kCode},
                                   {"deleted", FieldType::kBool},  // deleted ones leave filters unless named
                                   {"created_at", FieldType::kDate},
                                   {"modified_at", FieldType::kDate},
                                   {"source", FieldType::kCode},  // imported: from where, its id and time there
                                   {"source_id", FieldType::kText},
                                   {"source_modified_at", FieldType::kDate}});
  return schema;
}

void JsonRecord::Values(int field, std::vector<std::string>* out) const {
  const FieldDef& def = schema_->fields()[static_cast<size_t>(field)];
  if (m_ != nullptr && MembershipValue(*m_, def.name, out)) return;
  auto it = row_->find(def.name);
  if (it == row_->end() || it->is_null()) {
    out->push_back("");
  } else if (it->is_array()) {
    for (const auto& v : *it) out->push_back(v.get<std::string>());
    if (it->empty()) out->push_back("");
  } else if (it->is_boolean()) {
    out->push_back(it->get<bool>() ? "yes" : "no");
  } else if (it->is_number()) {
    out->push_back(it->dump());
  } else if (def.type == FieldType::kDate) {
    out->push_back(it->get<std::string>().substr(0, 10));
  } else {
    out->push_back(it->get<std::string>());
  }
}

void JsonRecord::CustomValues(const std::string& name, std::vector<std::string>* out) const {
  auto it = row_->find("custom");
  if (it == row_->end() || !it->is_object()) {
    out->emplace_back();
    return;
  }
  auto v = it->find(name);
  out->push_back(v == it->end() || !v->is_string() ? std::string() : v->get<std::string>());
}

Status ReadModel::Scan(rocksdb::ColumnFamilyHandle* cf, const std::string& prefix, const std::string& start,
                       const std::function<bool(std::string_view, std::string_view)>& fn) const {
  if (cf == nullptr) return Status::Ok();
  auto it = txn_->NewIterator(cf);
  for (it->Seek(start.empty() ? prefix : start); it->Valid(); it->Next()) {
    const auto k = it->key();
    if (!k.starts_with(prefix)) break;
    if (!fn(std::string_view(k.data(), k.size()), std::string_view(it->value().data(), it->value().size()))) break;
  }
  return FromRocks(it->status(), "reading projections");
}

Result<Filter> ReadModel::ParseFilter(const std::vector<std::string>& args, const FieldSchema& schema) const {
  if (args.empty()) return Filter();
  std::optional<reference::State> ref;
  CRM_ASSIGN_OR_RETURN(ref, Reference());
  // The custom fields of the records the schema is of: a campaign's, or a contact's and a lead's
  // (one type for a name both have: reference.h).
  const bool campaigns = &schema == &CampaignSchema();
  std::vector<const custom::FieldDef*> defs = ref->CustomFields(campaigns ? "campaign" : "contact");
  if (!campaigns) {
    for (const custom::FieldDef* d : ref->CustomFields("lead")) {
      if (ref->FindCustomField("contact", d->name) == nullptr) defs.push_back(d);
    }
  }
  std::vector<FieldDef> custom;
  for (const custom::FieldDef* d : defs) custom.push_back({d->name, CustomFilterType(d->type)});
  CRM_ASSIGN_OR_RETURN(Filter f, Filter::Parse(args, schema, custom));
  std::optional<catalog::State> cat;
  auto load = [&]() -> Status {  // the catalogue, read once and only when a value needs it
    if (cat) return Status::Ok();
    CRM_ASSIGN_OR_RETURN(cat, Catalog());
    return Status::Ok();
  };
  for (const custom::FieldDef* d : defs) {  // a picklist is a closed catalogue too
    if (d->type != fb::CustomFieldType::Picklist) continue;
    for (const std::string& value : f.Literals(d->name)) {
      if (!custom::CheckValue(*d, value).ok()) {
        std::string values;
        for (const std::string& v : d->values) values += (values.empty() ? "" : ", ") + v;
        return Status::NotFound("filter " + d->name + ": " + Quote(value) + " is not one of its values (" + values +
                                ")");
      }
    }
  }
  // A catalogue's test for one value (case-insensitive, as the filter compares), its name in
  // the error, and the command that lists it.
  struct Closed {
    const char* field;
    const char* noun;
    const char* listed_by;
    std::function<bool(const std::string&)> has;
  };
  auto code = [&](fb::ProfileKind kind) {
    return [&, kind](const std::string& v) { return ref->HasCode(kind, Upper(v)); };
  };
  const std::vector<Closed> closed = {
      {"job_responsibility", "job responsibility code", "crmctl code list job-responsibility",
       code(fb::ProfileKind::JobResponsibility)},
      {"business_relation", "business relation code", "crmctl code list business-relation",
       code(fb::ProfileKind::BusinessRelation)},
      {"industry_group", "industry group code", "crmctl code list industry-group",
       code(fb::ProfileKind::IndustryGroup)},
      {"mailing_group", "mailing group code", "crmctl code list mailing-group", code(fb::ProfileKind::MailingGroup)},
      {"territory", "territory code", "crmctl code list territory", code(fb::ProfileKind::Territory)},
      {"member_status", "member status", "crmctl member-status list",
       [&](const std::string& v) { return ref->FindStatus(v) != nullptr; }},
      {"lead_status", "lead status", "crmctl lead-status list",
       [&](const std::string& v) { return ref->FindLeadStatus(v).has_value(); }},
      {"interaction_template", "interaction template", "crmctl interaction-template list",
       [&](const std::string& v) {  // a deleted one too: entries logged with it keep its code
         return cat->templates.contains(Upper(v)) || cat->deleted_templates.contains(Upper(v));
       }},
  };
  for (const Closed& c : closed) {
    if (schema.Find(c.field) < 0) continue;
    for (const std::string& value : f.Literals(c.field)) {
      CRM_RETURN_IF_ERROR(load());
      if (!c.has(value)) {
        return Status::NotFound("filter " + std::string(c.field) + ": " + Quote(value) + " is not a defined " + c.noun +
                                " (see " + c.listed_by + ")");
      }
    }
  }
  // Salespeople are not checked: records from before they were checked may name undefined ones,
  // and a filter is how to find them.
  // A campaign's status is a campaign status code (only campaign lists filter on "status").
  if (&schema == &CampaignSchema()) {
    for (const std::string& value : f.Literals("status")) {
      CRM_RETURN_IF_ERROR(load());
      if (!ref->campaign_statuses.contains(Upper(value))) {
        return Status::NotFound("filter status: " + Quote(value) +
                                " is not a defined campaign status code (see crmctl campaign-status list)");
      }
    }
  }
  return f;
}

Result<reference::State> ReadModel::Reference() const {
  CRM_ASSIGN_OR_RETURN(auto s, JsonRow<reference::State>(*txn_, store_->Cf(kCfReference), keys::kReferenceState,
                                                          ReferenceFromJson));
  return s.value_or(reference::State{});
}

Result<access::State> ReadModel::Users() const {
  CRM_ASSIGN_OR_RETURN(auto s, JsonRow<access::State>(*txn_, store_->Cf(kCfReference), keys::kUsersState, UsersFromJson));
  return s.value_or(access::State{});
}

Result<catalog::State> ReadModel::Catalog() const {
  CRM_ASSIGN_OR_RETURN(auto s, JsonRow<catalog::State>(*txn_, store_->Cf(kCfReference), keys::kCatalogState,
                                                        CatalogFromJson));
  return s.value_or(catalog::State{});
}

Result<std::optional<std::string>> ReadModel::AttachmentContent(const std::string& sha256) const {
  auto row = txn_->Get(store_->Cf(kCfReference), keys::Attachment(sha256));
  if (!row.ok()) {
    if (row.status().code() == StatusCode::kNotFound) return std::optional<std::string>();
    return row.status();
  }
  return std::optional<std::string>(std::string(*row));
}

Result<std::optional<segment::Header>> ReadModel::Segment(const RecordNo& no) const {
  return JsonRow<segment::Header>(*txn_, store_->Cf(kCfSegments), keys::SegmentHeader(no),
                                  [](const nlohmann::json& j) { return SegmentHeaderFromJson(j); });
}

Status ReadModel::ForEachSegment(const std::function<bool(const segment::Header&)>& fn) const {
  return ForEachJsonRow(store_->Cf(kCfSegments), "h", "segment",
                        [&](std::string_view, const nlohmann::json& j) { return fn(SegmentHeaderFromJson(j)); });
}

Status ReadModel::ForEachSegmentLine(const RecordNo& no,
                                     const std::function<bool(const RecordNo&, const segment::Line&)>& fn) const {
  const std::string prefix = keys::SegmentLinePrefix(no);
  Status inner;
  CRM_RETURN_IF_ERROR(Scan(store_->Cf(kCfSegments), prefix, "", [&](std::string_view k, std::string_view v) {
    auto contact = FromSortKey(k.substr(prefix.size()));
    auto line = DecodeSegmentLine(v);
    if (!contact.ok() || !line.ok()) {
      inner = Status::Corruption("segment line row of " + no.ToString() + " does not decode");
      return false;
    }
    return fn(*contact, *line);
  }));
  return inner;
}

Status ReadModel::ForEachInteraction(const InteractionQuery& q, const std::function<bool(const InteractionRow&)>& fn) const {
  auto* cf = store_->Cf(kCfInteractions);
  if (q.contact.valid()) return ForEachIndexedRow<InteractionRow>(cf, 'i', 'c', q.contact, DecodeInteraction, fn);
  if (q.campaign.valid()) return ForEachIndexedRow<InteractionRow>(cf, 'i', 'p', q.campaign, DecodeInteraction, fn);
  RecordNo first(RecordKind::kInteraction, 1), last(RecordKind::kInteraction, UINT64_MAX);
  if (q.logged_segment.valid()) {
    CRM_ASSIGN_OR_RETURN(auto ls, LoggedSegment(q.logged_segment));
    if (!ls) return Status::NotFound("logged segment " + q.logged_segment.ToString() + " does not exist");
    if (!ls->first_entry.valid()) return Status::Ok();  // no interactions
    first = ls->first_entry;
    last = ls->last_entry;
  }
  Status inner;
  CRM_RETURN_IF_ERROR(Scan(cf, "i", keys::Interaction(first), [&](std::string_view k, std::string_view v) {
    auto entry = FromSortKey(k.substr(1));
    if (!entry.ok()) {
      inner = entry.status();
      return false;
    }
    if (entry->counter() > last.counter()) return false;
    auto row = DecodeInteraction(*entry, v);
    if (!row.ok()) {
      inner = row.status();
      return false;
    }
    return fn(*row);
  }));
  return inner;
}

Result<std::optional<InteractionRow>> ReadModel::Interaction(const RecordNo& entry) const {
  return DecodedRow<InteractionRow>(*txn_, store_->Cf(kCfInteractions), keys::Interaction(entry),
                                    [&](std::string_view row) { return DecodeInteraction(entry, row); });
}

Result<nlohmann::json> ReadModel::WithInteractions(const RecordNo& contact, nlohmann::json row) const {
  nlohmann::json templates = nlohmann::json::array(), campaigns = nlohmann::json::array(),
                 dates = nlohmann::json::array(), segments = nlohmann::json::array();
  InteractionQuery q;
  q.contact = contact;
  auto text = [](const RecordNo& no) { return no.valid() ? no.ToString() : std::string(); };
  CRM_RETURN_IF_ERROR(ForEachInteraction(q, [&](const InteractionRow& e) {
    if (e.cancel.canceled()) return true;
    templates.push_back(e.interaction_template);
    campaigns.push_back(text(e.campaign));
    dates.push_back(FormatTimestamp(e.at).substr(0, 10));
    segments.push_back(text(e.logged_segment));
    return true;
  }));
  row["interaction_template"] = std::move(templates);
  row["interaction_campaign"] = std::move(campaigns);
  row["interaction_date"] = std::move(dates);
  row["interaction_segment"] = std::move(segments);
  return row;
}

Result<std::optional<LoggedSegmentRow>> ReadModel::LoggedSegment(const RecordNo& no) const {
  return DecodedRow<LoggedSegmentRow>(*txn_, store_->Cf(kCfInteractions), keys::LoggedSegment(no),
                                      [&](std::string_view row) { return DecodeLoggedSegment(no, row); });
}

Result<std::optional<CampaignEntryRow>> ReadModel::CampaignEntry(const RecordNo& entry) const {
  return DecodedRow<CampaignEntryRow>(*txn_, store_->Cf(kCfInteractions), keys::CampaignEntry(entry),
                                      [&](std::string_view row) { return DecodeCampaignEntry(entry, row); });
}

Result<std::optional<nlohmann::json>> ReadModel::EntryRow(const RecordNo& no) const {
  // Each kind's row as its JSON.
  auto json_of = [](const auto& row, auto to_json) -> Result<std::optional<nlohmann::json>> {
    CRM_RETURN_IF_ERROR(row.status());
    if (!*row) return std::optional<nlohmann::json>();
    return std::optional<nlohmann::json>(to_json(**row));
  };
  switch (no.kind()) {
    case RecordKind::kLoggedSegment: return json_of(LoggedSegment(no), LoggedSegmentJson);
    case RecordKind::kInteraction: return json_of(Interaction(no), InteractionJson);
    case RecordKind::kCampaignEntry:
      return json_of(CampaignEntry(no), CampaignEntryJson);
    case RecordKind::kCampaign:
    case RecordKind::kContact:
    case RecordKind::kLead:
    case RecordKind::kSegment:
    case RecordKind::kOpportunity:
    case RecordKind::kTask:
    case RecordKind::kAttachment:
      return Status::InvalidArgument(no.ToString() + " is not a logged segment or an entry");
  }
  return Status::InvalidArgument(no.ToString() + " is not a logged segment or an entry");
}

Status ReadModel::ForEachLoggedSegment(const std::function<bool(const LoggedSegmentRow&)>& fn) const {
  return ForEachIndexedRow<LoggedSegmentRow>(store_->Cf(kCfInteractions), 'g', 0, RecordNo(), DecodeLoggedSegment, fn);
}

Status ReadModel::ForEachCampaignEntry(const RecordNo& campaign,
                                       const std::function<bool(const CampaignEntryRow&)>& fn) const {
  return ForEachIndexedRow<CampaignEntryRow>(store_->Cf(kCfInteractions), 'e', 'f', campaign, DecodeCampaignEntry, fn);
}

Result<std::optional<campaign::State>> ReadModel::Campaign(const RecordNo& no) const {
  return JsonRow<campaign::State>(*txn_, store_->Cf(kCfCampaigns), keys::Campaign(no), CampaignFromJson);
}

Status ReadModel::ForEachCampaign(const std::function<bool(const campaign::State&)>& fn) const {
  return ForEachJsonRow(store_->Cf(kCfCampaigns), "c", "campaign",
                        [&](std::string_view, const nlohmann::json& j) { return fn(CampaignFromJson(j)); });
}

Status ReadModel::ForEachJsonRow(rocksdb::ColumnFamilyHandle* cf, const std::string& prefix, const char* what,
                                 const std::function<bool(std::string_view key, const nlohmann::json&)>& fn) const {
  Status inner;
  CRM_RETURN_IF_ERROR(Scan(cf, prefix, "", [&](std::string_view k, std::string_view v) {
    auto j = Parse(v);
    if (!j.ok()) {
      inner = j.status();
      return false;
    }
    try {
      return fn(k, *j);
    } catch (const std::exception& e) {
      inner = Status::Corruption(std::string(what) + " row: " + e.what());
      return false;
    }
  }));
  return inner;
}

Result<std::vector<RecordNo>> ReadModel::Children(const RecordNo& no) const {
  std::vector<RecordNo> out;
  const std::string prefix = "p" + SortKey(no);
  CRM_RETURN_IF_ERROR(Scan(store_->Cf(kCfCampaigns), prefix, "", [&](std::string_view k, std::string_view) {
    auto child = FromSortKey(k.substr(prefix.size()));
    if (child.ok()) out.push_back(*child);
    return true;
  }));
  return out;
}

Result<std::optional<PartyState>> ReadModel::Party(const RecordNo& no) const {
  return DecodedRow<PartyState>(*txn_, store_->Cf(kCfContacts), keys::Party(no), DecodeParty);
}

Result<std::optional<contact::ContactState>> ReadModel::Contact(const RecordNo& no) const {
  if (no.kind() != RecordKind::kContact) return std::optional<contact::ContactState>();
  return DecodedRow<contact::ContactState>(*txn_, store_->Cf(kCfContacts), keys::Party(no), DecodeContact);
}

Result<std::optional<contact::LeadState>> ReadModel::Lead(const RecordNo& no) const {
  if (no.kind() != RecordKind::kLead) return std::optional<contact::LeadState>();
  return DecodedRow<contact::LeadState>(*txn_, store_->Cf(kCfContacts), keys::Party(no), DecodeLead);
}

Result<std::optional<nlohmann::json>> ReadModel::PartyJson(const RecordNo& no) const {
  CRM_ASSIGN_OR_RETURN(std::optional<PartyState> party, Party(no));
  if (!party) return std::optional<nlohmann::json>();
  return std::optional<nlohmann::json>(PartyToJson(*party));
}

Status ReadModel::ForEachPartyState(bool contacts, bool leads,
                                    const std::function<bool(const RecordNo&, const PartyState&)>& fn) const {
  Status inner;
  auto scan = [&](RecordKind kind) {
    const std::string prefix = "c" + std::string(RecordPrefix(kind));
    return Scan(store_->Cf(kCfContacts), prefix, "", [&](std::string_view k, std::string_view v) {
      auto no = FromSortKey(k.substr(1));
      auto state = DecodeParty(v);
      if (!no.ok() || !state.ok()) {
        inner = no.ok() ? state.status() : Status::Corruption("a contact row's key does not parse");
        return false;
      }
      return fn(*no, *state);
    });
  };
  if (contacts) CRM_RETURN_IF_ERROR(scan(RecordKind::kContact));
  if (leads && inner.ok()) CRM_RETURN_IF_ERROR(scan(RecordKind::kLead));
  return inner;
}

Status ReadModel::ForEachParty(bool contacts, bool leads,
                               const std::function<bool(const RecordNo&, const nlohmann::json&)>& fn) const {
  return ForEachPartyState(contacts, leads,
                           [&](const RecordNo& no, const PartyState& state) { return fn(no, PartyToJson(state)); });
}

Result<std::string> ReadModel::EmailOwner(const std::string& email, const RecordNo& except) const {
  std::string owner;
  if (email.empty()) return owner;
  const std::string prefix = "e" + Lower(email) + '\0';
  CRM_RETURN_IF_ERROR(Scan(store_->Cf(kCfContacts), prefix, "", [&](std::string_view k, std::string_view) {
    auto no = FromSortKey(k.substr(prefix.size()));
    if (no.ok() && *no != except) {
      owner = no->ToString();
      return false;
    }
    return true;
  }));
  return owner;
}

Result<std::vector<RecordNo>> ReadModel::CompaniesUnder(const std::string& prefix) const {
  std::vector<RecordNo> out;
  Status bad;
  CRM_RETURN_IF_ERROR(Scan(store_->Cf(kCfContacts), prefix, "", [&](std::string_view k, std::string_view) {
    auto no = FromSortKey(k.substr(prefix.size()));
    if (!no.ok()) bad = Status::Corruption("a company index key holds no contact number");
    if (no.ok()) out.push_back(*no);
    return no.ok();
  }));
  CRM_RETURN_IF_ERROR(bad);
  return out;
}

Result<std::vector<RecordNo>> ReadModel::CompaniesNamed(std::string_view name) const {
  const std::string key = contact::CompanyNameKey(name);
  if (key.empty()) return std::vector<RecordNo>();
  return CompaniesUnder(keys::CompaniesNamed(key));
}

Result<std::vector<RecordNo>> ReadModel::CompaniesAtDomainOf(std::string_view email) const {
  const std::string domain = contact::CompanyEmailDomain(email);
  if (domain.empty()) return std::vector<RecordNo>();
  return CompaniesUnder(keys::CompaniesAtDomain(domain));
}

Result<std::vector<std::string>> ReadModel::EmailOwners(const std::vector<std::string>& emails) const {
  std::vector<std::string> prefixes(emails.size());
  for (size_t i = 0; i < emails.size(); ++i) {
    if (!emails[i].empty()) prefixes[i] = "e" + Lower(emails[i]) + '\0';
  }
  return FirstUnder(prefixes, kCfContacts);
}

namespace {

std::vector<std::string> SourceIdPrefixes(const std::vector<std::pair<std::string, std::string>>& ids) {
  std::vector<std::string> prefixes(ids.size());
  for (size_t i = 0; i < ids.size(); ++i) {
    if (!ids[i].second.empty()) prefixes[i] = keys::SourceIds(ids[i].first, ids[i].second);
  }
  return prefixes;
}

}  // namespace

Result<std::vector<std::string>> ReadModel::SourceOwners(const std::vector<std::pair<std::string, std::string>>& ids) const {
  return FirstUnder(SourceIdPrefixes(ids), kCfContacts);
}

Result<std::vector<std::string>> ReadModel::CampaignSourceOwners(
    const std::vector<std::pair<std::string, std::string>>& ids) const {
  return FirstUnder(SourceIdPrefixes(ids), kCfCampaigns);
}

Result<std::vector<std::string>> ReadModel::FirstUnder(const std::vector<std::string>& prefixes,
                                                        const char* cf_name) const {
  std::vector<std::string> owners(prefixes.size());
  std::vector<std::pair<std::string, size_t>> order;  // index key prefix, position
  order.reserve(prefixes.size());
  for (size_t i = 0; i < prefixes.size(); ++i) {
    if (!prefixes[i].empty()) order.emplace_back(prefixes[i], i);
  }
  auto* cf = store_->Cf(cf_name);
  if (order.empty() || cf == nullptr) return owners;
  std::sort(order.begin(), order.end());
  auto it = txn_->NewIterator(cf);
  for (size_t i = 0; i < order.size(); ++i) {
    const std::string& prefix = order[i].first;
    if (i > 0 && prefix == order[i - 1].first) {
      owners[order[i].second] = owners[order[i - 1].second];
      continue;
    }
    it->Seek(prefix);
    if (!it->Valid() || !it->key().starts_with(prefix)) continue;
    const auto k = it->key();
    CRM_ASSIGN_OR_RETURN(RecordNo no, FromSortKey(std::string_view(k.data(), k.size()).substr(prefix.size())));
    owners[order[i].second] = no.ToString();
  }
  CRM_RETURN_IF_ERROR(FromRocks(it->status(), "reading projections"));
  return owners;
}

Result<std::optional<membership::Membership>> ReadModel::Member(const RecordNo& cp, const RecordNo& member) const {
  auto row = txn_->Get(store_->Cf(kCfRoster), keys::Member(cp, member));
  if (!row.ok()) {
    if (row.status().code() == StatusCode::kNotFound) return std::optional<membership::Membership>();
    return row.status();
  }
  CRM_ASSIGN_OR_RETURN(auto m, DecodeMembership(*row));
  return std::optional<membership::Membership>(std::move(m));
}

Status ReadModel::ForEachMember(const RecordNo& cp, const RecordNo& after,
                                const std::function<bool(const RosterRow&)>& fn) const {
  const std::string prefix = "m" + SortKey(cp);
  // Seek just past `after`: its key with a trailing zero byte.
  const std::string start = after.valid() ? keys::Member(cp, after) + std::string(1, '\0') : "";
  Status inner;
  CRM_RETURN_IF_ERROR(Scan(store_->Cf(kCfRoster), prefix, start, [&](std::string_view k, std::string_view v) {
    auto member = FromSortKey(k.substr(prefix.size()));
    auto m = DecodeMembership(v);
    if (!member.ok() || !m.ok()) {
      inner = Status::Corruption("roster row does not parse");
      return false;
    }
    return fn(RosterRow{*member, *m});
  }));
  return inner;
}

Status ReadModel::ForEachMemberWithParty(const RecordNo& cp, const RecordNo& after,
                                         const std::function<bool(const RosterRow&, const PartyState*)>& fn) const {
  // Members a filter selected lie close together among the party rows: a few steps forward are
  // cheaper than a seek, which costs as much as a point lookup.
  constexpr int kStepsBeforeSeek = 8;
  auto parties = txn_->NewIterator(store_->Cf(kCfContacts));
  Status inner;
  std::optional<PartyState> party;
  CRM_RETURN_IF_ERROR(ForEachMember(cp, after, [&](const RosterRow& row) {
    const std::string key = keys::Party(row.member);
    auto before = [&] { return parties->Valid() && std::string_view(parties->key().data(), parties->key().size()) < key; };
    for (int steps = 0; steps < kStepsBeforeSeek && before(); ++steps) parties->Next();
    if (!parties->Valid() || before()) parties->Seek(key);
    party.reset();
    if (parties->Valid() && parties->key() == key) {
      auto decoded = DecodeParty(std::string_view(parties->value().data(), parties->value().size()));
      if (!decoded.ok()) {
        inner = decoded.status();
        return false;
      }
      party = std::move(*decoded);
    } else if (!parties->status().ok()) {
      inner = FromRocks(parties->status(), "reading projections");
      return false;
    }
    return fn(row, party ? &*party : nullptr);
  }));
  return inner;
}

Result<std::map<std::string, uint64_t>> ReadModel::CountsByStatus(const RecordNo& cp) const {
  std::map<std::string, uint64_t> out;
  const std::string prefix = "n" + SortKey(cp);
  CRM_RETURN_IF_ERROR(Scan(store_->Cf(kCfRoster), prefix, "", [&](std::string_view k, std::string_view v) {
    out[std::string(k.substr(prefix.size()))] = DecodeU64(v);
    return true;
  }));
  return out;
}

Status ReadModel::ForEachWithStatus(const std::string& status,
                                    const std::function<bool(const RecordNo&, const RecordNo&)>& fn) const {
  std::vector<RecordNo> campaigns;
  CRM_RETURN_IF_ERROR(ForEachCampaign([&](const campaign::State& cp) {
    campaigns.push_back(cp.no);
    return true;
  }));
  bool go_on = true;
  for (const auto& cp : campaigns) {
    CRM_ASSIGN_OR_RETURN(auto counts, CountsByStatus(cp));
    if (!counts.contains(status)) continue;  // skip rosters without the status
    CRM_RETURN_IF_ERROR(ForEachMember(cp, RecordNo(), [&](const RosterRow& row) {
      if (row.m.status == status) go_on = fn(cp, row.member);
      return go_on;
    }));
    if (!go_on) break;
  }
  return Status::Ok();
}

Result<uint64_t> ReadModel::TotalWithStatus(const std::string& status) const {
  auto v = txn_->Get(store_->Cf(kCfRoster), keys::Total(status));
  if (v.ok()) return DecodeU64(*v);
  if (v.status().code() == StatusCode::kNotFound) return uint64_t{0};
  return v.status();
}

Result<std::vector<std::pair<RecordNo, membership::Membership>>> ReadModel::CampaignsOf(const RecordNo& member) const {
  std::vector<RecordNo> campaigns;
  CRM_RETURN_IF_ERROR(ForEachCampaign([&](const campaign::State& cp) {
    campaigns.push_back(cp.no);
    return true;
  }));
  std::vector<std::pair<RecordNo, membership::Membership>> out;
  for (const auto& cp : campaigns) {
    CRM_ASSIGN_OR_RETURN(auto m, Member(cp, member));
    if (m) out.emplace_back(cp, *m);
  }
  return out;
}

Result<std::vector<uint64_t>> ReadModel::MemberHistory(const RecordNo& cp, const RecordNo& member) const {
  std::vector<uint64_t> out;
  // A membership moved from a converted lead: the lead's records come first (up to the move).
  if (auto from = txn_->Get(store_->Cf(kCfRoster), keys::MovedFrom(cp, member)); from.ok()) {
    CRM_ASSIGN_OR_RETURN(RecordNo lead, RecordNo::Parse(*from));
    CRM_ASSIGN_OR_RETURN(out, MemberHistory(cp, lead));
  } else if (from.status().code() != StatusCode::kNotFound) {
    return from.status();
  }
  const std::string prefix = "h" + SortKey(cp) + SortKey(member);
  CRM_RETURN_IF_ERROR(Scan(store_->Cf(kCfRoster), prefix, "", [&](std::string_view k, std::string_view) {
    out.push_back(DecodeU64(k.substr(prefix.size())));
    return true;
  }));
  return out;
}

Result<uint64_t> ReadModel::ConvertedLeads(const RecordNo& cp) const {
  auto v = txn_->Get(store_->Cf(kCfRoster), keys::Converted(cp));
  if (v.ok()) return DecodeU64(*v);
  if (v.status().code() == StatusCode::kNotFound) return uint64_t{0};
  return v.status();
}

Result<CampaignFigures> ReadModel::Figures(const RecordNo& cp) const {
  CRM_ASSIGN_OR_RETURN(auto row, DecodedRow<CampaignFigures>(*txn_, store_->Cf(kCfCampaigns), keys::CampaignFigures(cp),
                                                             [](std::string_view bytes) { return DecodeFigures(bytes); }));
  return row.value_or(CampaignFigures{});
}

Result<std::vector<RecordNo>> ReadModel::CampaignsTargeting(const RecordNo& contact) const {
  std::vector<RecordNo> out;
  Status inner;
  const std::string prefix = "y" + SortKey(contact);
  CRM_RETURN_IF_ERROR(Scan(store_->Cf(kCfCampaigns), prefix, "", [&](std::string_view k, std::string_view) {
    auto cp = FromSortKey(k.substr(prefix.size()));
    if (!cp.ok()) {
      inner = cp.status();
      return false;
    }
    out.push_back(*cp);
    return true;
  }));
  CRM_RETURN_IF_ERROR(inner);
  return out;
}

Result<std::optional<TaskRow>> ReadModel::Task(const RecordNo& no) const {
  return DecodedRow<TaskRow>(*txn_, store_->Cf(kCfCampaigns), keys::Task(no),
                             [&](std::string_view row) { return DecodeTask(no, row); });
}

template <typename Row>
Status ReadModel::ForEachIndexedRow(rocksdb::ColumnFamilyHandle* cf, char row_prefix, char index_prefix,
                                    const RecordNo& owner, Result<Row> (*decode)(const RecordNo&, std::string_view),
                                    const std::function<bool(const Row&)>& fn) const {
  Status inner;
  auto visit = [&](const RecordNo& no, std::string_view bytes) {
    auto row = decode(no, bytes);
    if (!row.ok()) {
      inner = row.status();
      return false;
    }
    return fn(*row);
  };
  const std::string prefix = owner.valid() ? index_prefix + SortKey(owner) : std::string(1, row_prefix);
  CRM_RETURN_IF_ERROR(Scan(cf, prefix, "", [&](std::string_view k, std::string_view v) {
    auto no = FromSortKey(k.substr(prefix.size()));
    if (!no.ok()) {
      inner = no.status();
      return false;
    }
    if (!owner.valid()) return visit(*no, v);
    auto bytes = txn_->Get(cf, row_prefix + SortKey(*no));
    if (!bytes.ok()) {
      inner = bytes.status();
      return false;
    }
    return visit(*no, *bytes);
  }));
  return inner;
}

Status ReadModel::ForEachTask(const RecordNo& campaign, const std::function<bool(const TaskRow&)>& fn) const {
  return ForEachIndexedRow<TaskRow>(store_->Cf(kCfCampaigns), 'k', 'l', campaign, DecodeTask, fn);
}

Result<std::optional<OpportunityRow>> ReadModel::Opportunity(const RecordNo& no) const {
  return DecodedRow<OpportunityRow>(*txn_, store_->Cf(kCfCampaigns), keys::Opportunity(no),
                                    [&](std::string_view row) { return DecodeOpportunity(no, row); });
}

Status ReadModel::ForEachOpportunity(const RecordNo& campaign, const std::function<bool(const OpportunityRow&)>& fn) const {
  return ForEachIndexedRow<OpportunityRow>(store_->Cf(kCfCampaigns), 'o', 'q', campaign, DecodeOpportunity, fn);
}

namespace {

Result<uint64_t> MetaNumber(const Store* store, const Store::Txn* txn, const char* key) {
  auto v = txn->Get(store->Cf(kCfProjMeta), key);
  if (v.ok()) return DecodeU64(*v);
  if (v.status().code() == StatusCode::kNotFound) return uint64_t{0};
  return v.status();
}

}  // namespace

Result<uint64_t> ReadModel::Checkpoint() const { return MetaNumber(store_, txn_, keys::kCheckpoint); }

Result<uint64_t> ReadModel::LastErasure() const { return MetaNumber(store_, txn_, keys::kLastErasure); }

}  // namespace crm
