// The handler's segment commands (SPEC 4.5): creating a segment, and every command on one,
// whose criteria are turned here into the contacts they select. See handler.h.
#include <algorithm>
#include <set>

#include "app/handler.h"
#include "app/handler_internal.h"

namespace crm {

using namespace handler_internal;  // NOLINT: this file implements the handler
using nlohmann::json;

Result<segment::Context> Handler::SegmentContext(ReadModel& rm, const RecordNo& no, const reference::State* ref,
                                                 const catalog::State* catalog) {
  segment::Context cx;
  cx.reference = ref;
  cx.catalog = catalog;
  CRM_ASSIGN_OR_RETURN(auto header, rm.Segment(no));
  if (!header) return Status::NotFound("segment " + no.ToString() + " does not exist");
  cx.header = std::move(*header);
  CRM_RETURN_IF_ERROR(rm.ForEachSegmentLine(no, [&](const RecordNo& id, const segment::Line& line) {
    cx.lines.emplace_hint(cx.lines.end(), id, line);
    return true;
  }));
  return cx;
}

namespace {

segment::ContactFacts FactsOf(const PartyState& party) {
  segment::ContactFacts f;
  if (const auto* c = std::get_if<contact::ContactState>(&party)) {
    f.company = c->type == fb::ContactType::Company;
    f.excluded = c->exclude_from_segment || c->opted_out();
    if (auto company = RecordNo::Parse(c->company, RecordKind::kContact); company.ok()) f.company_of = *company;
  } else {
    f.excluded = std::get<contact::LeadState>(party).opted_out();
  }
  return f;
}

// The answer of a step: what it changed and how many lines the segment has after it.
json StepAnswer(const segment::Context& cx, const Events& events) {
  uint64_t added = 0, fresh = 0, removed = 0;
  uint32_t step = 0;
  std::string kind;
  for (const auto& e : events) {
    const auto* s = e.payload.AsSegmentStepTaken();
    if (s == nullptr) continue;
    step = s->step;
    kind = std::string(segment::StepKindName(s->kind));
    removed += s->removed.size();
    for (const auto& id : s->added) {
      ++added;
      if (auto no = RecordNo::Parse(id); no.ok() && !cx.lines.contains(*no)) ++fresh;
    }
  }
  return {{"segment", cx.header.no.ToString()}, {"step", step},     {"kind", kind},
          {"added", added},                     {"removed", removed}, {"lines", cx.header.lines + fresh - removed}};
}

// Lines after step `n` is in effect (0 before the first).
uint64_t LinesAfter(const segment::Header& h, uint32_t n) {
  for (const auto& s : h.steps) {
    if (s.number == n) return s.lines_after;
  }
  return 0;
}

// Whether criteria test past interactions (each contact's interactions are then read).
bool UsesInteractions(const Filter& f) {
  for (const char* field : {"interaction_template", "interaction_campaign", "interaction_date", "interaction_segment"}) {
    if (f.Uses(field)) return true;
  }
  return false;
}

bool HasOption(const std::string& options, std::string_view name) {
  std::string_view rest(options);
  while (!rest.empty()) {
    const size_t space = rest.find(' ');
    if (rest.substr(0, space) == name) return true;
    if (space == std::string_view::npos) break;
    rest.remove_prefix(space + 1);
  }
  return false;
}

// add-contacts: the contacts matching the filter, with what the decision needs to know of them
// and of their companies or persons.
Result<Events> AddContactsStep(ReadModel& rm, const CommandContext& ctx, const SegmentAddContacts& c,
                               segment::Context* cx, json* answer) {
  CRM_ASSIGN_OR_RETURN(Filter f, rm.ParseFilter(c.filter, SegmentSchema()));
  const bool past = UsesInteractions(f);
  segment::AddContacts step{ctx,  c.no, {}, f.Canonical(), f.CanonicalArgs(), c.allow_existing, c.expand_companies,
                            c.include_companies, c.ignore_exclusion};
  std::set<RecordNo> excluded;
  std::vector<std::pair<RecordNo, RecordNo>> person_company;  // for --expand-companies
  std::map<RecordNo, segment::ContactFacts> matched;
  Status bad;
  CRM_RETURN_IF_ERROR(rm.ForEachPartyState(true, false, [&](const RecordNo& id, const PartyState& party) {
    const segment::ContactFacts facts = FactsOf(party);
    if (facts.excluded) excluded.insert(id);
    if (c.expand_companies && facts.company_of.valid()) person_company.emplace_back(id, facts.company_of);
    bool match;
    if (past) {
      auto full = rm.WithInteractions(id, PartyToJson(party));
      if (!full.ok()) {
        bad = full.status();
        return false;
      }
      match = f.Matches(JsonRecord(&*full, &SegmentSchema()));
    } else {
      match = f.Matches(PartyRecord(&party, &SegmentSchema()));
    }
    if (HiddenByDeletion(party, f)) match = false;
    if (match) {
      matched.emplace(id, facts);
      step.matched.push_back(id);
    }
    return true;
  }));
  CRM_RETURN_IF_ERROR(bad);
  for (const auto& [person, company] : person_company) {
    if (auto it = matched.find(company); it != matched.end()) it->second.persons.push_back(person);
  }
  for (auto& [id, facts] : matched) {
    for (const RecordNo& p : facts.persons) cx->contacts[p].excluded = excluded.contains(p);
    if (facts.company_of.valid()) cx->contacts[facts.company_of].excluded = excluded.contains(facts.company_of);
  }
  for (auto& [id, facts] : matched) cx->contacts[id] = std::move(facts);
  CRM_ASSIGN_OR_RETURN(Events events, segment::DecideAddContacts(*cx, step));
  *answer = StepAnswer(*cx, events);
  (*answer)["criteria"] = step.criteria;
  (*answer)["matched"] = step.matched.size();
  return events;
}

// reduce / refine: which of the segment's contacts match the filter.
Result<Events> NarrowStep(ReadModel& rm, const CommandContext& ctx, const SegmentNarrow& c, segment::Context* cx,
                          json* answer) {
  CRM_ASSIGN_OR_RETURN(Filter f, rm.ParseFilter(c.filter, SegmentSchema()));
  const bool past = UsesInteractions(f);
  segment::Narrow step{ctx, c.no, c.kind, {}, f.Canonical(), f.CanonicalArgs()};
  for (const auto& [id, line] : cx->lines) {
    CRM_ASSIGN_OR_RETURN(std::optional<PartyState> party, rm.Party(id));
    bool match;
    if (past) {
      CRM_ASSIGN_OR_RETURN(nlohmann::json contact,
                           rm.WithInteractions(id, party ? PartyToJson(*party) : nlohmann::json::object()));
      match = f.Matches(JsonRecord(&contact, &SegmentSchema()));
    } else {
      match = f.Matches(PartyRecord(party ? &*party : nullptr, &SegmentSchema()));
    }
    if (party && HiddenByDeletion(*party, f)) match = false;
    if (match) step.matched.insert(id);
  }
  CRM_ASSIGN_OR_RETURN(Events events, segment::DecideNarrow(*cx, step));
  *answer = StepAnswer(*cx, events);
  (*answer)["criteria"] = step.criteria;
  return events;
}

Result<Events> AddLinesStep(ReadModel& rm, const segment::AddLines& c, segment::Context* cx) {
  for (const RecordNo& id : c.ids) {
    if (id.kind() != RecordKind::kContact) continue;  // refused by the decision
    CRM_ASSIGN_OR_RETURN(std::optional<PartyState> party, rm.Party(id));
    if (party) cx->contacts[id] = FactsOf(*party);
  }
  return segment::DecideAddLines(*cx, c);
}

// reuse-segment: the contacts of a logged segment's interaction entries.
Result<Events> ReuseSegmentStep(ReadModel& rm, const CommandContext& ctx, const SegmentReuseSegment& c,
                                segment::Context* cx, json* answer) {
  segment::AddContacts step{ctx, c.no, {}, c.logged.ToString(), {}, false, false, false, c.ignore_exclusion,
                            fb::SegmentStepKind::ReuseSegment, true};
  CRM_ASSIGN_OR_RETURN(auto logged, rm.LoggedSegment(c.logged));
  step.source_found = logged.has_value();
  ReadModel::InteractionQuery q;
  q.logged_segment = c.logged;
  std::set<RecordNo> contacts;
  CRM_RETURN_IF_ERROR(rm.ForEachInteraction(q, [&](const InteractionRow& e) {
    contacts.insert(e.contact);
    return true;
  }));
  for (const RecordNo& id : contacts) {
    CRM_ASSIGN_OR_RETURN(std::optional<PartyState> party, rm.Party(id));
    if (!party) continue;  // no such contact any more
    cx->contacts[id] = FactsOf(*party);
    step.matched.push_back(id);
  }
  CRM_ASSIGN_OR_RETURN(Events events, segment::DecideAddContacts(*cx, step));
  *answer = StepAnswer(*cx, events);
  (*answer)["criteria"] = step.criteria;
  (*answer)["matched"] = step.matched.size();
  return events;
}

Result<std::vector<RecordNo>> IdsOf(const std::string& text) {
  std::vector<RecordNo> ids;
  std::string_view rest(text);
  while (!rest.empty()) {
    const size_t space = rest.find(' ');
    CRM_ASSIGN_OR_RETURN(RecordNo id, RecordNo::Parse(rest.substr(0, space)));
    ids.push_back(id);
    if (space == std::string_view::npos) break;
    rest.remove_prefix(space + 1);
  }
  return ids;
}

// One saved step run again on `cx`'s segment.
Result<Events> RunSavedStep(ReadModel& rm, const CommandContext& ctx, const catalog::SavedStep& step,
                            segment::Context* cx, json* answer) {
  const RecordNo no = cx->header.no;
  switch (step.kind) {
    case fb::SegmentStepKind::AddContacts:
      return AddContactsStep(rm, ctx,
                             SegmentAddContacts{no, step.filter, HasOption(step.options, "allow-existing"),
                                                HasOption(step.options, "expand-companies"),
                                                HasOption(step.options, "include-companies"),
                                                HasOption(step.options, "ignore-exclusion")},
                             cx, answer);
    case fb::SegmentStepKind::Reduce:
    case fb::SegmentStepKind::Refine:
      return NarrowStep(rm, ctx, SegmentNarrow{no, step.kind, step.filter}, cx, answer);
    case fb::SegmentStepKind::AddLines: {
      CRM_ASSIGN_OR_RETURN(auto ids, IdsOf(step.criteria));
      CRM_ASSIGN_OR_RETURN(Events events,
                           AddLinesStep(rm, segment::AddLines{ctx, no, ids, HasOption(step.options, "ignore-exclusion")}, cx));
      *answer = StepAnswer(*cx, events);
      return events;
    }
    case fb::SegmentStepKind::RemoveLines: {
      CRM_ASSIGN_OR_RETURN(auto ids, IdsOf(step.criteria));
      CRM_ASSIGN_OR_RETURN(Events events, segment::DecideRemoveLines(*cx, segment::RemoveLines{ctx, no, ids}));
      *answer = StepAnswer(*cx, events);
      return events;
    }
    case fb::SegmentStepKind::ReuseSegment: {
      CRM_ASSIGN_OR_RETURN(RecordNo logged, RecordNo::Parse(step.criteria, RecordKind::kLoggedSegment));
      return ReuseSegmentStep(rm, ctx, SegmentReuseSegment{no, logged, HasOption(step.options, "ignore-exclusion")}, cx,
                              answer);
    }
    case fb::SegmentStepKind::ReuseCriteria:
      break;
  }
  return Status::Corruption("saved criteria hold a step of kind " + std::string(segment::StepKindName(step.kind)));
}

}  // namespace

Result<json> Handler::CreateSegment(const Request& r, const std::string& description) {
  return Run(r, StreamId(), [&](ReadModel& rm, AppendBatch* batch) -> Result<json> {
    CRM_ASSIGN_OR_RETURN(reference::State ref, InitializedReference(rm));
    CRM_ASSIGN_OR_RETURN(RecordNo no, NextNumber(RecordKind::kSegment, batch));
    segment::Context cx;
    cx.reference = &ref;
    CRM_ASSIGN_OR_RETURN(Events events, segment::DecideCreate(cx, segment::Create{Ctx(r), no, description}));
    batch->events = std::move(events);
    return json{{"no", no.ToString()}, {"description", Trim(description)}};
  });
}

Result<json> Handler::Segment(const Request& r, SegmentCommand command) {
  const RecordNo no = std::visit([](const auto& c) { return c.no; }, command);
  return Run(r, no.Stream(), [&](ReadModel& rm, AppendBatch* batch) -> Result<json> {
    CRM_ASSIGN_OR_RETURN(reference::State ref, InitializedReference(rm));
    CRM_ASSIGN_OR_RETURN(catalog::State catalog, rm.Catalog());
    CRM_ASSIGN_OR_RETURN(segment::Context cx, SegmentContext(rm, no, &ref, &catalog));
    Events events;
    json answer;
    if (auto* c = std::get_if<segment::SetHeader>(&command)) {
      c->ctx = Ctx(r);
      if (c->campaign && !Trim(*c->campaign).empty()) {
        CRM_ASSIGN_OR_RETURN(RecordNo cp, RefuseUnparsed(RecordNo::Parse(Trim(*c->campaign), RecordKind::kCampaign)));
        CRM_ASSIGN_OR_RETURN(auto exists, rm.Campaign(cp));
        if (exists) cx.campaigns.insert(cp.ToString());
      }
      CRM_ASSIGN_OR_RETURN(events, segment::DecideSetHeader(cx, *c));
      const auto* e = events.empty() ? nullptr : events.front().payload.AsSegmentHeaderChanged();
      answer = {{"segment", no.ToString()}, {"changed", e != nullptr}, {"lines_updated", e ? e->lines_updated.size() : 0}};
    } else if (auto* c = std::get_if<SegmentAddContacts>(&command)) {
      CRM_ASSIGN_OR_RETURN(events, AddContactsStep(rm, Ctx(r), *c, &cx, &answer));
    } else if (auto* c = std::get_if<SegmentReuseSegment>(&command)) {
      CRM_ASSIGN_OR_RETURN(events, ReuseSegmentStep(rm, Ctx(r), *c, &cx, &answer));
    } else if (auto* c = std::get_if<SegmentNarrow>(&command)) {
      CRM_ASSIGN_OR_RETURN(events, NarrowStep(rm, Ctx(r), *c, &cx, &answer));
    } else if (auto* c = std::get_if<segment::AddLines>(&command)) {
      c->ctx = Ctx(r);
      CRM_ASSIGN_OR_RETURN(events, AddLinesStep(rm, *c, &cx));
      answer = StepAnswer(cx, events);
    } else if (auto* c = std::get_if<segment::RemoveLines>(&command)) {
      c->ctx = Ctx(r);
      CRM_ASSIGN_OR_RETURN(events, segment::DecideRemoveLines(cx, *c));
      answer = StepAnswer(cx, events);
    } else if (auto* c = std::get_if<segment::GoBack>(&command)) {
      c->ctx = Ctx(r);
      CRM_ASSIGN_OR_RETURN(events, segment::DecideGoBack(cx, *c));
      answer = {{"segment", no.ToString()}, {"undone_step", cx.header.active},
                {"lines", LinesAfter(cx.header, cx.header.active - 1)}};
    } else if (auto* c = std::get_if<segment::Redo>(&command)) {
      c->ctx = Ctx(r);
      CRM_ASSIGN_OR_RETURN(events, segment::DecideRedo(cx, *c));
      answer = {{"segment", no.ToString()}, {"redone_step", cx.header.active + 1},
                {"lines", LinesAfter(cx.header, cx.header.active + 1)}};
    } else if (auto* c = std::get_if<segment::DeleteSegment>(&command)) {
      c->ctx = Ctx(r);
      CRM_ASSIGN_OR_RETURN(events, segment::DecideDelete(cx, *c));
      answer = {{"no", no.ToString()}, {"deleted", !c->restore}, {"changed", !events.empty()}};
    } else if (auto* c = std::get_if<segment::SetLine>(&command)) {
      c->ctx = Ctx(r);
      CRM_ASSIGN_OR_RETURN(events, segment::DecideSetLine(cx, *c));
      answer = {{"segment", no.ToString()}, {"contact", c->contact.ToString()}, {"changed", !events.empty()}};
    } else if (auto* c = std::get_if<SegmentSaveCriteria>(&command)) {
      catalog::SaveCriteria save{c->code, c->description, no.ToString(), {}};
      for (const auto& step : cx.header.steps) {
        if (step.number <= cx.header.active) save.steps.push_back({step.kind, step.criteria, step.options, step.filter});
      }
      CRM_ASSIGN_OR_RETURN(events, catalog::Decide(ref, catalog, save));
      answer = {{"segment", no.ToString()}, {"code", Upper(Trim(c->code))}, {"steps", save.steps.size()},
                {"changed", !events.empty()}};
    } else if (auto* c = std::get_if<SegmentReuseCriteria>(&command)) {
      CRM_ASSIGN_OR_RETURN(const catalog::SavedCriteria* saved, catalog::FindCriteria(catalog, c->code));
      json steps = json::array();
      for (const catalog::SavedStep& step : saved->steps) {
        Events more;
        json one;
        CRM_ASSIGN_OR_RETURN(more, RunSavedStep(rm, Ctx(r), step, &cx, &one));
        segment::Advance(&cx, more);
        steps.push_back(std::move(one));
        for (auto& e : more) events.push_back(std::move(e));
      }
      answer = {{"segment", no.ToString()}, {"criteria", saved->code}, {"steps", steps}, {"lines", cx.header.lines}};
    }
    batch->events = std::move(events);
    return answer;
  });
}

}  // namespace crm
