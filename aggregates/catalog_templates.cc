// Interaction templates and their attachments: decisions, fold and the CLI's names of their enums. Rules:
// catalog_templates.h.
#include "aggregates/catalog_templates.h"

#include <algorithm>
#include <tuple>
#include <utility>

#include "aggregates/catalog_internal.h"

namespace crm::catalog {
namespace {

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
      CRM_ASSIGN_OR_RETURN(base.group, NormalizeCode(*f.group, "interaction group"));
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

}  // namespace

Result<std::string> CheckAttachment(std::string_view file_name, std::string_view content) {
  CRM_ASSIGN_OR_RETURN(std::string name, CheckText(file_name, "attachment file name", 200, true));
  if (name.find('/') != std::string::npos) return Status::FailedPrecondition("attachment file name must not contain '/'");
  if (content.empty()) return Status::FailedPrecondition("attachment " + name + " is empty");
  if (content.size() > kMaxAttachmentBytes) {
    return Status::FailedPrecondition("attachment " + name + " is larger than 1 MiB");
  }
  return name;
}

namespace {

// The event for a new attachment, or nothing when the template already has these bytes under
// this name for this language.
Result<std::optional<NewEvent>> AttachmentEvent(const TemplateDef& t, const NewAttachment& a) {
  CRM_ASSIGN_OR_RETURN(std::string language, Language(a.language));
  CRM_ASSIGN_OR_RETURN(std::string file_name, CheckAttachment(a.file_name, a.content));
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

}  // namespace

Result<Events> DecideOne(const reference::State&, const State& s, const AddTemplate& c) {
  TemplateDef base;
  CRM_ASSIGN_OR_RETURN(base.code, NormalizeCode(c.code, "interaction template code"));
  CRM_RETURN_IF_ERROR(RefuseDeletedEntry(s, fb::CatalogEntryKind::InteractionTemplate, base.code));
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
  CRM_ASSIGN_OR_RETURN(std::string code, NormalizeCode(c.code, "interaction template code"));
  CRM_RETURN_IF_ERROR(RefuseDeletedEntry(s, fb::CatalogEntryKind::InteractionTemplate, code));
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

void Fold(State* s, const fb::InteractionTemplateAdded* e) {
  s->templates[Str(e->code())] = TemplateOf(e, TemplateDef());
}

void Fold(State* s, const fb::InteractionTemplateChanged* e) {
  TemplateDef& d = s->templates[Str(e->code())];
  d = TemplateOf(e, std::move(d));
}

void Fold(State* s, const fb::InteractionTemplateAttachmentSet* e) {
  TemplateDef& d = s->templates[Str(e->code())];
  Attachment a{Str(e->language()), Str(e->file_name()), Str(e->sha256()), e->content() ? e->content()->size() : 0};
  std::erase_if(d.attachments, [&](const Attachment& have) { return have.language == a.language; });
  d.attachments.push_back(std::move(a));
  std::sort(d.attachments.begin(), d.attachments.end(),
            [](const Attachment& x, const Attachment& y) { return x.language < y.language; });
}

const Attachment* TemplateDef::AttachmentFor(std::string_view lang) const {
  const Attachment* any = nullptr;
  for (const Attachment& a : attachments) {
    if (a.language == lang) return &a;
    if (a.language.empty()) any = &a;
  }
  return any;
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

}  // namespace crm::catalog
