#include "aggregates/handler.h"

#include <set>

#include "projections/rows.h"

namespace crm {
namespace {

using nlohmann::json;

CommandContext Ctx(const Request& r) { return CommandContext{r.actor, r.now}; }

Result<reference::State> InitializedReference(ReadModel& rm) {
  CRM_ASSIGN_OR_RETURN(reference::State ref, rm.Reference());
  if (!ref.initialized) return Status::FailedPrecondition("the data set is not initialised (run 'crmctl init')");
  return ref;
}

Result<campaign::State> ExistingCampaign(ReadModel& rm, const RecordNo& no) {
  CRM_ASSIGN_OR_RETURN(auto cp, rm.Campaign(no));
  if (!cp) return Status::NotFound("campaign " + no.ToString() + " does not exist");
  return *cp;
}

json Ids(const std::vector<std::string>& v) { return json(v); }

// The record a create makes, as `show --json` prints it (SPEC 3: a create answers with the
// record): its event folded into an empty state, as the projection will fold it.
template <typename State, typename Fold>
json CreatedRecord(const Events& events, const Request& r, Fold fold) {
  State state{};
  for (const auto& ev : events) {
    const EnvelopeHeader h{LedgerSeq(0), ev.stream, StreamVersion(0), "", r.command_id, "", "", r.actor, r.now};
    const std::string record = EncodeEnvelope(h, ev.payload, Hash{});
    state = fold(std::move(state), *fb::GetEnvelope(record.data()));
  }
  return ToJson(state);
}

}  // namespace

Result<std::unique_ptr<Handler>> Handler::Open(const Options& options) {
  std::unique_ptr<Handler> h(new Handler());
  Store::Options so;
  so.mode = Store::Mode::kWrite;
  so.lock_timeout = options.lock_timeout;
  so.create_if_missing = options.create;
  so.statistics = options.statistics;
  CRM_ASSIGN_OR_RETURN(h->store_, Store::Open(options.data_dir, so, AllColumnFamilies()));
  h->projector_ = std::make_unique<Projector>(h->store_.get());
  h->ledger_ = std::make_unique<EmbeddedLedger>(h->store_.get(), h->projector_.get());
  // Completes an interrupted rebuild; a no-op when projections are up to date.
  CRM_ASSIGN_OR_RETURN(RebuildStats recovered, Recover(h->store_.get(), h->ledger_.get()));
  (void)recovered;
  return h;
}

Result<json> Handler::Run(const Request& r, const StreamId& stream, const DecideFn& fn) {
  CRM_ASSIGN_OR_RETURN(auto previous, ledger_->FindCommand(r.command_id));
  if (previous) {
    json answer = json::parse(*previous, nullptr, false);
    if (answer.is_discarded()) return Status::Corruption("stored answer of command " + r.command_id.value());
    const std::string before = answer.value("request", "");
    if (!r.fingerprint.empty() && !before.empty() && before != r.fingerprint) {
      return Status::FailedPrecondition("command id " + r.command_id.value() +
                                        " was already used for a different command: " + before);
    }
    return answer;
  }
  if (r.expected_version && stream.value().empty()) {
    return Status::InvalidArgument("--expected-version applies only to a command on one existing record");
  }
  Store::Txn txn(store_.get());
  ReadModel rm(store_.get(), &txn);
  AppendBatch batch;
  batch.command_id = r.command_id;
  batch.actor = r.actor;
  batch.now = r.now;
  if (r.expected_version) batch.expected.emplace_back(stream, *r.expected_version);
  CRM_ASSIGN_OR_RETURN(json answer, fn(rm, &batch));
  answer["command_id"] = r.command_id.value();
  answer["events"] = batch.events.size();
  if (!r.fingerprint.empty()) answer["request"] = r.fingerprint;
  batch.answer = answer.dump();
  // The answer is stored as is, so a retry answers exactly as the first time.
  CRM_ASSIGN_OR_RETURN(AppendResult appended, ledger_->Append(std::move(batch)));
  (void)appended;
  return answer;
}

Result<json> Handler::Reference(const Request& r, reference::Command c) {
  return Run(r, ReferenceStream(), [&](ReadModel& rm, AppendBatch* batch) -> Result<json> {
    CRM_ASSIGN_OR_RETURN(reference::State ref, rm.Reference());
    json answer = json::object();
    if (auto* rc = std::get_if<reference::RemoveCampaignStatus>(&c)) {
      auto code = NormalizeCode(rc->code, "campaign status code");
      if (code.ok()) {
        CRM_RETURN_IF_ERROR(rm.ForEachCampaign([&](const campaign::State& cp) {
          if (cp.status == *code) ++rc->campaigns_using;
          return true;
        }));
      }
    }
    // Removing a member status with --replace-with moves its members first, campaign by campaign.
    Events moves;
    if (auto* rm_status = std::get_if<reference::RemoveMemberStatus>(&c)) {
      if (const auto* def = ref.FindStatus(Trim(rm_status->name))) {
        CRM_ASSIGN_OR_RETURN(rm_status->members_using, rm.TotalWithStatus(def->name));
        if (rm_status->members_using > 0 && !rm_status->replace_with.empty() && ref.FindStatus(Trim(rm_status->replace_with)) != nullptr) {
          std::map<RecordNo, std::vector<RecordNo>> by_campaign;
          CRM_RETURN_IF_ERROR(rm.ForEachWithStatus(def->name, [&](const RecordNo& cp, const RecordNo& m) {
            by_campaign[cp].push_back(m);
            return true;
          }));
          for (const auto& [cp_no, ids] : by_campaign) {
            CRM_ASSIGN_OR_RETURN(campaign::State cp, ExistingCampaign(rm, cp_no));
            CRM_ASSIGN_OR_RETURN(membership::Context cx, MemberContext(rm, ref, cp, ids, false));
            membership::UpdateStatus u{Ctx(r), cp_no, ids, rm_status->replace_with, fb::MemberHow::StatusReplaced,
                                       "member_status=" + def->name};
            CRM_ASSIGN_OR_RETURN(Events ev, membership::DecideUpdateStatus(cx, u));
            for (auto& e : ev) moves.push_back(std::move(e));
          }
          answer["members_moved"] = moves.size();
        }
      }
    }
    CRM_ASSIGN_OR_RETURN(Events events, reference::Decide(ref, c));
    if (!events.empty()) {
      for (auto& e : moves) batch->events.push_back(std::move(e));
    }
    for (auto& e : events) batch->events.push_back(std::move(e));
    answer["changed"] = !events.empty();
    return answer;
  });
}

Result<json> Handler::CreateContact(const Request& r, contact::CreateContact c) {
  return Run(r, StreamId(), [&](ReadModel& rm, AppendBatch* batch) -> Result<json> {
    CRM_ASSIGN_OR_RETURN(reference::State ref, InitializedReference(rm));
    CRM_ASSIGN_OR_RETURN(uint64_t last, ledger_->LastNumber(RecordKind::kContact));
    c.no = RecordNo(RecordKind::kContact, last + 1);
    c.ctx = Ctx(r);
    contact::ContactContext cx{&ref, std::nullopt, ""};
    if (!c.company.empty()) {
      auto company = RecordNo::Parse(c.company, RecordKind::kContact);
      if (company.ok()) {
        CRM_ASSIGN_OR_RETURN(cx.company, rm.Contact(*company));
      }
    }
    CRM_ASSIGN_OR_RETURN(cx.email_owner, rm.EmailOwner(Trim(c.f.email), c.no));
    CRM_ASSIGN_OR_RETURN(Events events, contact::DecideCreate(contact::ContactState{}, cx, c));
    json answer = CreatedRecord<contact::ContactState>(events, r, contact::EvolveContact);
    batch->events = std::move(events);
    batch->numbers.emplace_back(RecordKind::kContact, c.no.counter());
    if (!cx.email_owner.empty()) answer["duplicate_of"] = cx.email_owner;
    return answer;
  });
}

Result<json> Handler::ChangeContact(const Request& r, contact::ChangeContact c) {
  return Run(r, c.no.Stream(), [&](ReadModel& rm, AppendBatch* batch) -> Result<json> {
    CRM_ASSIGN_OR_RETURN(reference::State ref, InitializedReference(rm));
    CRM_ASSIGN_OR_RETURN(auto state, rm.Contact(c.no));
    c.ctx = Ctx(r);
    contact::ContactContext cx{&ref, std::nullopt, ""};
    if (c.company && !c.company->empty()) {
      auto company = RecordNo::Parse(*c.company, RecordKind::kContact);
      if (company.ok()) {
        CRM_ASSIGN_OR_RETURN(cx.company, rm.Contact(*company));
      }
    }
    if (c.f.email) {
      CRM_ASSIGN_OR_RETURN(cx.email_owner, rm.EmailOwner(Trim(*c.f.email), c.no));
    }
    CRM_ASSIGN_OR_RETURN(Events events, contact::DecideChange(state.value_or(contact::ContactState{}), cx, c));
    batch->events = std::move(events);
    json answer{{"no", c.no.ToString()}, {"changed", !batch->events.empty()}};
    if (!cx.email_owner.empty()) answer["duplicate_of"] = cx.email_owner;
    return answer;
  });
}

Result<json> Handler::CreateLead(const Request& r, contact::CreateLead c) {
  return Run(r, StreamId(), [&](ReadModel& rm, AppendBatch* batch) -> Result<json> {
    CRM_ASSIGN_OR_RETURN(reference::State ref, InitializedReference(rm));
    CRM_ASSIGN_OR_RETURN(uint64_t last, ledger_->LastNumber(RecordKind::kLead));
    c.no = RecordNo(RecordKind::kLead, last + 1);
    c.ctx = Ctx(r);
    contact::ContactContext cx{&ref, std::nullopt, ""};
    CRM_ASSIGN_OR_RETURN(cx.email_owner, rm.EmailOwner(Trim(c.f.email), c.no));
    CRM_ASSIGN_OR_RETURN(Events events, contact::DecideCreateLead(contact::LeadState{}, cx, c));
    json answer = CreatedRecord<contact::LeadState>(events, r, contact::EvolveLead);
    batch->events = std::move(events);
    batch->numbers.emplace_back(RecordKind::kLead, c.no.counter());
    if (!cx.email_owner.empty()) answer["duplicate_of"] = cx.email_owner;
    return answer;
  });
}

Result<json> Handler::ChangeLead(const Request& r, contact::ChangeLead c) {
  return Run(r, c.no.Stream(), [&](ReadModel& rm, AppendBatch* batch) -> Result<json> {
    CRM_ASSIGN_OR_RETURN(reference::State ref, InitializedReference(rm));
    CRM_ASSIGN_OR_RETURN(auto state, rm.Lead(c.no));
    c.ctx = Ctx(r);
    contact::ContactContext cx{&ref, std::nullopt, ""};
    if (c.f.email) {
      CRM_ASSIGN_OR_RETURN(cx.email_owner, rm.EmailOwner(Trim(*c.f.email), c.no));
    }
    CRM_ASSIGN_OR_RETURN(Events events, contact::DecideChangeLead(state.value_or(contact::LeadState{}), cx, c));
    batch->events = std::move(events);
    json answer{{"no", c.no.ToString()}, {"changed", !batch->events.empty()}};
    if (!cx.email_owner.empty()) answer["duplicate_of"] = cx.email_owner;
    return answer;
  });
}

Result<campaign::Context> Handler::CampaignContext(ReadModel& rm, const reference::State* ref,
                                                   const std::string& parent, const RecordNo* self) {
  campaign::Context cx;
  cx.reference = ref;
  auto parent_no = RecordNo::Parse(parent, RecordKind::kCampaign);
  if (!parent.empty() && parent_no.ok()) {
    // Walk up from the parent; stop past the level limit or at a repeat (a cycle).
    std::set<RecordNo> seen;
    RecordNo at = *parent_no;
    for (size_t i = 0; i <= campaign::kMaxLevels && seen.insert(at).second; ++i) {
      CRM_ASSIGN_OR_RETURN(auto cp, rm.Campaign(at));
      if (!cp) break;
      if (i == 0) cx.parent_exists = true;
      cx.parent_chain.push_back(at.ToString());
      auto up = RecordNo::Parse(cp->parent, RecordKind::kCampaign);
      if (cp->parent.empty() || !up.ok()) break;
      at = *up;
    }
  }
  if (self != nullptr) {
    // Height of the subtree under `self`, breadth first, bounded by the level limit.
    std::vector<RecordNo> level{*self};
    size_t height = 1;
    while (height <= campaign::kMaxLevels) {
      std::vector<RecordNo> next;
      for (const auto& no : level) {
        CRM_ASSIGN_OR_RETURN(auto kids, rm.Children(no));
        next.insert(next.end(), kids.begin(), kids.end());
      }
      if (next.empty()) break;
      ++height;
      level = std::move(next);
    }
    cx.subtree_height = height;
  }
  return cx;
}

Result<json> Handler::CreateCampaign(const Request& r, campaign::CreateCampaign c) {
  return Run(r, StreamId(), [&](ReadModel& rm, AppendBatch* batch) -> Result<json> {
    CRM_ASSIGN_OR_RETURN(reference::State ref, InitializedReference(rm));
    CRM_ASSIGN_OR_RETURN(uint64_t last, ledger_->LastNumber(RecordKind::kCampaign));
    c.no = RecordNo(RecordKind::kCampaign, last + 1);
    c.ctx = Ctx(r);
    CRM_ASSIGN_OR_RETURN(campaign::Context cx, CampaignContext(rm, &ref, c.f.parent, nullptr));
    CRM_ASSIGN_OR_RETURN(Events events, campaign::DecideCreate(campaign::State{}, cx, c));
    json answer = CreatedRecord<campaign::State>(events, r, campaign::Evolve);
    batch->events = std::move(events);
    batch->numbers.emplace_back(RecordKind::kCampaign, c.no.counter());
    return answer;
  });
}

Result<json> Handler::ChangeCampaign(const Request& r, campaign::ChangeCampaign c) {
  return Run(r, c.no.Stream(), [&](ReadModel& rm, AppendBatch* batch) -> Result<json> {
    CRM_ASSIGN_OR_RETURN(reference::State ref, InitializedReference(rm));
    CRM_ASSIGN_OR_RETURN(auto state, rm.Campaign(c.no));
    c.ctx = Ctx(r);
    CRM_ASSIGN_OR_RETURN(campaign::Context cx, CampaignContext(rm, &ref, c.parent.value_or(""), &c.no));
    CRM_ASSIGN_OR_RETURN(Events events, campaign::DecideChange(state.value_or(campaign::State{}), cx, c));
    batch->events = std::move(events);
    return json{{"no", c.no.ToString()}, {"changed", !batch->events.empty()}};
  });
}

Result<json> Handler::CloneCampaign(const Request& r, const RecordNo& source, std::optional<std::string> name) {
  return Run(r, StreamId(), [&](ReadModel& rm, AppendBatch* batch) -> Result<json> {
    CRM_ASSIGN_OR_RETURN(reference::State ref, InitializedReference(rm));
    CRM_ASSIGN_OR_RETURN(campaign::State src, ExistingCampaign(rm, source));
    CRM_ASSIGN_OR_RETURN(uint64_t last, ledger_->LastNumber(RecordKind::kCampaign));
    campaign::CreateCampaign c;
    c.ctx = Ctx(r);
    c.no = RecordNo(RecordKind::kCampaign, last + 1);
    c.f = {name.value_or(src.name), src.description, src.type, src.status, src.owner, src.salesperson, src.parent,
           src.start, src.end, src.budgeted_cost, Money(0), src.expected_revenue, src.expected_response, 0};
    c.cloned_from = src.no.ToString();
    CRM_ASSIGN_OR_RETURN(campaign::Context cx, CampaignContext(rm, &ref, c.f.parent, nullptr));
    CRM_ASSIGN_OR_RETURN(Events events, campaign::DecideCreate(campaign::State{}, cx, c));
    json answer = CreatedRecord<campaign::State>(events, r, campaign::Evolve);
    batch->events = std::move(events);
    batch->numbers.emplace_back(RecordKind::kCampaign, c.no.counter());
    return answer;
  });
}

Result<membership::Context> Handler::MemberContext(ReadModel& rm, const reference::State& ref,
                                                   const campaign::State& cp, const std::vector<RecordNo>& ids,
                                                   bool need_known) {
  membership::Context cx;
  cx.reference = &ref;
  cx.campaign = &cp;
  for (const auto& id : ids) {
    CRM_ASSIGN_OR_RETURN(auto m, rm.Member(cp.no, id));
    if (m) cx.current[id] = *m;
    if (need_known && !m) {
      CRM_ASSIGN_OR_RETURN(auto party, rm.PartyJson(id));
      if (party) cx.known.insert(id);
    } else if (m) {
      cx.known.insert(id);
    }
  }
  return cx;
}

namespace {

constexpr uint64_t kProgressEvery = 10000;

}  // namespace

Result<std::vector<RecordNo>> Handler::SelectMembers(ReadModel& rm, const MemberSelection& s, std::string* criteria) {
  if (!s.filter.empty() || s.all) {
    CRM_ASSIGN_OR_RETURN(Filter f, Filter::Parse(s.filter, RosterSchema()));
    *criteria = s.all ? "all" : f.Canonical();
    std::vector<RecordNo> out;
    Status inner;
    const bool needs_party = !f.empty();
    uint64_t total = 0, seen = 0;
    if (progress_) {
      CRM_ASSIGN_OR_RETURN(auto counts, rm.CountsByStatus(s.campaign));
      for (const auto& [status, n] : counts) total += n;
    }
    CRM_RETURN_IF_ERROR(rm.ForEachMember(s.campaign, RecordNo(), [&](const RosterRow& row) {
      if (progress_ && ++seen % kProgressEvery == 0) progress_(seen, total);
      if (needs_party) {
        auto party = rm.PartyJson(row.member);
        if (!party.ok()) {
          inner = party.status();
          return false;
        }
        const nlohmann::json empty = nlohmann::json::object();
        if (!f.Matches(JsonRecord(*party ? &**party : &empty, &RosterSchema(), &row.m))) return true;
      }
      out.push_back(row.member);
      return true;
    }));
    CRM_RETURN_IF_ERROR(inner);
    if (progress_ && total >= kProgressEvery) progress_(total, total);
    return out;
  }
  return s.ids;
}

Result<json> Handler::AddMembers(const Request& r, const MemberSelection& s, const std::string& status) {
  return Run(r, s.campaign.Stream(), [&](ReadModel& rm, AppendBatch* batch) -> Result<json> {
    CRM_ASSIGN_OR_RETURN(reference::State ref, InitializedReference(rm));
    CRM_ASSIGN_OR_RETURN(campaign::State cp, ExistingCampaign(rm, s.campaign));
    std::vector<RecordNo> ids = s.ids;
    std::string criteria;
    fb::MemberHow how = fb::MemberHow::Manual;
    if (!s.filter.empty()) {
      // Associate existing contacts and leads found by criteria (SPEC §4.4).
      CRM_ASSIGN_OR_RETURN(Filter f, Filter::Parse(s.filter, PartySchema()));
      criteria = f.Canonical();
      how = fb::MemberHow::Criteria;
      uint64_t total = 0, seen = 0;
      if (progress_) {
        CRM_ASSIGN_OR_RETURN(uint64_t contacts, ledger_->LastNumber(RecordKind::kContact));
        CRM_ASSIGN_OR_RETURN(uint64_t leads, ledger_->LastNumber(RecordKind::kLead));
        total = contacts + leads;
      }
      CRM_RETURN_IF_ERROR(rm.ForEachParty(true, true, [&](const RecordNo& no, const nlohmann::json& row) {
        if (progress_ && ++seen % kProgressEvery == 0) progress_(seen, total);
        if (f.Matches(JsonRecord(&row, &PartySchema()))) ids.push_back(no);
        return true;
      }));
      if (progress_ && total >= kProgressEvery) progress_(total, total);
    }
    CRM_ASSIGN_OR_RETURN(membership::Context cx, MemberContext(rm, ref, cp, ids, true));
    membership::AddMembers c{Ctx(r), s.campaign, ids, status, how, criteria};
    CRM_ASSIGN_OR_RETURN(Events events, membership::DecideAdd(cx, c));
    std::vector<std::string> added, already;
    std::set<std::string> added_set, seen;
    for (const auto& e : events) added_set.insert(e.payload.AsMemberAdded()->member);
    for (const auto& id : ids) {
      if (!seen.insert(id.ToString()).second) continue;  // named twice: counted once
      (added_set.contains(id.ToString()) ? added : already).push_back(id.ToString());
    }
    batch->events = std::move(events);
    json answer{{"campaign", s.campaign.ToString()}, {"added", added.size()}, {"already_members", Ids(already)}};
    if (added.size() <= 1000) answer["added_ids"] = Ids(added);
    if (!criteria.empty()) answer["criteria"] = criteria;
    return answer;
  });
}

Result<json> Handler::RemoveMembers(const Request& r, const MemberSelection& s) {
  return Run(r, s.campaign.Stream(), [&](ReadModel& rm, AppendBatch* batch) -> Result<json> {
    CRM_ASSIGN_OR_RETURN(reference::State ref, InitializedReference(rm));
    CRM_ASSIGN_OR_RETURN(campaign::State cp, ExistingCampaign(rm, s.campaign));
    std::string criteria;
    CRM_ASSIGN_OR_RETURN(std::vector<RecordNo> ids, SelectMembers(rm, s, &criteria));
    CRM_ASSIGN_OR_RETURN(membership::Context cx, MemberContext(rm, ref, cp, ids, false));
    membership::RemoveMembers c{Ctx(r), s.campaign, ids,
                                criteria.empty() ? fb::MemberHow::Manual : fb::MemberHow::Criteria, criteria};
    CRM_ASSIGN_OR_RETURN(Events events, membership::DecideRemove(cx, c));
    std::set<std::string> removed, seen;
    for (const auto& e : events) removed.insert(e.payload.AsMemberRemoved()->member);
    std::vector<std::string> not_members;
    for (const auto& id : ids) {
      if (seen.insert(id.ToString()).second && !removed.contains(id.ToString())) not_members.push_back(id.ToString());
    }
    batch->events = std::move(events);
    return json{{"campaign", s.campaign.ToString()}, {"removed", removed.size()}, {"not_members", Ids(not_members)}};
  });
}

Result<json> Handler::SetMemberStatus(const Request& r, const MemberSelection& s, const std::string& status,
                                      fb::MemberHow how) {
  return Run(r, s.campaign.Stream(), [&](ReadModel& rm, AppendBatch* batch) -> Result<json> {
    CRM_ASSIGN_OR_RETURN(reference::State ref, InitializedReference(rm));
    CRM_ASSIGN_OR_RETURN(campaign::State cp, ExistingCampaign(rm, s.campaign));
    std::string criteria;
    CRM_ASSIGN_OR_RETURN(std::vector<RecordNo> ids, SelectMembers(rm, s, &criteria));
    CRM_ASSIGN_OR_RETURN(membership::Context cx, MemberContext(rm, ref, cp, ids, false));
    membership::UpdateStatus c{Ctx(r), s.campaign, ids, status, how, criteria};
    CRM_ASSIGN_OR_RETURN(Events events, membership::DecideUpdateStatus(cx, c));
    const size_t updated = events.size();
    batch->events = std::move(events);
    json answer{{"campaign", s.campaign.ToString()},
                {"status", ref.FindStatus(status) ? ref.FindStatus(status)->name : status},
                {"matched", ids.size()},
                {"updated", updated},
                {"unchanged", ids.size() - updated}};
    if (!criteria.empty()) answer["criteria"] = criteria;
    return answer;
  });
}

Result<json> Handler::AddToCampaigns(const Request& r, const RecordNo& member, const std::vector<RecordNo>& campaigns,
                                     const std::string& status) {
  return Run(r, StreamId(), [&](ReadModel& rm, AppendBatch* batch) -> Result<json> {
    CRM_ASSIGN_OR_RETURN(reference::State ref, InitializedReference(rm));
    std::vector<std::string> added, already;
    std::set<RecordNo> seen;
    for (const auto& cp_no : campaigns) {
      if (!seen.insert(cp_no).second) continue;
      CRM_ASSIGN_OR_RETURN(campaign::State cp, ExistingCampaign(rm, cp_no));
      CRM_ASSIGN_OR_RETURN(membership::Context cx, MemberContext(rm, ref, cp, {member}, true));
      membership::AddMembers c{Ctx(r), cp_no, {member}, status, fb::MemberHow::ContactSide, ""};
      CRM_ASSIGN_OR_RETURN(Events events, membership::DecideAdd(cx, c));
      (events.empty() ? already : added).push_back(cp_no.ToString());
      for (auto& e : events) batch->events.push_back(std::move(e));
    }
    return json{{"member", member.ToString()}, {"added_to", Ids(added)}, {"already_in", Ids(already)}};
  });
}

}  // namespace crm
