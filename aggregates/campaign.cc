#include "aggregates/campaign.h"

#include <algorithm>

#include "aggregates/campaign_prices.h"
#include "aggregates/catalog.h"

namespace crm::campaign {
namespace {

std::optional<Date> DateField(const flatbuffers::String* s) {
  if (s == nullptr || s->size() == 0) return std::nullopt;
  auto d = ParseDate(s->string_view());
  return d.ok() ? std::optional<Date>(*d) : std::nullopt;
}

std::string DateText(const std::optional<Date>& d) { return d ? FormatDate(*d) : std::string(); }

bool IsCleared(const fb::CampaignChanged* e, std::string_view name) {
  if (e->cleared() == nullptr) return false;
  return std::any_of(e->cleared()->begin(), e->cleared()->end(), [&](const auto* s) { return s->string_view() == name; });
}

Result<std::string> CheckType(const std::string& text) {
  if (text.empty()) return std::string();
  for (const char* t : kCampaignTypes) {
    if (EqualsIgnoreCase(t, Trim(text))) return std::string(t);
  }
  std::string all;
  for (const char* t : kCampaignTypes) all += (all.empty() ? "" : ", ") + std::string(t);
  return Status::FailedPrecondition("campaign type '" + text + "' is not one of " + all);
}

Result<std::string> CheckStatus(const std::string& text, const reference::State& ref) {
  if (text.empty()) return std::string();
  CRM_ASSIGN_OR_RETURN(std::string code, NormalizeCode(text, "campaign status code"));
  if (!ref.campaign_statuses.contains(code)) {
    return Status::NotFound("campaign status code " + code + " is not defined (crmctl campaign-status add " + code + ")");
  }
  return code;
}

Status CheckMoney(Money m, const char* what) {
  if (m.value() < 0) return Status::FailedPrecondition(std::string(what) + " cannot be negative");
  return Status::Ok();
}

// Percent is in thousandths of a percent: 0..100 % is 0..100000.
Status CheckPercent(Percent p, const char* what) {
  if (p.value() < 0 || p.value() > 100000) return Status::FailedPrecondition(std::string(what) + " must be 0 to 100 %");
  return Status::Ok();
}

Status CheckCount(int64_t n, const char* what) {
  if (n < 0) return Status::FailedPrecondition(std::string(what) + " cannot be negative");
  return Status::Ok();
}

Status CheckDates(const std::optional<Date>& start, const std::optional<Date>& end) {
  if (start && end && *start > *end) {
    return Status::FailedPrecondition("start date " + FormatDate(*start) + " is after end date " + FormatDate(*end));
  }
  return Status::Ok();
}

// `self` is empty for a new campaign.
Result<std::string> CheckParent(const std::string& parent_text, const std::string& self, const Context& cx) {
  if (parent_text.empty()) return std::string();
  CRM_ASSIGN_OR_RETURN(RecordNo parent, RefuseUnparsed(RecordNo::Parse(parent_text, RecordKind::kCampaign)));
  const std::string parent_no = parent.ToString();
  if (parent_no == self) return Status::FailedPrecondition("a campaign cannot be its own parent");
  if (!cx.parent_exists) return Status::NotFound("parent campaign " + parent_no + " does not exist");
  if (!self.empty() && std::find(cx.parent_chain.begin(), cx.parent_chain.end(), self) != cx.parent_chain.end()) {
    return Status::FailedPrecondition("making " + parent_no + " the parent of " + self + " would create a cycle");
  }
  if (cx.parent_chain.size() + cx.subtree_height > kMaxLevels) {
    return Status::FailedPrecondition("campaign hierarchies are at most " + std::to_string(kMaxLevels) +
                                      " levels deep; under " + parent_no + " this would make " +
                                      std::to_string(cx.parent_chain.size() + cx.subtree_height));
  }
  return parent_no;
}

Result<std::string> CheckOwner(const std::string& text, const Context& cx) {
  CRM_ASSIGN_OR_RETURN(std::string owner, CheckText(text, "owner", 50, false));
  if (!owner.empty() && !cx.users.empty() && !cx.users.contains(owner)) {
    return Status::NotFound("owner '" + owner + "' is not a user (crmctl user list)");
  }
  return owner;
}

Result<std::string> CheckSalesperson(const std::string& text, const Context& cx) {
  if (text.empty()) return text;
  CRM_ASSIGN_OR_RETURN(std::string code, NormalizeCode(text, "salesperson"));
  if (!cx.salespeople.contains(code)) {
    return Status::NotFound("salesperson " + code + " is not defined (crmctl salesperson add ...)");
  }
  return code;
}

}  // namespace

State Evolve(State s, const fb::Envelope& env) {
  const Timestamp at(env.recorded_at());
  Visit(OwnEvents{}, env,
        Overloaded{[&](const fb::CampaignCreated* e) {
                     s.exists = true;
                     s.no = NoOf(e->no());
                     s.name = Str(e->name());
                     s.description = Str(e->description());
                     s.type = Str(e->type());
                     s.status = Str(e->status());
                     s.start = DateField(e->start_date());
                     s.end = DateField(e->end_date());
                     s.owner = Str(e->owner());
                     s.salesperson = Str(e->salesperson());
                     s.budgeted_cost = Money(e->budgeted_cost());
                     s.actual_cost = Money(e->actual_cost());
                     s.expected_revenue = Money(e->expected_revenue());
                     s.expected_response = Percent(e->expected_response());
                     s.number_sent = e->number_sent();
                     s.parent = Str(e->parent());
                     s.currency = Str(e->currency());
                     s.cloned_from = Str(e->cloned_from());
                     s.created_at = CreatedAt(e->created_at(), at);
                     s.modified_at = at;
                     s.created_by = Actor(Str(env.actor()));
                     s.custom = custom::Read(e);
                     s.source = Str(e->source());
                     s.source_id = Str(e->source_id());
                     s.source_modified_at = Str(e->source_modified_at());
                   },
                   [&](const fb::CampaignChanged* e) {
                     auto patch = [&](std::string* dst, const flatbuffers::String* v, std::string_view name) {
                       if (v != nullptr) {
                         *dst = v->str();
                       } else if (IsCleared(e, name)) {
                         dst->clear();
                       }
                     };
                     patch(&s.name, e->name(), "name");
                     patch(&s.description, e->description(), "description");
                     patch(&s.type, e->type(), "type");
                     patch(&s.status, e->status(), "status");
                     patch(&s.owner, e->owner(), "owner");
                     patch(&s.salesperson, e->salesperson(), "salesperson");
                     patch(&s.parent, e->parent(), "parent");
                     patch(&s.source, e->source(), "source");
                     patch(&s.source_id, e->source_id(), "source_id");
                     patch(&s.source_modified_at, e->source_modified_at(), "source_modified_at");
                     if (e->start_date() != nullptr || IsCleared(e, "start_date")) s.start = DateField(e->start_date());
                     if (e->end_date() != nullptr || IsCleared(e, "end_date")) s.end = DateField(e->end_date());
                     if (e->budgeted_cost()) s.budgeted_cost = Money(*e->budgeted_cost());
                     if (e->actual_cost()) s.actual_cost = Money(*e->actual_cost());
                     if (e->expected_revenue()) s.expected_revenue = Money(*e->expected_revenue());
                     if (e->expected_response()) s.expected_response = Percent(*e->expected_response());
                     if (e->number_sent()) s.number_sent = *e->number_sent();
                     custom::Patch(&s.custom, e);
                     s.modified_at = at;
                   },
                   [&](const fb::CampaignAttachmentAdded* e) {
                     Attachment a{Str(e->file_name()), Str(e->sha256()), e->content() ? e->content()->size() : 0};
                     std::erase_if(s.attachments, [&](const Attachment& have) { return have.file_name == a.file_name; });
                     s.attachments.push_back(std::move(a));
                     std::sort(s.attachments.begin(), s.attachments.end(),
                               [](const Attachment& x, const Attachment& y) { return x.file_name < y.file_name; });
                     s.modified_at = at;
                   },
                   [&](const fb::CampaignAttachmentRemoved* e) {
                     std::erase_if(s.attachments,
                                   [&](const Attachment& have) { return have.file_name == Str(e->file_name()); });
                     s.modified_at = at;
                   },
                   [&](const fb::CampaignPriceSet* e) {
                     FoldPriceSet(&s, *e);
                     s.modified_at = at;
                   },
                   [&](const fb::CampaignPriceRemoved* e) {
                     FoldPriceRemoved(&s, *e);
                     s.modified_at = at;
                   },
                   [&](const fb::CampaignActivated* e) {
                     s.active = true;
                     s.targets = e->targets() ? e->targets()->size() : 0;
                     s.modified_at = at;
                   },
                   [&](const fb::CampaignDeactivated*) {
                     s.active = false;
                     s.modified_at = at;
                   },
                   [&](const fb::CampaignDeleted* e) {
                     s.deleted = !e->restored();
                     s.modified_at = at;
                   }});
  return s;
}

Status RefuseDeleted(const State& state) {
  if (!state.deleted) return Status::Ok();
  return Status::FailedPrecondition("campaign " + state.no.ToString() + " is deleted (crmctl campaign restore " +
                                    state.no.ToString() + " brings it back)");
}

Result<Events> DecideDelete(const State& state, const DeleteCampaign& c, const std::vector<std::string>& dependents) {
  if (!state.exists) return Status::NotFound("campaign " + c.no.ToString() + " does not exist");
  if (state.deleted != c.restore) return Events{};  // already as asked
  if (!c.restore && !dependents.empty()) {
    std::string names;
    for (const std::string& d : dependents) names += (names.empty() ? "" : ", ") + d;
    return Status::FailedPrecondition("cannot delete campaign " + c.no.ToString() + ": still needed by " + names);
  }
  fb::CampaignDeletedT e;
  e.no = c.no.ToString();
  e.restored = c.restore;
  return Events{MakeEvent(c.no.Stream(), std::move(e))};
}

Result<Events> DecideAttach(const State& state, const Attach& c) {
  if (!state.exists) return Status::NotFound("campaign " + c.no.ToString() + " does not exist");
  CRM_RETURN_IF_ERROR(RefuseDeleted(state));
  CRM_ASSIGN_OR_RETURN(std::string file_name, catalog::CheckAttachment(c.file_name, c.content));
  const std::string sha = catalog::Sha256Hex(c.content);
  for (const Attachment& have : state.attachments) {
    if (have.file_name == file_name && have.sha256 == sha) return Events{};
  }
  return Events{AttachmentAddedEvent(c.no, file_name, c.content, sha)};
}

Result<Events> DecideDetach(const State& state, const Detach& c) {
  if (!state.exists) return Status::NotFound("campaign " + c.no.ToString() + " does not exist");
  CRM_RETURN_IF_ERROR(RefuseDeleted(state));
  const std::string file_name = Trim(c.file_name);
  const bool has = std::any_of(state.attachments.begin(), state.attachments.end(),
                               [&](const Attachment& a) { return a.file_name == file_name; });
  if (!has) return Status::NotFound("campaign " + c.no.ToString() + " has no attachment '" + file_name + "'");
  return Events{AttachmentRemovedEvent(c.no, file_name)};
}

NewEvent AttachmentAddedEvent(const RecordNo& no, const std::string& file_name, std::string_view content,
                              const std::string& sha256) {
  fb::CampaignAttachmentAddedT e;
  e.no = no.ToString();
  e.file_name = file_name;
  e.content.assign(content.begin(), content.end());
  e.sha256 = sha256;
  return MakeEvent(no.Stream(), std::move(e));
}

NewEvent AttachmentRemovedEvent(const RecordNo& no, const std::string& file_name) {
  fb::CampaignAttachmentRemovedT e;
  e.no = no.ToString();
  e.file_name = file_name;
  return MakeEvent(no.Stream(), std::move(e));
}

Result<Events> DecideCreate(const State& state, const Context& cx, const CreateCampaign& c) {
  if (c.no.kind() != RecordKind::kCampaign) return Status::Internal("campaign number expected");
  Fields f = c.f;
  CRM_ASSIGN_OR_RETURN(f.name, CheckText(f.name, "campaign name", 80, true));
  CRM_ASSIGN_OR_RETURN(f.description, CheckLines(f.description, "description", 250));
  CRM_ASSIGN_OR_RETURN(f.type, CheckType(f.type));
  CRM_ASSIGN_OR_RETURN(f.status, CheckStatus(f.status, *cx.reference));
  CRM_ASSIGN_OR_RETURN(f.owner, CheckOwner(f.owner.empty() ? c.ctx.actor.value() : f.owner, cx));
  CRM_ASSIGN_OR_RETURN(f.salesperson, CheckSalesperson(f.salesperson, cx));
  CRM_RETURN_IF_ERROR(CheckDates(f.start, f.end));
  CRM_RETURN_IF_ERROR(CheckMoney(f.budgeted_cost, "budgeted cost"));
  CRM_RETURN_IF_ERROR(CheckMoney(f.actual_cost, "actual cost"));
  CRM_RETURN_IF_ERROR(CheckMoney(f.expected_revenue, "expected revenue"));
  CRM_RETURN_IF_ERROR(CheckPercent(f.expected_response, "expected response"));
  CRM_RETURN_IF_ERROR(CheckCount(f.number_sent, "number sent"));
  CRM_ASSIGN_OR_RETURN(f.parent, CheckParent(f.parent, "", cx));
  CRM_RETURN_IF_ERROR(CheckSource(&f.source, &f.source_id, &f.source_modified_at));
  CRM_ASSIGN_OR_RETURN(custom::Values values,
                       custom::Change({}, f.custom, cx.reference->CustomFields("campaign"), "campaign"));
  if (state.exists) {
    if (state.name == f.name && state.parent == f.parent && state.cloned_from == c.cloned_from) return Events{};
    return Status::AlreadyExists("campaign " + c.no.ToString() + " already exists");
  }
  fb::CampaignCreatedT e;
  e.no = c.no.ToString();
  e.name = f.name;
  e.description = f.description;
  e.type = f.type;
  e.status = f.status;
  e.start_date = DateText(f.start);
  e.end_date = DateText(f.end);
  e.owner = f.owner;
  e.salesperson = f.salesperson;
  e.budgeted_cost = f.budgeted_cost.value();
  e.actual_cost = f.actual_cost.value();
  e.expected_revenue = f.expected_revenue.value();
  e.expected_response = f.expected_response.value();
  e.number_sent = f.number_sent;
  e.parent = f.parent;
  e.currency = cx.reference->currency;
  e.cloned_from = c.cloned_from;
  e.source = f.source;
  e.source_id = f.source_id;
  e.source_modified_at = f.source_modified_at;
  e.created_at = c.created_at.value();
  custom::Write(values, &e);
  return Events{MakeEvent(c.no.Stream(), std::move(e))};
}

Result<Events> DecideChange(const State& state, const Context& cx, const ChangeCampaign& c) {
  if (!state.exists) return Status::NotFound("campaign " + c.no.ToString() + " does not exist");
  CRM_RETURN_IF_ERROR(RefuseDeleted(state));
  fb::CampaignChangedT e;
  e.no = state.no.ToString();
  bool changed = false;
  auto text = [&](const std::optional<std::string>& next, const std::string& before, std::string* out,
                  const char* name) {
    if (!next || *next == before) return;
    changed = true;
    if (next->empty()) e.cleared.push_back(name);
    *out = *next;
  };
  std::optional<std::string> name, description, type, status, owner, salesperson, parent;
  if (c.name) {
    CRM_ASSIGN_OR_RETURN(name, CheckText(*c.name, "campaign name", 80, true));
  }
  if (c.description) {
    CRM_ASSIGN_OR_RETURN(description, CheckLines(*c.description, "description", 250));
  }
  if (c.type) {
    CRM_ASSIGN_OR_RETURN(type, CheckType(*c.type));
  }
  if (c.status) {
    CRM_ASSIGN_OR_RETURN(status, CheckStatus(*c.status, *cx.reference));
  }
  if (c.owner) {
    CRM_ASSIGN_OR_RETURN(owner, CheckOwner(*c.owner, cx));
  }
  if (c.salesperson && Upper(Trim(*c.salesperson)) != state.salesperson) {  // one it had is not checked again
    CRM_ASSIGN_OR_RETURN(salesperson, CheckSalesperson(*c.salesperson, cx));
  }
  if (c.parent && *c.parent != state.parent) {
    CRM_ASSIGN_OR_RETURN(parent, CheckParent(*c.parent, e.no, cx));
  }
  text(name, state.name, &e.name, "name");
  text(description, state.description, &e.description, "description");
  text(type, state.type, &e.type, "type");
  text(status, state.status, &e.status, "status");
  text(owner, state.owner, &e.owner, "owner");
  text(salesperson, state.salesperson, &e.salesperson, "salesperson");
  text(parent, state.parent, &e.parent, "parent");
  if (c.source || c.source_id || c.source_modified_at) {
    std::string source = c.source.value_or(state.source), id = c.source_id.value_or(state.source_id),
                modified = c.source_modified_at.value_or(state.source_modified_at);
    CRM_RETURN_IF_ERROR(CheckSource(&source, &id, &modified));
    text(source, state.source, &e.source, "source");
    text(id, state.source_id, &e.source_id, "source_id");
    text(modified, state.source_modified_at, &e.source_modified_at, "source_modified_at");
  }

  const std::optional<Date> start = c.start ? *c.start : state.start;
  const std::optional<Date> end = c.end ? *c.end : state.end;
  CRM_RETURN_IF_ERROR(CheckDates(start, end));
  auto date = [&](const std::optional<Date>& next, const std::optional<Date>& before, std::string* out,
                  const char* name) {
    if (next == before) return;
    changed = true;
    if (!next) e.cleared.push_back(name);
    *out = DateText(next);
  };
  date(start, state.start, &e.start_date, "start_date");
  date(end, state.end, &e.end_date, "end_date");

  auto money = [&](const std::optional<Money>& next, Money before, flatbuffers::Optional<int64_t>* out,
                   const char* what) -> Status {
    if (!next || *next == before) return Status::Ok();
    CRM_RETURN_IF_ERROR(CheckMoney(*next, what));
    changed = true;
    *out = next->value();
    return Status::Ok();
  };
  CRM_RETURN_IF_ERROR(money(c.budgeted_cost, state.budgeted_cost, &e.budgeted_cost, "budgeted cost"));
  CRM_RETURN_IF_ERROR(money(c.actual_cost, state.actual_cost, &e.actual_cost, "actual cost"));
  CRM_RETURN_IF_ERROR(money(c.expected_revenue, state.expected_revenue, &e.expected_revenue, "expected revenue"));
  if (c.expected_response && *c.expected_response != state.expected_response) {
    CRM_RETURN_IF_ERROR(CheckPercent(*c.expected_response, "expected response"));
    changed = true;
    e.expected_response = c.expected_response->value();
  }
  if (c.number_sent && *c.number_sent != state.number_sent) {
    CRM_RETURN_IF_ERROR(CheckCount(*c.number_sent, "number sent"));
    changed = true;
    e.number_sent = *c.number_sent;
  }
  CRM_ASSIGN_OR_RETURN(custom::Values values,
                       custom::Change(state.custom, c.custom, cx.reference->CustomFields("campaign"), "campaign"));
  if (custom::Diff(state.custom, values, &e)) changed = true;
  if (!changed) return Events{};
  return Events{MakeEvent(state.no.Stream(), std::move(e))};
}

}  // namespace crm::campaign
