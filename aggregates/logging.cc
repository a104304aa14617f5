#include "aggregates/logging.h"

namespace crm::logging {
namespace {

constexpr int64_t kMicrosPerDay = 86400LL * 1000000LL;

// The segment's date at the command's time of day.
Timestamp EntryTime(const std::string& date, Timestamp now) {
  auto d = ParseDate(date);
  if (!d.ok()) return now;
  const int64_t micros = now.value();
  const int64_t time_of_day = ((micros % kMicrosPerDay) + kMicrosPerDay) % kMicrosPerDay;
  return Timestamp(static_cast<int64_t>(d->value()) * kMicrosPerDay + time_of_day);
}

}  // namespace

StreamId LoggedStream(const RecordNo& logged) { return logged.Stream(); }

StreamId EntryStream(const Entry& e) { return e.logged_segment.valid() ? e.logged_segment.Stream() : e.no.Stream(); }

Result<Events> DecideLog(const Context& cx, const LogSegment& c) {
  const segment::Header& h = cx.header;
  const std::string sm = c.segment.ToString();
  if (!h.exists) return Status::NotFound("segment " + sm + " does not exist");
  if (!h.logged_segment.empty()) return Status::FailedPrecondition("segment " + sm + " was already logged as " + h.logged_segment);
  if (h.deleted) return Status::FailedPrecondition("segment " + sm + " is deleted (crmctl segment restore " + sm + " first)");
  if (Trim(h.description).empty()) return Status::FailedPrecondition("segment " + sm + " has no description");
  if (cx.lines.empty()) return Status::FailedPrecondition("segment " + sm + " has no lines: there is nothing to log");
  if (h.interaction_template.empty()) {
    return Status::FailedPrecondition("the lines of segment " + sm +
                                      " have no interaction template (segment set " + sm + " --template CODE)");
  }
  auto t = cx.catalog->templates.find(h.interaction_template);
  if (t == cx.catalog->templates.end()) {
    return Status::NotFound("interaction template " + h.interaction_template + " does not exist");
  }
  if (c.send) {
    if (h.flow == fb::InformationFlow::Inbound) {
      return Status::FailedPrecondition("nothing to send: the interactions of segment " + sm + " are inbound (template " +
                                        h.interaction_template + ")");
    }
    const bool email = std::any_of(cx.lines.begin(), cx.lines.end(),
                                   [](const auto& l) { return l.second.correspondence == fb::Correspondence::Email; });
    if (email && !cx.catalog->mail.configured()) {
      return Status::FailedPrecondition("mail is not configured: crmctl mail set --smtp smtp://HOST:PORT --from ADDRESS");
    }
    if (c.delivery_token.empty()) return Status::FailedPrecondition("sending needs a delivery token");
  }
  const StreamId stream = LoggedStream(c.logged);
  const RecordNo first(RecordKind::kInteraction, c.first_entry);
  const RecordNo last(RecordKind::kInteraction, c.first_entry + cx.lines.size() - 1);
  const Timestamp at = EntryTime(h.date, c.ctx.now);
  Events out;

  fb::SegmentLoggedT logged;
  logged.no = sm;
  logged.logged_segment = c.logged.ToString();
  logged.follow_up = c.follow_up.valid() ? c.follow_up.ToString() : "";
  out.push_back(MakeEvent(c.segment.Stream(), std::move(logged)));

  fb::LoggedSegmentCreatedT created;
  created.no = c.logged.ToString();
  created.segment = sm;
  created.description = h.description;
  created.campaign = h.campaign;
  created.interaction_template = h.interaction_template;
  created.date = h.date;
  for (const auto& step : h.steps) {
    if (step.number <= h.active) {
      created.steps.push_back(catalog::SavedStepTable({step.kind, step.criteria, step.options, step.filter}));
    }
  }
  created.lines = cx.lines.size();
  created.first_entry = first.ToString();
  created.last_entry = last.ToString();
  created.send = c.send;
  created.delivery_token = c.send ? c.delivery_token : "";
  out.push_back(MakeEvent(stream, std::move(created)));

  uint64_t counter = c.first_entry;
  for (const auto& [contact, line] : cx.lines) {
    fb::InteractionLoggedT e;
    e.entry = RecordNo(RecordKind::kInteraction, counter++).ToString();
    e.contact = contact.ToString();
    if (auto co = cx.companies.find(contact); co != cx.companies.end()) e.company = co->second.ToString();
    e.at = at.value();
    e.interaction_template = h.interaction_template;
    e.description = line.description;
    e.subject = line.subject;
    e.correspondence = line.correspondence;
    e.language = line.language;
    if (!h.attachment_sha256.empty()) {
      e.attachment_name = h.attachment_name;
      e.attachment_sha256 = h.attachment_sha256;
    } else if (const catalog::Attachment* a = t->second.AttachmentFor(line.language)) {
      e.attachment_name = a->file_name;
      e.attachment_sha256 = a->sha256;
    }
    e.cost = h.unit_cost.value();
    e.duration = h.unit_duration;
    e.information_flow = h.flow;
    e.initiated_by = h.initiated_by;
    e.campaign = h.campaign;
    e.campaign_target = !h.campaign.empty() && line.campaign_target;
    e.campaign_response = !h.campaign.empty() && h.campaign_response;
    e.logged_segment = c.logged.ToString();
    e.salesperson = h.salesperson;
    e.evaluation = line.evaluation;
    e.delivery_requested = c.send;
    out.push_back(MakeEvent(stream, std::move(e)));
  }

  if (!h.campaign.empty()) {
    fb::CampaignEntryLoggedT e;
    e.entry = c.campaign_entry.ToString();
    e.campaign = h.campaign;
    e.logged_segment = c.logged.ToString();
    e.description = h.description;
    e.date = h.date;
    e.interaction_template = h.interaction_template;
    e.cost = h.unit_cost.value() * static_cast<int64_t>(cx.lines.size());
    e.duration = h.unit_duration * static_cast<int32_t>(cx.lines.size());
    e.interactions = cx.lines.size();
    out.push_back(MakeEvent(stream, std::move(e)));
  }
  return out;
}

namespace {

std::string What(const RecordNo& no) { return std::string(RecordNoun(no.kind())) + " " + no.ToString(); }

}  // namespace

Result<Events> DecideManual(const ManualContext& cx, const ManualInteraction& c) {
  if (c.contact.kind() != RecordKind::kContact)
    return Status::FailedPrecondition(c.contact.ToString() + " is not a contact");
  if (!cx.contact_exists) return Status::NotFound("contact " + c.contact.ToString() + " does not exist");
  if (c.campaign.valid() && !cx.campaign_exists) {
    return Status::NotFound("campaign " + c.campaign.ToString() + " does not exist");
  }
  const std::string code = Upper(Trim(c.interaction_template));
  auto t = cx.catalog->templates.find(code);
  if (t == cx.catalog->templates.end()) return Status::NotFound("interaction template " + code + " does not exist");
  if ((c.campaign_target || c.campaign_response) && !c.campaign.valid()) {
    return Status::FailedPrecondition("campaign target and campaign response need a campaign (--campaign CP)");
  }
  const catalog::TemplateDef& d = t->second;
  fb::InteractionLoggedT e;
  e.entry = c.entry.ToString();
  e.contact = c.contact.ToString();
  if (c.company.valid()) e.company = c.company.ToString();
  Timestamp at = c.ctx.now;
  if (c.date) {
    CRM_ASSIGN_OR_RETURN(Date day, RefuseUnparsed(ParseDate(*c.date)));
    at = EntryTime(FormatDate(day), c.ctx.now);
  }
  e.at = at.value();
  e.interaction_template = code;
  CRM_ASSIGN_OR_RETURN(e.description, CheckText(c.description.value_or(d.description), "description", 100, false));
  CRM_ASSIGN_OR_RETURN(e.subject, CheckText(c.subject.value_or(""), "subject", 200, false));
  e.correspondence = c.correspondence.value_or(d.correspondence);
  const std::string language = Trim(c.language.value_or(d.language));
  if (!language.empty()) {
    CRM_ASSIGN_OR_RETURN(e.language, NormalizeCode(language, "language code"));
  }
  if (const catalog::Attachment* a = d.AttachmentFor(e.language)) {
    e.attachment_name = a->file_name;
    e.attachment_sha256 = a->sha256;
  }
  const Money cost = c.cost.value_or(d.unit_cost);
  if (cost.value() < 0) return Status::FailedPrecondition("cost must not be negative");
  e.cost = cost.value();
  e.duration = c.duration.value_or(d.unit_duration);
  if (e.duration < 0) return Status::FailedPrecondition("duration must not be negative");
  e.information_flow = d.flow;
  e.initiated_by = d.initiated_by;
  if (c.campaign.valid()) e.campaign = c.campaign.ToString();
  e.campaign_target = c.campaign_target;
  e.campaign_response = c.campaign_response || (d.campaign_response && c.campaign.valid());
  if (c.evaluation) {
    CRM_ASSIGN_OR_RETURN(e.evaluation, segment::ParseEvaluation(*c.evaluation));
  }
  return Events{MakeEvent(c.entry.Stream(), std::move(e))};
}

Result<Events> DecideCancel(const Entry& e, const Cancel& c) {
  if (!e.exists) return Status::NotFound(What(e.no) + " does not exist");
  if (e.canceled != c.undo) return Events{};  // already as asked
  if (e.no.kind() == RecordKind::kLoggedSegment) {
    fb::LoggedSegmentCanceledT ev;
    ev.no = e.no.ToString();
    ev.undo = c.undo;
    return Events{MakeEvent(LoggedStream(e.no), std::move(ev))};
  }
  fb::EntryCanceledT ev;
  ev.entry = e.no.ToString();
  ev.logged_segment = e.logged_segment.valid() ? e.logged_segment.ToString() : "";
  ev.undo = c.undo;
  return Events{MakeEvent(EntryStream(e), std::move(ev))};
}

Result<Events> DecideDelete(const Entry& e, const CommandContext&) {
  if (!e.exists) return Events{};  // deleted already (or never there): nothing to hide
  if (!e.canceled) return Status::FailedPrecondition(What(e.no) + " is not canceled: cancel it first");
  fb::EntryDeletedT ev;
  ev.entry = e.no.ToString();
  ev.logged_segment = e.logged_segment.valid() ? e.logged_segment.ToString() : "";
  return Events{MakeEvent(EntryStream(e), std::move(ev))};
}

}  // namespace crm::logging
