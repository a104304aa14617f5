#include "projections/rows.h"

#include "aggregates/segment.h"
#include "events/store.h"
#include "projections/row_codec.h"

namespace crm {
namespace {

using nlohmann::json;

std::string OptDate(const std::optional<Date>& d) { return d ? FormatDate(*d) : ""; }
std::optional<Date> DateFrom(const json& j) {
  const std::string s = j.get<std::string>();
  if (s.empty()) return std::nullopt;
  auto d = ParseDate(s);
  return d.ok() ? std::optional<Date>(*d) : std::nullopt;
}

json FieldsJson(const contact::Fields& f) {
  json j = json::object();
  for (std::size_t i = 0; i < kPersonFields.size(); ++i) {
    j[kPersonFields[i].name] = f.*kPersonFieldMembers<contact::Fields>[i];
  }
  return j;
}

}  // namespace

std::string SortKey(const RecordNo& no) {
  std::string k(RecordPrefix(no.kind()));
  PutBigEndian64(&k, no.counter());
  return k;
}

Result<RecordNo> FromSortKey(std::string_view key) {
  if (key.size() < 10) return Status::Corruption("short record key");
  auto kind = RecordNo::Parse(std::string(key.substr(0, 2)) + "0001");
  if (!kind.ok()) return Status::Corruption("bad record key prefix");
  return RecordNo(kind->kind(), GetBigEndian64(key.substr(2, 8)));
}

std::string EncodeMembership(const membership::Membership& m) {
  RowWriter w;
  w.Str(m.status);
  w.Bool(m.responded);
  w.Byte(static_cast<uint8_t>(m.how));
  w.I64(m.added_at.value());
  w.I64(m.changed_at.value());
  w.Str(m.added_by.value());
  w.I64(m.responded_at.value());
  return w.Take();
}

Result<membership::Membership> DecodeMembership(std::string_view in) {
  membership::Membership m;
  m.exists = true;
  RowReader r(in);
  uint8_t how = 0;
  int64_t added = 0, changed = 0;
  std::string by;
  int64_t responded_at = 0;
  if (!r.Str(&m.status) || !r.Bool(&m.responded) || !r.Byte(&how) || !r.I64(&added) || !r.I64(&changed) ||
      !r.Str(&by) || (!r.done() && !r.I64(&responded_at)) || !r.done()) {  // rows before schema 15 end at `by`
    return Status::Corruption("bad roster row");
  }
  m.responded_at = Timestamp(responded_at);
  m.how = static_cast<fb::MemberHow>(how);
  m.added_at = Timestamp(added);
  m.changed_at = Timestamp(changed);
  m.added_by = Actor(by);
  return m;
}

std::string EncodeU64(uint64_t v) {
  std::string s;
  PutBigEndian64(&s, v);
  return s;
}
uint64_t DecodeU64(std::string_view v) { return GetBigEndian64(v); }

json ToJson(const custom::FieldDef& f) {
  return {{"on", f.on}, {"name", f.name}, {"type", custom::TypeName(f.type)}, {"values", f.values}};
}

json ToJson(const catalog::Salesperson& p) { return {{"code", p.code}, {"name", p.name}, {"email", p.email}}; }

json ToJson(const reference::State& s) {
  json statuses = json::array();
  for (const auto& d : s.member_statuses) {
    statuses.push_back({{"name", d.name}, {"responded", d.responded}, {"default", d.is_default}, {"order", d.order}});
  }
  json codes = json::object();
  for (const auto& [kind, m] : s.codes) codes[reference::ProfileKindName(kind)] = m;
  json out = {{"initialized", s.initialized},
              {"currency", s.currency},
              {"campaign_statuses", s.campaign_statuses},
              {"member_statuses", statuses},
              {"codes", codes}};
  if (s.lead_statuses_changed) {  // only then, so rows of older data sets compare equal
    json leads = json::array();
    for (const auto& d : s.lead_statuses) leads.push_back({{"name", d.name}, {"order", d.order}});
    out["lead_statuses"] = leads;
  }
  if (!s.views.empty()) {  // only then, as lead_statuses
    json views = json::array();
    for (const auto& [key, v] : s.views) {
      views.push_back({{"name", v.name}, {"on", v.on}, {"filters", v.filters}, {"sort", v.sort}, {"search", v.search}});
    }
    out["views"] = views;
  }
  if (!s.custom_fields.empty()) {  // only then, as lead_statuses
    json fields = json::array();
    for (const auto& f : s.custom_fields) fields.push_back(ToJson(f));
    out["custom_fields"] = fields;
  }
  return out;
}

reference::State ReferenceFromJson(const json& j) {
  reference::State s;
  s.initialized = j.at("initialized");
  s.currency = j.at("currency");
  s.campaign_statuses = j.at("campaign_statuses").get<std::map<std::string, std::string>>();
  for (const auto& d : j.at("member_statuses")) {
    s.member_statuses.push_back({d.at("name"), d.at("responded"), d.at("default"), d.at("order")});
  }
  for (const auto& [kind, m] : j.at("codes").items()) {
    s.codes[reference::ParseProfileKind(kind).value()] = m.get<std::map<std::string, std::string>>();
  }
  if (j.contains("lead_statuses")) {
    s.lead_statuses_changed = true;
    for (const auto& d : j.at("lead_statuses")) s.lead_statuses.push_back({d.at("name"), d.at("order")});
  }
  if (j.contains("views")) {
    for (const auto& v : j.at("views")) {
      reference::SavedView view{v.at("name"), v.at("on"), v.at("filters").get<std::vector<std::string>>(), v.at("sort"),
                                v.at("search")};
      s.views[Lower(view.name)] = std::move(view);
    }
  }
  for (const auto& f : j.value("custom_fields", json::array())) {
    s.custom_fields.push_back({f.at("on"), f.at("name"), custom::ParseType(f.at("type").get<std::string>()).value(),
                               f.at("values").get<std::vector<std::string>>()});
  }
  return s;
}

json ToJson(const access::State& s) {
  json users = json::object();
  for (const auto& [name, role] : s.users) users[name] = access::RoleName(role);
  return {{"users", users}};
}

access::State UsersFromJson(const json& j) {
  access::State s;
  for (const auto& [name, role] : j.at("users").items()) s.users[name] = access::ParseRole(role.get<std::string>()).value();
  return s;
}

json ToJson(const catalog::TemplateDef& t) {
  json attachments = json::array();
  for (const auto& a : t.attachments) {
    attachments.push_back({{"language", a.language}, {"file_name", a.file_name}, {"sha256", a.sha256}, {"size", a.size}});
  }
  return {{"code", t.code},
          {"description", t.description},
          {"interaction_group", t.group},
          {"correspondence", catalog::CorrespondenceName(t.correspondence)},
          {"unit_cost", FormatMoney(t.unit_cost)},
          {"unit_duration", t.unit_duration},
          {"information_flow", catalog::InformationFlowName(t.flow)},
          {"initiated_by", catalog::InitiatedByName(t.initiated_by)},
          {"campaign_target", t.campaign_target},
          {"campaign_response", t.campaign_response},
          {"language", t.language},
          {"attachments", attachments}};
}

json ToJson(const catalog::SalesCycle& c) {
  json stages = json::array();
  for (const auto& t : c.stages) {
    stages.push_back({{"stage", t.stage},
                      {"description", t.description},
                      {"completed", PercentAsDouble(t.completed)},
                      {"chance", PercentAsDouble(t.chance)},
                      {"allow_skip", t.allow_skip},
                      {"quote_required", t.quote_required},
                      {"activity", t.activity}});
  }
  return {{"code", c.code}, {"description", c.description}, {"stages", stages}};
}

json ToJson(const catalog::Activity& a) {
  json steps = json::array();
  for (const auto& t : a.steps) {
    steps.push_back({{"type", catalog::TaskTypeName(t.type)},
                     {"priority", catalog::TaskPriorityName(t.priority)},
                     {"date_formula", t.date_formula},
                     {"description", t.description}});
  }
  return {{"code", a.code}, {"description", a.description}, {"steps", steps}};
}

namespace {

catalog::Salesperson SalespersonFromJson(const json& p) { return {p.at("code"), p.at("name"), p.at("email")}; }

catalog::TemplateDef TemplateFromJson(const json& t) {
  catalog::TemplateDef d;
  d.code = t.at("code");
  d.description = t.at("description");
  d.group = t.at("interaction_group");
  d.correspondence = catalog::ParseCorrespondence(t.at("correspondence").get<std::string>()).value();
  d.unit_cost = ParseMoney(t.at("unit_cost").get<std::string>()).value();
  d.unit_duration = t.at("unit_duration");
  d.flow = catalog::ParseInformationFlow(t.at("information_flow").get<std::string>()).value();
  d.initiated_by = catalog::ParseInitiatedBy(t.at("initiated_by").get<std::string>()).value();
  d.campaign_target = t.at("campaign_target");
  d.campaign_response = t.at("campaign_response");
  d.language = t.at("language");
  for (const auto& a : t.at("attachments")) {
    d.attachments.push_back({a.at("language"), a.at("file_name"), a.at("sha256"), a.at("size")});
  }
  return d;
}

}  // namespace

json ToJson(const catalog::State& s) {
  json templates = json::array(), salespeople = json::array(), teams = json::array();
  for (const auto& [code, t] : s.templates) templates.push_back(ToJson(t));
  for (const auto& [code, p] : s.salespeople) salespeople.push_back(ToJson(p));
  for (const auto& [code, t] : s.teams) {
    teams.push_back({{"code", t.code}, {"description", t.description}, {"members", t.members}});
  }
  json criteria = json::array();
  for (const auto& [code, c] : s.criteria) {
    json steps = json::array();
    for (const auto& step : c.steps) {
      steps.push_back({{"kind", segment::StepKindName(step.kind)},
                       {"kind_code", static_cast<int>(step.kind)},
                       {"criteria", step.criteria},
                       {"options", step.options},
                       {"filter", step.filter}});
    }
    criteria.push_back({{"code", c.code}, {"description", c.description}, {"segment", c.segment}, {"steps", steps}});
  }
  json mail{{"smtp_url", s.mail.smtp_url}, {"from", s.mail.from}, {"outbox", s.mail.outbox}};
  json cycles = json::array();
  for (const auto& [code, c] : s.sales_cycles) cycles.push_back(ToJson(c));
  json activities = json::array();
  for (const auto& [code, a] : s.activities) activities.push_back(ToJson(a));
  json out = {{"templates", templates}, {"salespeople", salespeople}, {"teams", teams},         {"criteria", criteria},
              {"mail", mail},           {"sales_cycles", cycles},     {"activities", activities}};
  // Deleted salespeople and templates only when there are some, so rows of older data sets compare equal.
  if (!s.deleted_templates.empty()) {
    json deleted = json::array();
    for (const auto& [code, t] : s.deleted_templates) deleted.push_back(ToJson(t));
    out["deleted_templates"] = deleted;
  }
  if (!s.deleted_salespeople.empty()) {
    json deleted = json::array();
    for (const auto& [code, p] : s.deleted_salespeople) deleted.push_back(ToJson(p));
    out["deleted_salespeople"] = deleted;
  }
  return out;
}

catalog::State CatalogFromJson(const json& j) {
  catalog::State s;
  for (const auto& t : j.at("templates")) {
    catalog::TemplateDef d = TemplateFromJson(t);
    s.templates[d.code] = std::move(d);
  }
  for (const auto& t : j.value("deleted_templates", json::array())) {
    catalog::TemplateDef d = TemplateFromJson(t);
    s.deleted_templates[d.code] = std::move(d);
  }
  for (const auto& p : j.at("salespeople")) s.salespeople[p.at("code")] = SalespersonFromJson(p);
  for (const auto& p : j.value("deleted_salespeople", json::array())) s.deleted_salespeople[p.at("code")] = SalespersonFromJson(p);
  for (const auto& t : j.at("teams")) {
    s.teams[t.at("code")] = {t.at("code"), t.at("description"), t.at("members").get<std::vector<std::string>>()};
  }
  for (const auto& c : j.value("criteria", json::array())) {
    catalog::SavedCriteria saved{c.at("code"), c.at("description"), c.at("segment"), {}};
    for (const auto& step : c.at("steps")) {
      saved.steps.push_back({static_cast<fb::SegmentStepKind>(step.at("kind_code").get<int>()), step.at("criteria"),
                             step.at("options"), step.at("filter").get<std::vector<std::string>>()});
    }
    s.criteria[saved.code] = std::move(saved);
  }
  if (const auto m = j.find("mail"); m != j.end()) s.mail = {m->at("smtp_url"), m->at("from"), m->at("outbox")};
  for (const auto& c : j.value("sales_cycles", json::array())) {
    catalog::SalesCycle cycle{c.at("code"), c.at("description"), {}};
    for (const auto& t : c.at("stages")) {
      cycle.stages.push_back({t.at("stage"), t.at("description"), PercentFromDouble(t.at("completed")),
                              PercentFromDouble(t.at("chance")), t.at("allow_skip"), t.at("quote_required"),
                              t.value("activity", "")});  // none in rows before schema 10
    }
    s.sales_cycles[cycle.code] = std::move(cycle);
  }
  for (const auto& a : j.value("activities", json::array())) {  // none in rows before schema 10
    catalog::Activity activity{a.at("code"), a.at("description"), {}};
    for (const auto& t : a.at("steps")) {
      activity.steps.push_back({catalog::ParseTaskType(t.at("type").get<std::string>()).value(),
                                catalog::ParseTaskPriority(t.at("priority").get<std::string>()).value(),
                                t.at("date_formula"), t.at("description")});
    }
    s.activities[activity.code] = std::move(activity);
  }
  return s;
}

json ToJson(const campaign::PriceLine& p) {
  json line{{"item", p.item}, {"unit", p.unit}, {"min_qty", p.min_qty}};
  if (p.discount) {
    line["discount"] = PercentAsDouble(Percent(p.value));
  } else {
    line["price"] = FormatMoney(Money(p.value));
  }
  return line;
}

json ToJson(const campaign::State& s) {
  json attachments = json::array();
  for (const auto& a : s.attachments) {
    attachments.push_back({{"file_name", a.file_name}, {"sha256", a.sha256}, {"size", a.size}});
  }
  json prices = json::array();
  for (const auto& p : s.prices) prices.push_back(ToJson(p));
  json j = {{"no", s.no.ToString()},
          {"name", s.name},
          {"description", s.description},
          {"type", s.type},
          {"status", s.status},
          {"start_date", OptDate(s.start)},
          {"end_date", OptDate(s.end)},
          {"owner", s.owner},
          {"salesperson", s.salesperson},
          {"budgeted_cost", FormatMoney(s.budgeted_cost)},
          {"actual_cost", FormatMoney(s.actual_cost)},
          {"expected_revenue", FormatMoney(s.expected_revenue)},
          {"expected_response", PercentAsDouble(s.expected_response)},
          {"number_sent", s.number_sent},
          {"parent", s.parent},
          {"currency", s.currency},
          {"cloned_from", s.cloned_from},
          {"created_at", FormatTimestamp(s.created_at)},
          {"created_by", s.created_by.value()},
          {"modified_at", FormatTimestamp(s.modified_at)},
          {"attachments", attachments},
          {"prices", prices},
          {"active", s.active},
          {"targets", s.targets}};
  if (s.deleted) j["deleted"] = true;  // only then, as a contact's
  if (!s.custom.empty()) j["custom"] = s.custom;  // only then: records without custom values read as before
  if (!s.source.empty()) {  // only then: campaigns made here read as before
    j["source"] = s.source;
    j["source_id"] = s.source_id;
    j["source_modified_at"] = s.source_modified_at;
  }
  return j;
}

campaign::State CampaignFromJson(const json& j) {
  campaign::State s;
  s.exists = true;
  s.no = RecordNo::Parse(j.at("no").get<std::string>()).value();
  s.name = j.at("name");
  s.description = j.at("description");
  s.type = j.at("type");
  s.status = j.at("status");
  s.start = DateFrom(j.at("start_date"));
  s.end = DateFrom(j.at("end_date"));
  s.owner = j.at("owner");
  s.salesperson = j.at("salesperson");
  s.budgeted_cost = ParseMoney(j.at("budgeted_cost").get<std::string>()).value();
  s.actual_cost = ParseMoney(j.at("actual_cost").get<std::string>()).value();
  s.expected_revenue = ParseMoney(j.at("expected_revenue").get<std::string>()).value();
  s.expected_response = Percent(static_cast<int64_t>(j.at("expected_response").get<double>() * 1000 + 0.5));
  s.number_sent = j.value("number_sent", int64_t{0});
  s.parent = j.at("parent");
  s.currency = j.at("currency");
  s.cloned_from = j.at("cloned_from");
  s.created_at = ParseTimestamp(j.at("created_at").get<std::string>()).value();
  s.created_by = Actor(j.at("created_by").get<std::string>());
  s.modified_at = ParseTimestamp(j.at("modified_at").get<std::string>()).value();
  for (const auto& a : j.value("attachments", json::array())) {
    s.attachments.push_back({a.at("file_name"), a.at("sha256"), a.at("size")});
  }
  for (const auto& p : j.value("prices", json::array())) {
    campaign::PriceLine line{p.at("item"), p.at("unit"), p.at("min_qty"), p.contains("discount"), 0};
    line.value = line.discount ? PercentFromDouble(p.at("discount")).value()
                               : ParseMoney(p.at("price").get<std::string>()).value().value();
    s.prices.push_back(std::move(line));
  }
  s.active = j.value("active", false);
  s.targets = j.value("targets", uint64_t{0});
  s.deleted = j.value("deleted", false);
  if (j.contains("custom")) s.custom = j.at("custom").get<custom::Values>();
  s.source = j.value("source", "");
  s.source_id = j.value("source_id", "");
  s.source_modified_at = j.value("source_modified_at", "");
  return s;
}

namespace {

void ConsentJson(const contact::Consent& s, json* j) {
  (*j)["consent"] = s.consent;
  (*j)["consent_reason"] = s.consent_reason;
  (*j)["opted_out"] = s.opted_out();
  (*j)["bounced"] = s.bounced;
  (*j)["bounce_reason"] = s.bounce_reason;
}

}  // namespace

json ToJson(const contact::ContactState& s) {
  json j = FieldsJson(s.f);
  j["no"] = s.no.ToString();
  j["kind"] = "contact";
  j["type"] = s.type == fb::ContactType::Company ? "company" : "person";
  j["company"] = s.company;
  j["job_responsibility"] = s.job_responsibilities;
  j["business_relation"] = s.business_relations;
  j["industry_group"] = s.industry_groups;
  j["mailing_group"] = s.mailing_groups;
  j["exclude_from_segment"] = s.exclude_from_segment;
  ConsentJson(s, &j);
  if (s.erased) j["erased"] = true;  // only then, so rows written before schema 7 compare equal
  if (s.deleted) j["deleted"] = true;  // only then, as `erased`
  j["created_at"] = FormatTimestamp(s.created_at);
  j["modified_at"] = FormatTimestamp(s.modified_at);
  if (!s.custom.empty()) j["custom"] = s.custom;  // only then: records without custom values read as before
  return j;
}

json ToJson(const contact::LeadState& s) {
  json j = FieldsJson(s.f);
  j["no"] = s.no.ToString();
  j["kind"] = "lead";
  j["company_name"] = s.company_name;
  j["lead_status"] = s.lead_status;
  j["lead_source"] = s.lead_source;
  j["description"] = s.description;
  ConsentJson(s, &j);
  if (s.erased) j["erased"] = true;
  if (s.deleted) j["deleted"] = true;
  j["converted"] = s.converted();
  if (s.converted()) {
    j["converted_to"] = s.converted_to;
    j["converted_company"] = s.converted_company;
    j["converted_opportunity"] = s.converted_opportunity;
    j["converted_at"] = FormatTimestamp(s.converted_at);
  }
  j["created_at"] = FormatTimestamp(s.created_at);
  j["modified_at"] = FormatTimestamp(s.modified_at);
  if (!s.custom.empty()) j["custom"] = s.custom;  // only then: records without custom values read as before
  return j;
}

json PartyToJson(const PartyState& state) {
  return std::visit([](const auto& s) { return ToJson(s); }, state);
}

std::string Dump(const json& j) { return j.dump(); }

Result<json> Parse(std::string_view row) {
  json j = json::parse(row, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Status::Corruption("projection row is not valid JSON");
  return j;
}

}  // namespace crm
