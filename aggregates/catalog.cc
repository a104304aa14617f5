#include "aggregates/catalog.h"

#include <algorithm>
#include <utility>
#include <tuple>

namespace crm::catalog {
namespace {

Result<std::string> Code(std::string_view text, std::string_view what) { return NormalizeCode(text, what); }

// A language code, as profile codes are; "" stays "" (any or no language).
Result<std::string> Language(std::string_view text) {
  if (Trim(text).empty()) return std::string();
  return NormalizeCode(text, "language code");
}

// The template `fields` make of `base`, checked.
Result<TemplateDef> Apply(TemplateDef base, const TemplateFields& f) {
  if (f.description) base.description = *f.description;
  CRM_ASSIGN_OR_RETURN(base.description, CheckText(base.description, "description", 100, true));
  if (f.group) {
    if (Trim(*f.group).empty()) {
      base.group.clear();
    } else {
      CRM_ASSIGN_OR_RETURN(base.group, Code(*f.group, "interaction group"));
    }
  }
  if (f.language) {
    CRM_ASSIGN_OR_RETURN(base.language, Language(*f.language));
  }
  if (f.correspondence) base.correspondence = *f.correspondence;
  if (f.unit_cost) {
    if (f.unit_cost->value() < 0) return Status::FailedPrecondition("unit cost must not be negative");
    base.unit_cost = *f.unit_cost;
  }
  if (f.unit_duration) {
    if (*f.unit_duration < 0) return Status::FailedPrecondition("unit duration must not be negative");
    base.unit_duration = *f.unit_duration;
  }
  if (f.flow) base.flow = *f.flow;
  if (f.initiated_by) base.initiated_by = *f.initiated_by;
  if (f.campaign_target) base.campaign_target = *f.campaign_target;
  if (f.campaign_response) base.campaign_response = *f.campaign_response;
  return base;
}

bool SameDefinition(const TemplateDef& a, const TemplateDef& b) {
  return std::tie(a.description, a.group, a.correspondence, a.unit_cost, a.unit_duration, a.flow, a.initiated_by,
                  a.campaign_target, a.campaign_response, a.language) ==
         std::tie(b.description, b.group, b.correspondence, b.unit_cost, b.unit_duration, b.flow, b.initiated_by,
                  b.campaign_target, b.campaign_response, b.language);
}

template <typename T>
T TemplateEvent(const TemplateDef& d) {
  T e;
  e.code = d.code;
  e.description = d.description;
  e.interaction_group = d.group;
  e.correspondence = d.correspondence;
  e.unit_cost = d.unit_cost.value();
  e.unit_duration = d.unit_duration;
  e.information_flow = d.flow;
  e.initiated_by = d.initiated_by;
  e.campaign_target = d.campaign_target;
  e.campaign_response = d.campaign_response;
  e.language = d.language;
  return e;
}

template <typename E>
TemplateDef TemplateOf(const E* e, TemplateDef d) {
  d.code = Str(e->code());
  d.description = Str(e->description());
  d.group = Str(e->interaction_group());
  d.correspondence = e->correspondence();
  d.unit_cost = Money(e->unit_cost());
  d.unit_duration = e->unit_duration();
  d.flow = e->information_flow();
  d.initiated_by = e->initiated_by();
  d.campaign_target = e->campaign_target();
  d.campaign_response = e->campaign_response();
  d.language = Str(e->language());
  return d;
}

// The event for a new attachment, or nothing when the template already has these bytes under
// this name for this language.
Result<std::optional<NewEvent>> AttachmentEvent(const TemplateDef& t, const NewAttachment& a) {
  CRM_ASSIGN_OR_RETURN(std::string language, Language(a.language));
  CRM_ASSIGN_OR_RETURN(std::string file_name, CheckText(a.file_name, "attachment file name", 200, true));
  if (file_name.find('/') != std::string::npos)
    return Status::FailedPrecondition("attachment file name must not contain '/'");
  if (a.content.empty()) return Status::FailedPrecondition("attachment " + file_name + " is empty");
  if (a.content.size() > kMaxAttachmentBytes) {
    return Status::FailedPrecondition("attachment " + file_name + " is larger than 1 MiB");
  }
  const std::string sha = Sha256Hex(a.content);
  for (const Attachment& have : t.attachments) {
    if (have.language == language && have.sha256 == sha && have.file_name == file_name) return std::optional<NewEvent>();
  }
  fb::InteractionTemplateAttachmentSetT e;
  e.code = t.code;
  e.language = language;
  e.file_name = file_name;
  e.content.assign(a.content.begin(), a.content.end());
  e.sha256 = sha;
  return std::optional<NewEvent>(MakeEvent(CatalogStream(), std::move(e)));
}

Result<Events> DecideOne(const reference::State&, const State& s, const AddTemplate& c) {
  TemplateDef base;
  CRM_ASSIGN_OR_RETURN(base.code, Code(c.code, "interaction template code"));
  CRM_ASSIGN_OR_RETURN(TemplateDef next, Apply(base, c.fields));
  Events out;
  const TemplateDef* existing = nullptr;
  if (auto it = s.templates.find(next.code); it != s.templates.end()) {
    existing = &it->second;
    if (!SameDefinition(*existing, next)) {
      return Status::AlreadyExists("interaction template " + next.code + " already exists (use 'interaction-template set')");
    }
  } else {
    out.push_back(MakeEvent(CatalogStream(), TemplateEvent<fb::InteractionTemplateAddedT>(next)));
  }
  if (c.attachment) {
    CRM_ASSIGN_OR_RETURN(auto attached, AttachmentEvent(existing != nullptr ? *existing : next, *c.attachment));
    if (attached) out.push_back(std::move(*attached));
  }
  return out;
}

Result<Events> DecideOne(const reference::State&, const State& s, const SetTemplate& c) {
  CRM_ASSIGN_OR_RETURN(std::string code, Code(c.code, "interaction template code"));
  auto it = s.templates.find(code);
  if (it == s.templates.end()) return Status::NotFound("interaction template " + code + " does not exist");
  CRM_ASSIGN_OR_RETURN(TemplateDef next, Apply(it->second, c.fields));
  Events out;
  if (!SameDefinition(it->second, next)) {
    out.push_back(MakeEvent(CatalogStream(), TemplateEvent<fb::InteractionTemplateChangedT>(next)));
  }
  if (c.attachment) {
    CRM_ASSIGN_OR_RETURN(auto attached, AttachmentEvent(next, *c.attachment));
    if (attached) out.push_back(std::move(*attached));
  }
  return out;
}

Result<Salesperson> CheckSalesperson(Salesperson p) {
  CRM_ASSIGN_OR_RETURN(p.name, CheckText(p.name, "salesperson name", 50, true));
  p.email = Trim(p.email);
  CRM_RETURN_IF_ERROR(CheckEmail(p.email));
  return p;
}

template <typename T>
NewEvent SalespersonEvent(const Salesperson& p) {
  T e;
  e.code = p.code;
  e.name = p.name;
  e.email = p.email;
  return MakeEvent(CatalogStream(), std::move(e));
}

Result<Events> DecideOne(const reference::State&, const State& s, const AddSalesperson& c) {
  Salesperson p;
  CRM_ASSIGN_OR_RETURN(p.code, Code(c.code, "salesperson code"));
  p.name = c.name;
  p.email = c.email;
  CRM_ASSIGN_OR_RETURN(p, CheckSalesperson(std::move(p)));
  if (auto it = s.salespeople.find(p.code); it != s.salespeople.end()) {
    if (it->second.name == p.name && it->second.email == p.email) return Events{};
    return Status::AlreadyExists("salesperson " + p.code + " already exists (use 'salesperson set')");
  }
  return Events{SalespersonEvent<fb::SalespersonAddedT>(p)};
}

Result<Events> DecideOne(const reference::State&, const State& s, const SetSalesperson& c) {
  CRM_ASSIGN_OR_RETURN(std::string code, Code(c.code, "salesperson code"));
  auto it = s.salespeople.find(code);
  if (it == s.salespeople.end()) return Status::NotFound("salesperson " + code + " does not exist");
  Salesperson p = it->second;
  if (c.name) p.name = *c.name;
  if (c.email) p.email = *c.email;
  CRM_ASSIGN_OR_RETURN(p, CheckSalesperson(std::move(p)));
  if (p.name == it->second.name && p.email == it->second.email) return Events{};
  return Events{SalespersonEvent<fb::SalespersonChangedT>(p)};
}

// Normalised, defined, sorted and unique salesperson codes; at least one.
Result<std::vector<std::string>> TeamMembers(const State& s, const std::vector<std::string>& given) {
  std::vector<std::string> members;
  for (const std::string& m : given) {
    CRM_ASSIGN_OR_RETURN(std::string code, Code(m, "salesperson code"));
    if (!s.salespeople.contains(code)) return Status::NotFound("salesperson " + code + " does not exist");
    members.push_back(code);
  }
  std::sort(members.begin(), members.end());
  members.erase(std::unique(members.begin(), members.end()), members.end());
  if (members.empty()) return Status::FailedPrecondition("a team needs at least one member (--member SP)");
  return members;
}

template <typename T>
NewEvent TeamEvent(const Team& t) {
  T e;
  e.code = t.code;
  e.description = t.description;
  e.members = t.members;
  return MakeEvent(CatalogStream(), std::move(e));
}

Result<Events> DecideOne(const reference::State&, const State& s, const AddTeam& c) {
  Team t;
  CRM_ASSIGN_OR_RETURN(t.code, Code(c.code, "team code"));
  CRM_ASSIGN_OR_RETURN(t.description, CheckText(c.description, "description", 100, false));
  CRM_ASSIGN_OR_RETURN(t.members, TeamMembers(s, c.members));
  if (auto it = s.teams.find(t.code); it != s.teams.end()) {
    if (it->second.description == t.description && it->second.members == t.members) return Events{};
    return Status::AlreadyExists("team " + t.code + " already exists (use 'team set')");
  }
  return Events{TeamEvent<fb::TeamAddedT>(t)};
}

Result<Events> DecideOne(const reference::State&, const State& s, const SetTeam& c) {
  CRM_ASSIGN_OR_RETURN(std::string code, Code(c.code, "team code"));
  auto it = s.teams.find(code);
  if (it == s.teams.end()) return Status::NotFound("team " + code + " does not exist");
  Team t = it->second;
  if (c.description) {
    CRM_ASSIGN_OR_RETURN(t.description, CheckText(*c.description, "description", 100, false));
  }
  if (c.members) {
    CRM_ASSIGN_OR_RETURN(t.members, TeamMembers(s, *c.members));
  }
  if (t.description == it->second.description && t.members == it->second.members) return Events{};
  return Events{TeamEvent<fb::TeamChangedT>(t)};
}

Result<Events> DecideOne(const reference::State&, const State& s, const SaveCriteria& c) {
  SavedCriteria saved;
  CRM_ASSIGN_OR_RETURN(saved.code, Code(c.code, "criteria code"));
  CRM_ASSIGN_OR_RETURN(saved.description, CheckText(c.description, "description", 100, true));
  if (c.steps.empty()) return Status::FailedPrecondition("segment " + c.segment + " has no steps in effect to save");
  if (auto it = s.criteria.find(saved.code); it != s.criteria.end()) {
    if (it->second.description == saved.description && it->second.steps == c.steps) return Events{};
    return Status::AlreadyExists("criteria " + saved.code + " already exist; save under another code");
  }
  fb::SegmentCriteriaSavedT e;
  e.code = saved.code;
  e.description = saved.description;
  e.segment = c.segment;
  for (const SavedStep& step : c.steps) e.steps.push_back(SavedStepTable(step));
  return Events{MakeEvent(CatalogStream(), std::move(e))};
}

// smtp://HOST[:PORT] or smtps://HOST[:PORT], nothing after but an optional "/".
Status CheckSmtpUrl(const std::string& url) {
  const std::string bad = "--smtp must be smtp://HOST[:PORT] or smtps://HOST[:PORT], not '" + url + "'";
  std::string_view rest(url);
  if (rest.starts_with("smtp://")) {
    rest.remove_prefix(7);
  } else if (rest.starts_with("smtps://")) {
    rest.remove_prefix(8);
  } else {
    return Status::FailedPrecondition(bad);
  }
  if (rest.ends_with("/")) rest.remove_suffix(1);
  std::string_view host = rest, port;
  if (const size_t colon = rest.rfind(':'); colon != std::string_view::npos && rest.find(']') == std::string_view::npos) {
    host = rest.substr(0, colon);
    port = rest.substr(colon + 1);
    if (port.empty() || port.size() > 5 || !std::all_of(port.begin(), port.end(), [](char ch) { return ch >= '0' && ch <= '9'; }) ||
        std::stoi(std::string(port)) < 1 || std::stoi(std::string(port)) > 65535) {
      return Status::FailedPrecondition(bad);
    }
  }
  if (host.empty()) return Status::FailedPrecondition(bad);
  for (char ch : host) {
    if (static_cast<unsigned char>(ch) <= ' ' || ch == '/' || ch == '@' || ch == '?' || ch == '#') {
      return Status::FailedPrecondition(bad);
    }
  }
  return Status::Ok();
}

Result<Events> DecideOne(const reference::State&, const State& s, const SetMail& c) {
  MailSettings m = s.mail;
  if (c.smtp_url) m.smtp_url = Trim(*c.smtp_url);
  if (c.from) m.from = Trim(*c.from);
  if (c.outbox) {
    CRM_ASSIGN_OR_RETURN(m.outbox, CheckText(*c.outbox, "outbox", 1000, false));
  }
  if (m.smtp_url.empty())
    return Status::FailedPrecondition("mail settings need the SMTP server (--smtp smtp://HOST:PORT)");
  CRM_RETURN_IF_ERROR(CheckSmtpUrl(m.smtp_url));
  if (m.from.empty()) return Status::FailedPrecondition("mail settings need the sender address (--from ADDRESS)");
  CRM_RETURN_IF_ERROR(CheckEmail(m.from));
  if (m == s.mail) return Events{};
  fb::MailSettingsSetT e;
  e.smtp_url = m.smtp_url;
  e.from = m.from;
  e.outbox = m.outbox;
  return Events{MakeEvent(CatalogStream(), std::move(e))};
}

std::vector<std::string> Strings(const flatbuffers::Vector<flatbuffers::Offset<flatbuffers::String>>* v) {
  std::vector<std::string> out;
  if (v != nullptr) {
    for (const auto* s : *v) out.push_back(Str(s));
  }
  return out;
}

Result<Events> DecideOne(const reference::State&, const State& s, const AddSalesCycle& c) {
  return DecideAddSalesCycle(s, c);
}

}  // namespace

const Attachment* TemplateDef::AttachmentFor(std::string_view lang) const {
  const Attachment* any = nullptr;
  for (const Attachment& a : attachments) {
    if (a.language == lang) return &a;
    if (a.language.empty()) any = &a;
  }
  return any;
}

State Evolve(State s, const fb::Envelope& env) {
  Visit(OwnEvents{}, env,
        Overloaded{
            [&](const fb::InteractionTemplateAdded* e) { s.templates[Str(e->code())] = TemplateOf(e, TemplateDef()); },
            [&](const fb::InteractionTemplateChanged* e) {
              TemplateDef& d = s.templates[Str(e->code())];
              d = TemplateOf(e, std::move(d));
            },
            [&](const fb::InteractionTemplateAttachmentSet* e) {
              TemplateDef& d = s.templates[Str(e->code())];
              Attachment a{Str(e->language()), Str(e->file_name()), Str(e->sha256()),
                           e->content() ? e->content()->size() : 0};
              std::erase_if(d.attachments, [&](const Attachment& have) { return have.language == a.language; });
              d.attachments.push_back(std::move(a));
              std::sort(d.attachments.begin(), d.attachments.end(),
                        [](const Attachment& x, const Attachment& y) { return x.language < y.language; });
            },
            [&](const fb::SalespersonAdded* e) {
              s.salespeople[Str(e->code())] = {Str(e->code()), Str(e->name()), Str(e->email())};
            },
            [&](const fb::SalespersonChanged* e) {
              s.salespeople[Str(e->code())] = {Str(e->code()), Str(e->name()), Str(e->email())};
            },
            [&](const fb::TeamAdded* e) {
              s.teams[Str(e->code())] = {Str(e->code()), Str(e->description()), Strings(e->members())};
            },
            [&](const fb::TeamChanged* e) {
              s.teams[Str(e->code())] = {Str(e->code()), Str(e->description()), Strings(e->members())};
            },
            [&](const fb::SegmentCriteriaSaved* e) {
              SavedCriteria saved{Str(e->code()), Str(e->description()), Str(e->segment()), {}};
              if (e->steps() != nullptr) {
                for (const auto* step : *e->steps()) {
                  saved.steps.push_back(
                      {step->kind(), Str(step->criteria()), Str(step->options()), Strings(step->filter())});
                }
              }
              s.criteria[saved.code] = std::move(saved);
            },
            [&](const fb::MailSettingsSet* e) {
              s.mail = {Str(e->smtp_url()), Str(e->from()), Str(e->outbox())};
            },
            [&](const fb::SalesCycleAdded* e) { s = EvolveSalesCycles(std::move(s), *e); }});
  return s;
}

Result<Events> Decide(const reference::State& ref, const State& state, const Command& command) {
  if (!ref.initialized) return Status::FailedPrecondition("the data set is not initialised (run 'crmctl init')");
  return std::visit([&](const auto& c) { return DecideOne(ref, state, c); }, command);
}

StreamId CatalogStream() { return StreamId("catalog"); }

Result<const SavedCriteria*> FindCriteria(const State& state, std::string_view code) {
  const std::string key = Upper(Trim(code));
  auto it = state.criteria.find(key);
  if (it == state.criteria.end()) return Status::NotFound("criteria " + key + " do not exist");
  return &it->second;
}

std::unique_ptr<fb::SavedSegmentStepT> SavedStepTable(const SavedStep& step) {
  auto t = std::make_unique<fb::SavedSegmentStepT>();
  t->kind = step.kind;
  t->criteria = step.criteria;
  t->options = step.options;
  t->filter = step.filter;
  return t;
}

namespace {

// The CLI's names of the catalogue's enums, each parsed case-insensitively.
template <typename E, size_t N>
using Names = std::pair<std::string_view, E>[N];
constexpr Names<fb::Correspondence, 2> kCorrespondence = {{"email", fb::Correspondence::Email},
                                                          {"letter", fb::Correspondence::Letter}};
constexpr Names<fb::InformationFlow, 2> kFlow = {{"outbound", fb::InformationFlow::Outbound},
                                                 {"inbound", fb::InformationFlow::Inbound}};
constexpr Names<fb::InitiatedBy, 2> kInitiatedBy = {{"us", fb::InitiatedBy::Us}, {"them", fb::InitiatedBy::Them}};

template <typename E, size_t N>
Result<E> ParseName(std::string_view text, const Names<E, N>& names, std::string_view what) {
  std::string choices;
  for (const auto& [name, value] : names) {
    if (EqualsIgnoreCase(name, text)) return value;
    choices += (choices.empty() ? "" : " or ") + std::string(name);
  }
  return Status::InvalidArgument(std::string(what) + " must be " + choices + ", not '" + std::string(text) + "'");
}

template <typename E, size_t N>
std::string NameOf(E value, const Names<E, N>& names) {
  for (const auto& [name, v] : names) {
    if (v == value) return std::string(name);
  }
  return std::string(names[0].first);  // a value outside this schema's: a newer writer's
}

}  // namespace

Result<fb::Correspondence> ParseCorrespondence(std::string_view text) {
  return ParseName(text, kCorrespondence, "correspondence type");
}
std::string CorrespondenceName(fb::Correspondence c) { return NameOf(c, kCorrespondence); }
Result<fb::InformationFlow> ParseInformationFlow(std::string_view text) {
  return ParseName(text, kFlow, "information flow");
}
std::string InformationFlowName(fb::InformationFlow f) { return NameOf(f, kFlow); }
Result<fb::InitiatedBy> ParseInitiatedBy(std::string_view text) { return ParseName(text, kInitiatedBy, "initiated by"); }
std::string InitiatedByName(fb::InitiatedBy i) { return NameOf(i, kInitiatedBy); }

std::string Sha256Hex(std::string_view bytes) { return HashToHex(Sha256(bytes)); }

}  // namespace crm::catalog
