// The handler's logging commands (SPEC 4.6): logging a segment, one interaction by hand, and
// canceling or deleting logged segments and entries. See handler.h.
#include "app/handler.h"

#include <map>
#include <set>

#include "app/handler_internal.h"
#include "projections/interaction_rows.h"

namespace crm {

using namespace handler_internal;  // NOLINT: this file implements the handler
using nlohmann::json;

Result<json> Handler::LogSegment(const Request& r, const RecordNo& no, const SegmentLogOptions& o) {
  const bool follow_up = o.follow_up;
  const std::string& member_status = o.member_status;
  return Run(r, no.Stream(), [&](ReadModel& rm, AppendBatch* batch) -> Result<json> {
    CRM_ASSIGN_OR_RETURN(reference::State ref, InitializedReference(rm));
    CRM_ASSIGN_OR_RETURN(catalog::State catalog, rm.Catalog());
    CRM_ASSIGN_OR_RETURN(segment::Context scx, SegmentContext(rm, no, &ref, &catalog));
    logging::Context cx{&ref, &catalog, scx.header, scx.lines, {}};
    for (const auto& [id, line] : cx.lines) {
      CRM_ASSIGN_OR_RETURN(std::optional<contact::ContactState> person, rm.Contact(id));
      if (!person) continue;
      if (auto company = RecordNo::Parse(person->company, RecordKind::kContact); company.ok()) {
        cx.companies[id] = *company;
      }
    }
    const segment::Header& h = cx.header;
    logging::LogSegment c;
    c.ctx = Ctx(r);
    c.segment = no;
    // Numbers move only with the batch: a refused decision leaves every series as it was.
    CRM_ASSIGN_OR_RETURN(c.logged, NextNumber(RecordKind::kLoggedSegment, batch));
    CRM_ASSIGN_OR_RETURN(c.first_entry, NextNumbers(RecordKind::kInteraction, cx.lines.size(), batch));
    if (!h.campaign.empty()) {
      CRM_ASSIGN_OR_RETURN(c.campaign_entry, NextNumber(RecordKind::kCampaignEntry, batch));
    }
    if (follow_up) {
      CRM_ASSIGN_OR_RETURN(c.follow_up, NextNumber(RecordKind::kSegment, batch));
    }
    c.send = o.send;
    // Message-IDs must be dot-atoms: the token is a digest of the command id, not the id itself.
    if (o.send) c.delivery_token = catalog::Sha256Hex(r.command_id.value()).substr(0, 24);
    CRM_ASSIGN_OR_RETURN(Events events, logging::DecideLog(cx, c));
    json answer{{"segment", no.ToString()},
                {"logged_segment", c.logged.ToString()},
                {"interactions", cx.lines.size()},
                {"first_entry", RecordNo(RecordKind::kInteraction, c.first_entry).ToString()},
                {"send", o.send}};

    // The roster: campaign-target lines become members, campaign-response lines responded.
    uint64_t added = 0, responded = 0;
    if (!h.campaign.empty()) {
      answer["campaign_entry"] = c.campaign_entry.ToString();
      CRM_ASSIGN_OR_RETURN(RecordNo cp_no, RecordNo::Parse(h.campaign, RecordKind::kCampaign));
      CRM_ASSIGN_OR_RETURN(campaign::State cp, LiveCampaign(rm, cp_no));
      const std::string criteria = "logged segment " + c.logged.ToString();
      std::vector<RecordNo> targets, responses;
      for (const auto& [id, line] : cx.lines) {
        if (h.campaign_response) {
          responses.push_back(id);
        } else if (line.campaign_target) {
          targets.push_back(id);
        }
      }
      if (!targets.empty()) {
        CRM_ASSIGN_OR_RETURN(membership::Context mcx, MemberContext(rm, ref, cp, targets, true));
        CRM_ASSIGN_OR_RETURN(Events adds, membership::DecideAdd(mcx, membership::AddMembers{Ctx(r), cp_no, targets, member_status,
                                                                                          fb::MemberHow::SegmentLog, criteria, {}}));
        added = adds.size();
        for (auto& e : adds) events.push_back(std::move(e));
      }
      if (!responses.empty()) {
        CRM_ASSIGN_OR_RETURN(Events moves, Respond(rm, ref, cp, responses, Ctx(r), criteria));
        responded = responses.size();
        for (auto& e : moves) events.push_back(std::move(e));
      }
    }
    answer["members_added"] = added;
    answer["responses"] = responded;

    // The follow-up: a new segment with the same campaign and contacts.
    if (follow_up) {
      segment::Context fcx;
      fcx.reference = &ref;
      fcx.catalog = &catalog;
      if (!h.campaign.empty()) fcx.campaigns.insert(h.campaign);
      CRM_ASSIGN_OR_RETURN(Events created, segment::DecideCreate(fcx, segment::Create{Ctx(r), c.follow_up,
                                                                                     "Follow-up on segment " + no.ToString()}));
      segment::Advance(&fcx, created);
      Events more = std::move(created);
      if (!h.campaign.empty()) {
        segment::SetHeader set;
        set.ctx = Ctx(r);
        set.no = c.follow_up;
        set.campaign = h.campaign;
        CRM_ASSIGN_OR_RETURN(Events header, segment::DecideSetHeader(fcx, set));
        segment::Advance(&fcx, header);
        for (auto& e : header) more.push_back(std::move(e));
      }
      std::vector<RecordNo> ids;
      for (const auto& [id, line] : cx.lines) {
        ids.push_back(id);
        fcx.contacts[id] = segment::ContactFacts{};
      }
      CRM_ASSIGN_OR_RETURN(Events lines, segment::DecideAddLines(fcx, segment::AddLines{Ctx(r), c.follow_up, ids, true}));
      for (auto& e : lines) more.push_back(std::move(e));
      for (auto& e : more) events.push_back(std::move(e));
      answer["follow_up"] = c.follow_up.ToString();
    }
    batch->events = std::move(events);
    return answer;
  });
}

namespace {

Result<logging::Entry> LoadEntry(ReadModel& rm, const RecordNo& no) {
  logging::Entry e;
  e.no = no;
  if (no.kind() == RecordKind::kLoggedSegment) {
    CRM_ASSIGN_OR_RETURN(auto row, rm.LoggedSegment(no));
    e.exists = row.has_value();
    e.logged_segment = no;
    e.canceled = row && row->canceled;
    return e;
  }
  // An interaction or campaign entry: canceled by itself (not with its logged segment).
  auto take = [&](const auto& row) {
    e.exists = row.has_value();
    if (row) e.logged_segment = row->logged_segment;
    e.canceled = row && row->cancel.self.value_or(false);
  };
  if (no.kind() == RecordKind::kInteraction) {
    CRM_ASSIGN_OR_RETURN(auto row, rm.Interaction(no));
    take(row);
  } else {
    CRM_ASSIGN_OR_RETURN(auto row, rm.CampaignEntry(no));
    take(row);
  }
  return e;
}

// The stream a command on `no` appends to: its logged segment's, found in the read models.
Result<StreamId> EntryStream(Store* store, const RecordNo& no) {
  Store::Txn txn(store);
  ReadModel rm(store, &txn);
  CRM_ASSIGN_OR_RETURN(logging::Entry e, LoadEntry(rm, no));
  return e.exists ? logging::EntryStream(e) : StreamId();
}

}  // namespace

Result<json> Handler::CancelEntry(const Request& r, const RecordNo& no, bool undo) {
  CRM_ASSIGN_OR_RETURN(StreamId stream, EntryStream(store_.get(), no));
  return Run(r, stream, [&](ReadModel& rm, AppendBatch* batch) -> Result<json> {
    CRM_ASSIGN_OR_RETURN(logging::Entry e, LoadEntry(rm, no));
    CRM_ASSIGN_OR_RETURN(batch->events, logging::DecideCancel(e, logging::Cancel{Ctx(r), undo}));
    json answer{{"entry", no.ToString()}, {"canceled", !undo}, {"changed", !batch->events.empty()}};
    if (batch->events.empty()) return answer;
    CRM_ASSIGN_OR_RETURN(Events members, TakeBackResponses(rm, no, undo, Ctx(r)));
    if (!members.empty()) answer["members_changed"] = members.size();
    for (auto& ev : members) batch->events.push_back(std::move(ev));
    return answer;
  });
}

Result<Events> Handler::TakeBackResponses(ReadModel& rm, const RecordNo& no, bool undo, const CommandContext& ctx) {
  if (no.kind() != RecordKind::kLoggedSegment && no.kind() != RecordKind::kInteraction) return Events{};
  std::vector<membership::ResponseEntry> entries;
  auto take = [&](const InteractionRow& row) {
    if (!row.campaign_response || !row.campaign.valid()) return;
    membership::ResponseEntry e;
    e.campaign_response = true;
    e.campaign = row.campaign;
    e.contact = row.contact;
    e.entry = row.entry;
    e.logged_segment = row.logged_segment;
    e.canceled_self = row.cancel.self.value_or(false);
    e.canceled_with_segment = row.cancel.with_segment.value_or(false);
    entries.push_back(std::move(e));
  };
  if (no.kind() == RecordKind::kInteraction) {
    CRM_ASSIGN_OR_RETURN(auto row, rm.Interaction(no));
    if (row) take(*row);
  } else {
    CRM_RETURN_IF_ERROR(rm.ForEachInteraction(ReadModel::InteractionQuery{{}, {}, no}, [&](const InteractionRow& row) {
      take(row);
      return true;
    }));
  }
  std::vector<membership::CampaignTakeBack> plans = membership::PlanTakeBacks(no, undo, entries, ctx);
  if (plans.empty()) return Events{};
  CRM_ASSIGN_OR_RETURN(reference::State ref, rm.Reference());
  Events out;
  for (membership::CampaignTakeBack& plan : plans) {
    membership::TakeBack& c = plan.command;
    CRM_ASSIGN_OR_RETURN(campaign::State cp, ExistingCampaign(rm, c.campaign));
    CRM_ASSIGN_OR_RETURN(membership::Context mcx, MemberContext(rm, ref, cp, plan.members, false));
    std::vector<std::string> records;  // each member's last membership change
    records.reserve(plan.members.size());
    for (const RecordNo& id : plan.members) {
      CRM_ASSIGN_OR_RETURN(std::vector<uint64_t> history, rm.MemberHistory(c.campaign, id));
      if (history.empty()) continue;
      CRM_ASSIGN_OR_RETURN(std::string record, replica_->ReadOne(LedgerSeq(history.back())));
      records.push_back(std::move(record));
      CRM_ASSIGN_OR_RETURN(c.last[id], DecodeEnvelope(records.back()));
    }
    CRM_ASSIGN_OR_RETURN(Events events, membership::DecideTakeBack(mcx, c));
    for (auto& ev : events) out.push_back(std::move(ev));
  }
  return out;
}

Result<json> Handler::DeleteEntry(const Request& r, const RecordNo& no) {
  CRM_ASSIGN_OR_RETURN(StreamId stream, EntryStream(store_.get(), no));
  return Run(r, stream, [&](ReadModel& rm, AppendBatch* batch) -> Result<json> {
    CRM_ASSIGN_OR_RETURN(logging::Entry e, LoadEntry(rm, no));
    CRM_ASSIGN_OR_RETURN(batch->events, logging::DecideDelete(e, Ctx(r)));
    return json{{"entry", no.ToString()}, {"deleted", true}, {"changed", !batch->events.empty()}};
  });
}

Result<Events> Handler::Respond(ReadModel& rm, const reference::State& ref, const campaign::State& cp,
                                const std::vector<RecordNo>& ids, const CommandContext& ctx,
                                const std::string& criteria) {
  const reference::MemberStatusDef* status = ref.FirstRespondedStatus();
  if (status == nullptr) return Status::FailedPrecondition("no member status counts as responded");
  CRM_ASSIGN_OR_RETURN(membership::Context mcx, MemberContext(rm, ref, cp, ids, true));
  std::vector<RecordNo> members, others;
  for (const RecordNo& id : ids) (mcx.current.contains(id) ? members : others).push_back(id);
  CRM_ASSIGN_OR_RETURN(
      Events events, membership::DecideUpdateStatus(mcx, membership::UpdateStatus{ctx, cp.no, members, status->name,
                                                                                  fb::MemberHow::Response, criteria, {}}));
  CRM_ASSIGN_OR_RETURN(Events adds,
                       membership::DecideAdd(mcx, membership::AddMembers{ctx, cp.no, others, status->name,
                                                                         fb::MemberHow::Response, criteria, {}}));
  for (auto& e : adds) events.push_back(std::move(e));
  return events;
}

Result<json> Handler::LogInteraction(const Request& r, logging::ManualInteraction c) {
  return Run(r, StreamId(), [&](ReadModel& rm, AppendBatch* batch) -> Result<json> {
    CRM_ASSIGN_OR_RETURN(reference::State ref, InitializedReference(rm));
    CRM_ASSIGN_OR_RETURN(catalog::State catalog, rm.Catalog());
    logging::ManualContext cx{&catalog, false, false};
    if (c.contact.kind() == RecordKind::kContact) {
      CRM_ASSIGN_OR_RETURN(std::optional<contact::ContactState> person, rm.Contact(c.contact));
      cx.contact_exists = person.has_value();
      if (auto company = RecordNo::Parse(person ? person->company : "", RecordKind::kContact); company.ok()) {
        c.company = *company;
      }
    }
    if (c.campaign.valid()) {
      CRM_ASSIGN_OR_RETURN(auto campaign, rm.Campaign(c.campaign));
      cx.campaign_exists = campaign.has_value();
    }
    c.ctx = Ctx(r);
    CRM_ASSIGN_OR_RETURN(c.entry, NextNumber(RecordKind::kInteraction, batch));
    CRM_ASSIGN_OR_RETURN(batch->events, logging::DecideManual(cx, c));
    json answer{{"entry", c.entry.ToString()}, {"contact", c.contact.ToString()}};
    const auto* logged = batch->events.front().payload.AsInteractionLogged();
    if (logged != nullptr && logged->campaign_response) {
      // A response logged by hand counts as one logged with a segment: the member responded.
      CRM_ASSIGN_OR_RETURN(campaign::State cp, LiveCampaign(rm, c.campaign));
      CRM_ASSIGN_OR_RETURN(Events moves,
                           Respond(rm, ref, cp, {c.contact}, Ctx(r), "interaction " + c.entry.ToString()));
      answer["responses"] = moves.size();
      for (auto& e : moves) batch->events.push_back(std::move(e));
    }
    return answer;
  });
}
}  // namespace crm

namespace crm {

namespace {

Result<delivery::EntryState> LoadDelivery(ReadModel& rm, const RecordNo& no) {
  delivery::EntryState e;
  e.entry = no;
  if (no.kind() != RecordKind::kInteraction) return e;
  CRM_ASSIGN_OR_RETURN(auto row, rm.Interaction(no));
  return row ? row->delivery : e;  // DecodeInteraction fills its entry, logged segment and canceled
}

// One delivery command over entries of `logged`: `decide` per entry, events in one batch.
template <typename T>
Result<json> DeliveryCommand(ReadModel& rm, AppendBatch* batch, const RecordNo& logged, const std::vector<T>& items,
                             const std::function<Result<Events>(const delivery::EntryState&, const T&)>& decide,
                             json* answer) {
  for (const T& item : items) {
    CRM_ASSIGN_OR_RETURN(delivery::EntryState e, LoadDelivery(rm, item.entry));
    if (e.exists && e.logged_segment != logged) {
      return Status::FailedPrecondition("interaction entry " + item.entry.ToString() + " is not of logged segment " +
                                        logged.ToString());
    }
    CRM_ASSIGN_OR_RETURN(Events events, decide(e, item));
    for (auto& ev : events) batch->events.push_back(std::move(ev));
    if constexpr (std::is_same_v<T, delivery::Attempt>) (*answer)["attempts"][item.entry.ToString()] = e.attempts + 1;
  }
  return *answer;
}

}  // namespace

Result<json> Handler::StartDeliveries(const Request& r, const RecordNo& logged, const std::vector<delivery::Attempt>& a) {
  return Run(r, logged.Stream(), [&](ReadModel& rm, AppendBatch* batch) -> Result<json> {
    json answer{{"logged_segment", logged.ToString()}, {"attempts", json::object()}};
    return DeliveryCommand<delivery::Attempt>(rm, batch, logged, a, delivery::DecideAttempt, &answer);
  });
}

Result<json> Handler::FinishDeliveries(const Request& r, const RecordNo& logged, const std::vector<delivery::Outcome>& o) {
  return Run(r, logged.Stream(), [&](ReadModel& rm, AppendBatch* batch) -> Result<json> {
    json answer{{"logged_segment", logged.ToString()}, {"outcomes", o.size()}, {"bounced", 0}};
    CRM_RETURN_IF_ERROR(DeliveryCommand<delivery::Outcome>(rm, batch, logged, o, delivery::DecideOutcome, &answer).status());
    // A refused mailbox bounces the contact's address in the same command, so a crash cannot
    // keep the outcome and lose the bounce. A bounce that no longer applies (the address was
    // cleared meanwhile) is left out; the outcome stands.
    for (const delivery::Outcome& outcome : o) {
      if (outcome.delivered || !outcome.mailbox_refused) continue;
      CRM_ASSIGN_OR_RETURN(auto row, rm.Interaction(outcome.entry));
      if (!row) continue;
      const RecordNo contact_no = row->contact;
      if (contact_no.kind() != RecordKind::kContact) {
        return Status::Corruption("interaction entry " + outcome.entry.ToString() + " is not a contact's");
      }
      CRM_ASSIGN_OR_RETURN(auto state, rm.Contact(contact_no));
      contact::RecordConsent bounce;
      bounce.ctx = Ctx(r);
      bounce.no = contact_no;
      bounce.kind = fb::ConsentKind::Bounce;
      bounce.reason = Utf8Prefix(outcome.reason, 200);
      auto events = contact::DecideConsent(state.value_or(contact::ContactState{}), bounce);
      if (!events.ok() || events->empty()) continue;
      for (auto& e : *events) batch->events.push_back(std::move(e));
      answer["bounced"] = answer["bounced"].get<int>() + 1;
    }
    return answer;
  });
}

}  // namespace crm
