#include "aggregates/reference.h"

#include <algorithm>
#include <tuple>

#include "events/currency.h"

namespace crm::reference {
namespace {

// By (order, name) as State promises; the name breaks ties so the order never depends on history.
void SortStatuses(std::vector<MemberStatusDef>* v) {
  std::sort(v->begin(), v->end(),
            [](const auto& a, const auto& b) { return std::tie(a.order, a.name) < std::tie(b.order, b.name); });
}

NewEvent StatusChanged(const MemberStatusDef& d) {
  fb::MemberStatusChangedT e;
  e.name = d.name;
  e.responded = d.responded;
  e.is_default = d.is_default;
  e.display_order = d.order;
  return MakeEvent(ReferenceStream(), std::move(e));
}

Result<std::string> CheckStatusName(std::string_view text) {
  CRM_ASSIGN_OR_RETURN(std::string name, CheckText(text, "member status name", 30, true));
  if (name.find('|') != std::string::npos || name.find('=') != std::string::npos) {
    return Status::FailedPrecondition("member status name may not contain '|' or '='");
  }
  return name;
}

Result<Events> DecideOne(const State& s, const InitDataSet& c) {
  if (s.initialized && !c.currency) return Events{};  // init is idempotent
  CRM_ASSIGN_OR_RETURN(std::string currency, NormalizeCode(c.currency.value_or("EUR"), "currency"));
  if (currency.size() != 3) return Status::FailedPrecondition("currency must be a 3-letter ISO 4217 code");
  if (!IsCurrencyCode(currency)) {
    return Status::FailedPrecondition("currency " + currency + " is not an ISO 4217 currency code");
  }
  if (s.initialized) {
    if (currency == s.currency) return Events{};
    return Status::FailedPrecondition("the data set is initialised already, in " + s.currency +
                                      "; its currency cannot change to " + currency);
  }
  Events out;
  out.push_back(MakeEvent(ReferenceStream(), fb::DataSetInitializedT{{}, currency}));
  fb::MemberStatusAddedT sent;
  sent.name = "Sent";
  sent.is_default = true;
  sent.display_order = 10;
  out.push_back(MakeEvent(ReferenceStream(), std::move(sent)));
  fb::MemberStatusAddedT responded;
  responded.name = "Responded";
  responded.responded = true;
  responded.display_order = 20;
  out.push_back(MakeEvent(ReferenceStream(), std::move(responded)));
  return out;
}

Result<Events> DecideOne(const State& s, const AddCampaignStatus& c) {
  CRM_ASSIGN_OR_RETURN(std::string code, NormalizeCode(c.code, "campaign status code"));
  CRM_ASSIGN_OR_RETURN(std::string desc, CheckText(c.description, "description", 100, false));
  if (auto it = s.campaign_statuses.find(code); it != s.campaign_statuses.end()) {
    if (it->second == desc) return Events{};
    return Status::AlreadyExists("campaign status code " + code + " already exists");
  }
  fb::CampaignStatusCodeAddedT e;
  e.code = code;
  e.description = desc;
  return Events{MakeEvent(ReferenceStream(), std::move(e))};
}

Result<Events> DecideOne(const State& s, const RemoveCampaignStatus& c) {
  CRM_ASSIGN_OR_RETURN(std::string code, NormalizeCode(c.code, "campaign status code"));
  if (!s.campaign_statuses.contains(code)) return Events{};  // already gone: idempotent
  if (c.campaigns_using > 0) {
    return Status::FailedPrecondition("campaign status code " + code + " is used by " +
                                      std::to_string(c.campaigns_using) + " campaign(s)");
  }
  fb::CampaignStatusCodeRemovedT e;
  e.code = code;
  return Events{MakeEvent(ReferenceStream(), std::move(e))};
}

Result<Events> DecideOne(const State& s, const AddMemberStatus& c) {
  CRM_ASSIGN_OR_RETURN(std::string name, CheckStatusName(c.name));
  if (const auto* existing = s.FindStatus(name)) {
    if (existing->name == name && existing->responded == c.responded &&
        (!c.is_default || existing->is_default) && (!c.order || *c.order == existing->order)) {
      return Events{};
    }
    return Status::AlreadyExists("member status " + existing->name + " already exists (use 'member-status set')");
  }
  if (s.member_statuses.size() >= kMaxMemberStatuses) {
    return Status::FailedPrecondition("a data set has at most 20 member statuses");
  }
  Events out;
  const bool make_default = c.is_default || s.DefaultStatus() == nullptr;
  if (make_default) {
    if (const auto* old = s.DefaultStatus()) {
      MemberStatusDef d = *old;
      d.is_default = false;
      out.push_back(StatusChanged(d));
    }
  }
  int32_t order = 10;
  for (const auto& d : s.member_statuses) order = std::max(order, d.order + 10);
  fb::MemberStatusAddedT e;
  e.name = name;
  e.responded = c.responded;
  e.is_default = make_default;
  e.display_order = c.order.value_or(order);
  out.push_back(MakeEvent(ReferenceStream(), std::move(e)));
  return out;
}

Result<Events> DecideOne(const State& s, const SetMemberStatus& c) {
  const auto* existing = s.FindStatus(Trim(c.name));
  if (existing == nullptr) return Status::NotFound("member status '" + Trim(c.name) + "' does not exist");
  if (c.is_default && !*c.is_default && existing->is_default) {
    return Status::FailedPrecondition("exactly one status is the default: make another status the default instead");
  }
  MemberStatusDef next = *existing;
  if (c.responded) next.responded = *c.responded;
  if (c.is_default && *c.is_default) next.is_default = true;
  if (c.order) next.order = *c.order;
  if (existing->responded && !next.responded) {
    const bool another = std::any_of(s.member_statuses.begin(), s.member_statuses.end(), [&](const auto& d) {
      return d.responded && d.name != existing->name;
    });
    if (!another) return Status::FailedPrecondition("at least one member status must count as responded");
  }
  Events out;
  if (next.is_default && !existing->is_default) {
    if (const auto* old = s.DefaultStatus()) {
      MemberStatusDef d = *old;
      d.is_default = false;
      out.push_back(StatusChanged(d));
    }
  }
  if (next.responded != existing->responded || next.is_default != existing->is_default ||
      next.order != existing->order) {
    out.push_back(StatusChanged(next));
  }
  return out;
}

Result<Events> DecideOne(const State& s, const RemoveMemberStatus& c) {
  const auto* existing = s.FindStatus(Trim(c.name));
  if (existing == nullptr) return Events{};  // already gone: idempotent
  const MemberStatusDef* target = nullptr;
  if (!c.replace_with.empty()) {
    target = s.FindStatus(Trim(c.replace_with));
    if (target == nullptr) return Status::NotFound("member status '" + Trim(c.replace_with) + "' does not exist");
    if (target->name == existing->name) return Status::FailedPrecondition("a status cannot replace itself");
  }
  if (existing->is_default && target == nullptr) {
    return Status::FailedPrecondition("member status " + existing->name +
                                      " is the default; make another status the default or use --replace-with");
  }
  if (c.members_using > 0 && target == nullptr) {
    return Status::FailedPrecondition("member status " + existing->name + " is used by " +
                                      std::to_string(c.members_using) + " member(s); use --replace-with");
  }
  if (existing->responded) {
    const bool another = std::any_of(s.member_statuses.begin(), s.member_statuses.end(), [&](const auto& d) {
      return d.responded && d.name != existing->name;
    });
    if (!another) return Status::FailedPrecondition("at least one member status must count as responded");
  }
  Events out;
  if (existing->is_default) {
    MemberStatusDef d = *target;
    d.is_default = true;
    out.push_back(StatusChanged(d));
  }
  fb::MemberStatusRemovedT e;
  e.name = existing->name;
  e.replaced_with = target != nullptr ? target->name : "";
  out.push_back(MakeEvent(ReferenceStream(), std::move(e)));
  return out;
}

Result<Events> DecideOne(const State& s, const AddProfileCode& c) {
  CRM_ASSIGN_OR_RETURN(std::string code, NormalizeCode(c.code, ProfileKindName(c.kind) + " code"));
  CRM_ASSIGN_OR_RETURN(std::string desc, CheckText(c.description, "description", 100, false));
  if (auto kind = s.codes.find(c.kind); kind != s.codes.end()) {
    if (auto it = kind->second.find(code); it != kind->second.end()) {
      if (it->second == desc) return Events{};
      return Status::AlreadyExists(ProfileKindName(c.kind) + " code " + code + " already exists");
    }
  }
  fb::ProfileCodeAddedT e;
  e.kind = c.kind;
  e.code = code;
  e.description = desc;
  return Events{MakeEvent(ReferenceStream(), std::move(e))};
}

}  // namespace

const MemberStatusDef* State::FindStatus(std::string_view name) const {
  for (const auto& d : member_statuses) {
    if (EqualsIgnoreCase(d.name, name)) return &d;
  }
  return nullptr;
}

const MemberStatusDef* State::DefaultStatus() const {
  for (const auto& d : member_statuses) {
    if (d.is_default) return &d;
  }
  return nullptr;
}

const MemberStatusDef* State::FirstRespondedStatus() const {
  for (const auto& d : member_statuses) {
    if (d.responded) return &d;
  }
  return nullptr;
}

bool State::HasCode(fb::ProfileKind kind, const std::string& code) const {
  auto it = codes.find(kind);
  return it != codes.end() && it->second.contains(code);
}

std::vector<LeadStatusDef> State::LeadStatuses() const {
  if (lead_statuses_changed) return lead_statuses;
  return {{"New", 10}, {"Contacted", 20}, {"Qualified", 30}, {"Lost", 40}};
}

std::optional<std::string> State::FindLeadStatus(std::string_view name) const {
  for (const auto& d : LeadStatuses()) {
    if (EqualsIgnoreCase(d.name, name)) return d.name;
  }
  return std::nullopt;
}

std::string State::DefaultLeadStatus() const {
  const auto all = LeadStatuses();
  return all.empty() ? "" : all.front().name;
}

const SavedView* State::FindView(std::string_view name) const {
  auto it = views.find(Lower(std::string(name)));
  return it == views.end() ? nullptr : &it->second;
}

int32_t State::NextLeadStatusOrder() const {
  const auto all = LeadStatuses();
  return all.empty() ? 10 : all.back().order + 10;
}

void State::AddLeadStatus(const std::string& name, int32_t order) {
  lead_statuses = LeadStatuses();
  lead_statuses_changed = true;
  if (!FindLeadStatus(name)) lead_statuses.push_back({name, order});
  std::sort(lead_statuses.begin(), lead_statuses.end(),
            [](const auto& a, const auto& b) { return std::tie(a.order, a.name) < std::tie(b.order, b.name); });
}

std::vector<const custom::FieldDef*> State::CustomFields(std::string_view on) const {
  std::vector<const custom::FieldDef*> out;
  for (const auto& f : custom_fields) {
    if (f.on == on) out.push_back(&f);
  }
  return out;
}

const custom::FieldDef* State::FindCustomField(std::string_view on, std::string_view name) const {
  for (const auto& f : custom_fields) {
    if (f.on == on && EqualsIgnoreCase(f.name, name)) return &f;
  }
  return nullptr;
}

State Evolve(State s, const fb::Envelope& env) {
  Visit(OwnEvents{}, env,
        Overloaded{
            [&](const fb::DataSetInitialized* e) {
              s.initialized = true;
              s.currency = Str(e->currency());
            },
            [&](const fb::CampaignStatusCodeAdded* e) { s.campaign_statuses[Str(e->code())] = Str(e->description()); },
            [&](const fb::CampaignStatusCodeRemoved* e) { s.campaign_statuses.erase(Str(e->code())); },
            [&](const fb::MemberStatusAdded* e) {
              s.member_statuses.push_back({Str(e->name()), e->responded(), e->is_default(), e->display_order()});
              SortStatuses(&s.member_statuses);
            },
            [&](const fb::MemberStatusChanged* e) {
              for (auto& d : s.member_statuses) {
                if (d.name == Str(e->name())) d = {d.name, e->responded(), e->is_default(), e->display_order()};
              }
              SortStatuses(&s.member_statuses);
            },
            [&](const fb::MemberStatusRemoved* e) {
              const std::string name = Str(e->name());
              std::erase_if(s.member_statuses, [&](const auto& d) { return d.name == name; });
            },
            [&](const fb::LeadStatusAdded* e) { s.AddLeadStatus(Str(e->name()), e->display_order()); },
            [&](const fb::LeadStatusRemoved* e) {
              const std::string name = Str(e->name());
              s.lead_statuses = s.LeadStatuses();
              s.lead_statuses_changed = true;
              std::erase_if(s.lead_statuses, [&](const auto& d) { return d.name == name; });
            },
            [&](const fb::ProfileCodeAdded* e) { s.codes[e->kind()][Str(e->code())] = Str(e->description()); },
            [&](const fb::ProfileCodeRemoved* e) { s.codes[e->kind()].erase(Str(e->code())); },
            [&](const fb::ViewSaved* e) {
              SavedView v{Str(e->name()), Str(e->on()), {}, Str(e->sort()), Str(e->search())};
              if (e->filters() != nullptr) {
                for (const auto* f : *e->filters()) v.filters.push_back(f->str());
              }
              s.views[Lower(v.name)] = std::move(v);
            },
            [&](const fb::ViewRemoved* e) { s.views.erase(Lower(Str(e->name()))); },
            [&](const fb::CustomFieldAdded* e) {
              s.custom_fields.push_back({Str(e->on()), Str(e->name()), e->type(), Strs(e->values())});
            }});
  return s;
}

Result<Events> DecideOne(const State& s, const AddLeadStatus& c) {
  CRM_ASSIGN_OR_RETURN(std::string name, CheckText(c.name, "lead status", 30, true));
  const std::vector<LeadStatusDef> now = s.LeadStatuses();
  if (auto existing = s.FindLeadStatus(name)) {
    for (const auto& d : now) {
      if (d.name == *existing && (!c.order || *c.order == d.order)) return Events{};  // idempotent
    }
    return Status::AlreadyExists("lead status " + *existing + " already exists");
  }
  if (now.size() >= kMaxLeadStatuses) {
    return Status::FailedPrecondition("at most " + std::to_string(kMaxLeadStatuses) + " lead statuses");
  }
  fb::LeadStatusAddedT e;
  e.name = name;
  e.display_order = c.order.value_or(s.NextLeadStatusOrder());
  return Events{MakeEvent(ReferenceStream(), std::move(e))};
}

Result<Events> DecideOne(const State& s, const RemoveLeadStatus& c) {
  const std::optional<std::string> existing = s.FindLeadStatus(Trim(c.name));
  if (!existing) return Events{};  // already gone: idempotent
  std::optional<std::string> target;
  if (!c.replace_with.empty()) {
    target = s.FindLeadStatus(Trim(c.replace_with));
    if (!target) return Status::NotFound("lead status '" + Trim(c.replace_with) + "' does not exist");
    if (*target == *existing) return Status::FailedPrecondition("a status cannot replace itself");
  }
  if (s.LeadStatuses().size() == 1) return Status::FailedPrecondition("the last lead status cannot be removed");
  if (c.leads_using > 0 && !target) {
    return Status::FailedPrecondition("lead status " + *existing + " is used by " + std::to_string(c.leads_using) +
                                      " lead(s); use --replace-with");
  }
  fb::LeadStatusRemovedT e;
  e.name = *existing;
  e.replaced_with = target.value_or("");
  return Events{MakeEvent(ReferenceStream(), std::move(e))};
}

Result<Events> DecideOne(const State& s, const SaveView& c) {
  CRM_ASSIGN_OR_RETURN(std::string name, CheckText(c.view.name, "view name", 50, true));
  if (c.view.on != "contacts" && c.view.on != "leads" && c.view.on != "campaigns") {
    return Status::FailedPrecondition("a view is of contacts, leads or campaigns, not '" + c.view.on + "'");
  }
  SavedView v = c.view;
  if (const SavedView* existing = s.FindView(name)) {
    v.name = existing->name;  // the name as first saved
    if (*existing == v) return Events{};
  } else {
    v.name = name;
  }
  fb::ViewSavedT e;
  e.name = v.name;
  e.on = v.on;
  e.filters = v.filters;
  e.sort = v.sort;
  e.search = v.search;
  return Events{MakeEvent(ReferenceStream(), std::move(e))};
}

Result<Events> DecideOne(const State& s, const RemoveView& c) {
  const SavedView* existing = s.FindView(Trim(c.name));
  if (existing == nullptr) return Status::NotFound("no view named '" + Trim(c.name) + "'");
  fb::ViewRemovedT e;
  e.name = existing->name;
  return Events{MakeEvent(ReferenceStream(), std::move(e))};
}

Result<Events> DecideOne(const State& s, const AddCustomField& c) {
  CRM_ASSIGN_OR_RETURN(custom::FieldDef def, custom::CheckDefinition(c.def, c.reserved));
  if (const custom::FieldDef* existing = s.FindCustomField(def.on, def.name)) {
    if (existing->type == def.type && existing->values == def.values) return Events{};  // idempotent
    return Status::AlreadyExists(def.on + " field " + existing->name + " already exists (a " +
                                 custom::TypeName(existing->type) + ")");
  }
  if (s.CustomFields(def.on).size() >= custom::kMaxFieldsPerRecord) {
    return Status::FailedPrecondition("a " + def.on + " has at most " + std::to_string(custom::kMaxFieldsPerRecord) +
                                      " custom fields");
  }
  // Party lists filter contacts and leads as one, and conversion carries a lead's values to the
  // contact: a name both have is one field, spelt, typed and (a picklist) valued alike.
  if (def.on != "campaign") {
    const char* other = def.on == "contact" ? "lead" : "contact";
    if (const custom::FieldDef* twin = s.FindCustomField(other, def.name)) {
      if (twin->type != def.type || twin->values != def.values) {
        return Status::FailedPrecondition(std::string(other) + " field " + twin->name + " is a " +
                                          custom::TypeName(twin->type) +
                                          (twin->values.empty() ? "" : " of other values") + ": a " + def.on +
                                          " field of that name must be the same (lists filter both alike)");
      }
      def.name = twin->name;  // spelt as first defined
    }
  }
  fb::CustomFieldAddedT e;
  e.on = def.on;
  e.name = def.name;
  e.type = def.type;
  e.values = def.values;
  return Events{MakeEvent(ReferenceStream(), std::move(e))};
}

Result<Events> Decide(const State& state, const Command& command) {
  if (!state.initialized && !std::holds_alternative<InitDataSet>(command)) {
    return Status::FailedPrecondition("the data set is not initialised (run 'crmctl init')");
  }
  return std::visit([&](const auto& c) { return DecideOne(state, c); }, command);
}

Result<fb::ProfileKind> ParseProfileKind(std::string_view text) {
  static const std::pair<std::string_view, fb::ProfileKind> kKinds[] = {
      {"job-responsibility", fb::ProfileKind::JobResponsibility},
      {"business-relation", fb::ProfileKind::BusinessRelation},
      {"industry-group", fb::ProfileKind::IndustryGroup},
      {"mailing-group", fb::ProfileKind::MailingGroup},
      {"territory", fb::ProfileKind::Territory},
  };
  for (const auto& [name, kind] : kKinds) {
    if (EqualsIgnoreCase(name, text)) return kind;
  }
  return Status::InvalidArgument("unknown code kind '" + std::string(text) +
                                 "' (job-responsibility, business-relation, industry-group, mailing-group, territory)");
}

std::string ProfileKindName(fb::ProfileKind kind) {
  switch (kind) {
    case fb::ProfileKind::JobResponsibility: return "job-responsibility";
    case fb::ProfileKind::BusinessRelation: return "business-relation";
    case fb::ProfileKind::IndustryGroup: return "industry-group";
    case fb::ProfileKind::MailingGroup: return "mailing-group";
    case fb::ProfileKind::Territory: return "territory";
  }
  return "code";
}

}  // namespace crm::reference
