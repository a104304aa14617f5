// Segment decisions (aggregates/segment.h): each reads the Context the handler loaded and
// returns the events; none reads a clock or storage.
#include <algorithm>

#include "aggregates/segment.h"

namespace crm::segment {
namespace {

StreamId Stream(const RecordNo& no) { return no.Stream(); }

// The segment exists and can still change.
Status Existing(const Context& cx, const RecordNo& no) {
  if (!cx.header.exists) return Status::NotFound("segment " + no.ToString() + " does not exist");
  if (!cx.header.logged_segment.empty()) {
    return Status::FailedPrecondition("segment " + no.ToString() + " was logged as " + cx.header.logged_segment +
                                      " and is read-only");
  }
  if (cx.header.deleted) {
    return Status::FailedPrecondition("segment " + no.ToString() + " is deleted (crmctl segment restore " +
                                      no.ToString() + " first)");
  }
  return Status::Ok();
}

// The events of one step: parts of at most kStepPart changed lines, the first with the criteria.
Events StepEvents(const Context& cx, fb::SegmentStepKind kind, const std::string& criteria, const std::string& options,
                  const std::vector<RecordNo>& added, const std::vector<RecordNo>& removed,
                  const std::vector<std::string>& filter = {}) {
  const uint32_t step = cx.header.active + 1;
  Events out;
  size_t a = 0, r = 0;
  uint32_t part = 0;
  do {
    fb::SegmentStepTakenT e;
    e.no = cx.header.no.ToString();
    e.step = step;
    e.kind = kind;
    e.part = part;
    if (part == 0) {
      e.criteria = criteria;
      e.options = options;
      e.filter = filter;
    }
    size_t room = kStepPart;
    for (; r < removed.size() && room > 0; ++r, --room) e.removed.push_back(removed[r].ToString());
    for (; a < added.size() && room > 0; ++a, --room) e.added.push_back(added[a].ToString());
    out.push_back(MakeEvent(Stream(cx.header.no), std::move(e)));
    ++part;
  } while (a < added.size() || r < removed.size());
  return out;
}

std::string IdsText(const std::vector<RecordNo>& ids) {
  std::string out;
  for (const auto& id : ids) out += (out.empty() ? "" : " ") + id.ToString();
  return out;
}

bool Excluded(const Context& cx, const RecordNo& id) {
  auto it = cx.contacts.find(id);
  return it != cx.contacts.end() && it->second.excluded;
}

NewEvent HeaderEvent(const Context& cx, const Header& h, std::vector<std::string> lines_updated,
                     const std::optional<NewAttachment>& attachment) {
  fb::SegmentHeaderChangedT e;
  e.no = h.no.ToString();
  e.description = h.description;
  e.campaign = h.campaign;
  e.campaign_target = h.campaign_target;
  e.campaign_response = h.campaign_response;
  e.salesperson = h.salesperson;
  e.interaction_template = h.interaction_template;
  e.language = h.language;
  e.correspondence = h.correspondence;
  e.subject = h.subject;
  e.attachment_name = h.attachment_name;
  e.attachment_sha256 = h.attachment_sha256;
  e.word_as_attachment = h.word_as_attachment;
  if (attachment) e.attachment_content.assign(attachment->content.begin(), attachment->content.end());
  e.date = h.date;
  e.unit_cost = h.unit_cost.value();
  e.unit_duration = h.unit_duration;
  e.information_flow = h.flow;
  e.initiated_by = h.initiated_by;
  e.lines_updated = std::move(lines_updated);
  return MakeEvent(Stream(cx.header.no), std::move(e));
}

}  // namespace

Result<Events> DecideCreate(const Context& cx, const Create& c) {
  if (!cx.reference->initialized) return Status::FailedPrecondition("the data set is not initialised (run 'crmctl init')");
  CRM_ASSIGN_OR_RETURN(std::string description, CheckText(c.description, "description", 100, true));
  fb::SegmentCreatedT e;
  e.no = c.no.ToString();
  e.description = description;
  e.date = FormatDate(DateOf(c.ctx.now));
  return Events{MakeEvent(Stream(c.no), std::move(e))};
}

Result<Events> DecideDelete(const Context& cx, const DeleteSegment& c) {
  if (!cx.header.exists) return Status::NotFound("segment " + c.no.ToString() + " does not exist");
  if (cx.header.deleted != c.restore) return Events{};  // already as asked
  fb::SegmentDeletedT e;
  e.no = c.no.ToString();
  e.restored = c.restore;
  return Events{MakeEvent(Stream(c.no), std::move(e))};
}

Result<Events> DecideSetHeader(const Context& cx, const SetHeader& c) {
  CRM_RETURN_IF_ERROR(Existing(cx, c.no));
  Header h = cx.header;
  if (c.description) {
    CRM_ASSIGN_OR_RETURN(h.description, CheckText(*c.description, "description", 100, true));
  }
  if (c.campaign) {
    h.campaign = Trim(*c.campaign).empty() ? "" : Upper(Trim(*c.campaign));
    if (!h.campaign.empty() && !cx.campaigns.contains(h.campaign)) {
      return Status::NotFound("campaign " + h.campaign + " does not exist");
    }
  }
  if (c.salesperson) {
    h.salesperson = Trim(*c.salesperson).empty() ? "" : Upper(Trim(*c.salesperson));
    if (!h.salesperson.empty() && !cx.catalog->salespeople.contains(h.salesperson)) {
      return Status::NotFound("salesperson " + h.salesperson + " does not exist");
    }
  }
  if (c.interaction_template) {
    h.interaction_template = Trim(*c.interaction_template).empty() ? "" : Upper(Trim(*c.interaction_template));
    if (!h.interaction_template.empty()) {
      auto it = cx.catalog->templates.find(h.interaction_template);
      if (it == cx.catalog->templates.end()) {
        return Status::NotFound("interaction template " + h.interaction_template + " does not exist");
      }
      // The template's defaults, unless this same command sets them.
      const catalog::TemplateDef& t = it->second;
      h.correspondence = t.correspondence;
      h.unit_cost = t.unit_cost;
      h.unit_duration = t.unit_duration;
      h.flow = t.flow;
      h.initiated_by = t.initiated_by;
      h.campaign_target = t.campaign_target;
      h.campaign_response = t.campaign_response;
      if (!t.language.empty()) h.language = t.language;
    }
  }
  if (c.language) {
    if (Trim(*c.language).empty()) {
      h.language.clear();
    } else {
      CRM_ASSIGN_OR_RETURN(h.language, NormalizeCode(*c.language, "language code"));
    }
  }
  if (c.subject) {
    CRM_ASSIGN_OR_RETURN(h.subject, CheckText(*c.subject, "subject", 200, false));
  }
  if (c.date) {
    CRM_ASSIGN_OR_RETURN(Date d, RefuseUnparsed(ParseDate(*c.date)));
    h.date = FormatDate(d);
  }
  if (c.campaign_target) h.campaign_target = *c.campaign_target;
  if (c.campaign_response) h.campaign_response = *c.campaign_response;
  if (c.correspondence) h.correspondence = *c.correspondence;
  if (c.word_as_attachment) h.word_as_attachment = *c.word_as_attachment;
  if ((h.campaign_target || h.campaign_response) && h.campaign.empty()) {
    return Status::FailedPrecondition("campaign target and campaign response need a campaign (--campaign CP)");
  }
  if (c.attachment) {
    CRM_ASSIGN_OR_RETURN(h.attachment_name, catalog::CheckAttachment(c.attachment->file_name, c.attachment->content));
    h.attachment_sha256 = catalog::Sha256Hex(c.attachment->content);
  }
  const bool attachment_changed = h.attachment_sha256 != cx.header.attachment_sha256 ||
                                  h.attachment_name != cx.header.attachment_name;
  const Line before = cx.header.Defaults(), after = h.Defaults();
  std::vector<std::string> updated;
  if (!(before == after)) {
    for (const auto& [id, line] : cx.lines) {
      const bool follows = (line.description == before.description && before.description != after.description) ||
                           (line.correspondence == before.correspondence && before.correspondence != after.correspondence) ||
                           (line.campaign_target == before.campaign_target && before.campaign_target != after.campaign_target) ||
                           (line.language == before.language && before.language != after.language) ||
                           (line.subject == before.subject && before.subject != after.subject);
      if (follows) updated.push_back(id.ToString());
    }
  }
  if (h == cx.header) return Events{};  // nothing this command names differs
  return Events{HeaderEvent(cx, h, std::move(updated), attachment_changed ? c.attachment : std::nullopt)};
}

Result<Events> DecideAddContacts(const Context& cx, const AddContacts& c) {
  CRM_RETURN_IF_ERROR(Existing(cx, c.no));
  if (!c.source_found) return Status::NotFound("logged segment " + c.criteria + " does not exist");
  std::vector<RecordNo> candidates = c.matched;
  for (const RecordNo& id : c.matched) {
    auto it = cx.contacts.find(id);
    if (it == cx.contacts.end()) continue;
    if (c.expand_companies && it->second.company) {
      candidates.insert(candidates.end(), it->second.persons.begin(), it->second.persons.end());
    }
    if (c.include_companies && it->second.company_of.valid()) candidates.push_back(it->second.company_of);
  }
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
  std::vector<RecordNo> added;
  for (const RecordNo& id : candidates) {
    if (!c.ignore_exclusion && Excluded(cx, id)) continue;
    if (!c.allow_existing && cx.lines.contains(id)) continue;
    added.push_back(id);
  }
  std::string options;
  for (const auto& [on, name] : {std::pair{c.allow_existing, "allow-existing"}, {c.expand_companies, "expand-companies"},
                                 {c.include_companies, "include-companies"}, {c.ignore_exclusion, "ignore-exclusion"}}) {
    if (on) options += (options.empty() ? "" : " ") + std::string(name);
  }
  if (c.kind != fb::SegmentStepKind::AddContacts && c.kind != fb::SegmentStepKind::ReuseSegment) {
    return Status::Internal("adding step of another kind");
  }
  return StepEvents(cx, c.kind, c.criteria, options, added, {}, c.filter);
}

Result<Events> DecideNarrow(const Context& cx, const Narrow& c) {
  CRM_RETURN_IF_ERROR(Existing(cx, c.no));
  if (c.kind != fb::SegmentStepKind::Reduce && c.kind != fb::SegmentStepKind::Refine) {
    return Status::Internal("narrowing step of another kind");
  }
  std::vector<RecordNo> removed;
  for (const auto& [id, line] : cx.lines) {
    const bool matches = c.matched.contains(id);
    if (matches == (c.kind == fb::SegmentStepKind::Reduce)) removed.push_back(id);
  }
  return StepEvents(cx, c.kind, c.criteria, "", {}, removed, c.filter);
}

Result<Events> DecideAddLines(const Context& cx, const AddLines& c) {
  CRM_RETURN_IF_ERROR(Existing(cx, c.no));
  if (c.ids.empty()) return Status::FailedPrecondition("name at least one contact");
  std::vector<RecordNo> added;
  for (const RecordNo& id : c.ids) {
    if (id.kind() != RecordKind::kContact) return Status::FailedPrecondition(id.ToString() + " is not a contact");
    if (!cx.contacts.contains(id)) return Status::NotFound("contact " + id.ToString() + " does not exist");
    if (cx.lines.contains(id)) continue;  // already a line
    if (!c.ignore_exclusion && Excluded(cx, id)) {
      return Status::FailedPrecondition("contact " + id.ToString() +
                                        " is excluded from segments (exclude_from_segment, or opted out); use --ignore-exclusion");
    }
    if (std::find(added.begin(), added.end(), id) == added.end()) added.push_back(id);
  }
  return StepEvents(cx, fb::SegmentStepKind::AddLines, IdsText(c.ids), c.ignore_exclusion ? "ignore-exclusion" : "",
                    added, {});
}

Result<Events> DecideRemoveLines(const Context& cx, const RemoveLines& c) {
  CRM_RETURN_IF_ERROR(Existing(cx, c.no));
  if (c.ids.empty()) return Status::FailedPrecondition("name at least one contact");
  std::vector<RecordNo> removed;
  for (const RecordNo& id : c.ids) {
    if (cx.lines.contains(id) && std::find(removed.begin(), removed.end(), id) == removed.end()) removed.push_back(id);
  }
  return StepEvents(cx, fb::SegmentStepKind::RemoveLines, IdsText(c.ids), "", {}, removed);
}

Result<Events> DecideGoBack(const Context& cx, const GoBack& c) {
  CRM_RETURN_IF_ERROR(Existing(cx, c.no));
  if (cx.header.active == 0) return Status::FailedPrecondition("segment " + c.no.ToString() + " has no step to go back from");
  fb::SegmentStepUndoneT e;
  e.no = c.no.ToString();
  e.step = cx.header.active;
  return Events{MakeEvent(Stream(c.no), std::move(e))};
}

Result<Events> DecideRedo(const Context& cx, const Redo& c) {
  CRM_RETURN_IF_ERROR(Existing(cx, c.no));
  if (cx.header.steps.empty() || cx.header.steps.back().number <= cx.header.active) {
    return Status::FailedPrecondition("segment " + c.no.ToString() + " has no step to redo");
  }
  fb::SegmentStepRedoneT e;
  e.no = c.no.ToString();
  e.step = cx.header.active + 1;
  return Events{MakeEvent(Stream(c.no), std::move(e))};
}

Result<Events> DecideSetLine(const Context& cx, const SetLine& c) {
  CRM_RETURN_IF_ERROR(Existing(cx, c.no));
  auto it = cx.lines.find(c.contact);
  if (it == cx.lines.end()) {
    return Status::NotFound("segment " + c.no.ToString() + " has no line for " + c.contact.ToString());
  }
  Line line = it->second;
  if (c.description) {
    CRM_ASSIGN_OR_RETURN(line.description, CheckText(*c.description, "description", 100, false));
  }
  if (c.language) {
    if (Trim(*c.language).empty()) {
      line.language.clear();
    } else {
      CRM_ASSIGN_OR_RETURN(line.language, NormalizeCode(*c.language, "language code"));
    }
  }
  if (c.subject) {
    CRM_ASSIGN_OR_RETURN(line.subject, CheckText(*c.subject, "subject", 200, false));
  }
  if (c.evaluation) {
    CRM_ASSIGN_OR_RETURN(line.evaluation, ParseEvaluation(*c.evaluation));
  }
  if (c.correspondence) line.correspondence = *c.correspondence;
  if (c.campaign_target) {
    if (*c.campaign_target && cx.header.campaign.empty()) {
      return Status::FailedPrecondition("a campaign target line needs the segment's campaign (segment set --campaign)");
    }
    line.campaign_target = *c.campaign_target;
  }
  if (line == it->second) return Events{};
  fb::SegmentLineChangedT e;
  e.no = c.no.ToString();
  e.contact = c.contact.ToString();
  e.values = std::make_unique<fb::SegmentLineValuesT>();
  e.values->description = line.description;
  e.values->correspondence = line.correspondence;
  e.values->campaign_target = line.campaign_target;
  e.values->language = line.language;
  e.values->subject = line.subject;
  e.values->evaluation = line.evaluation;
  return Events{MakeEvent(Stream(c.no), std::move(e))};
}

}  // namespace crm::segment
