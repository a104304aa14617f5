#include "app/handler.h"

#include <chrono>
#include <random>
#include <set>
#include <thread>

#include <spdlog/spdlog.h>

#include "events/head_witness.h"
#include "projections/rows.h"

#include "app/handler_internal.h"

namespace crm {

using namespace handler_internal;  // NOLINT: this file implements the handler

using nlohmann::json;

Result<RecordNo> Handler::NextNumber(RecordKind kind, AppendBatch* batch) {
  CRM_ASSIGN_OR_RETURN(uint64_t last, ledger_->LastNumber(kind));
  const RecordNo no(kind, last + 1);
  batch->numbers.emplace_back(kind, no.counter());  // the series moves only if the batch commits
  return no;
}

Result<uint64_t> Handler::NextNumbers(RecordKind kind, uint64_t n, AppendBatch* batch) {
  CRM_ASSIGN_OR_RETURN(uint64_t last, ledger_->LastNumber(kind));
  batch->numbers.emplace_back(kind, last + n);
  return last + 1;
}

Result<std::unique_ptr<Handler>> Handler::Open(const Options& options) {
  std::unique_ptr<Handler> h(new Handler());
  Store::Options so;
  so.mode = Store::Mode::kWrite;
  so.lock_timeout = options.lock_timeout;
  so.create_if_missing = options.create || options.kafka.has_value();
  so.statistics = options.statistics;
  so.strict_recovery = !options.kafka.has_value();
  CRM_ASSIGN_OR_RETURN(h->store_, Store::Open(options.data_dir, so, AllColumnFamilies()));
  if (options.kafka) {
    CRM_ASSIGN_OR_RETURN(h->key_topic_, KeyTopic::Open(*options.kafka));
  }
  h->keyring_ = std::make_unique<Keyring>(h->store_.get(), h->key_topic_.get());
  h->projector_ = std::make_unique<Projector>(h->store_.get(), h->keyring_.get());
  h->replica_ = std::make_unique<EmbeddedLedger>(h->store_.get(), h->projector_.get());
  if (Status head = CheckLedgerHead(h->replica_.get()); !head.ok()) {
    h->store_->LeaveFilesAsTheyAre();
    return head;
  }
  // Completes an interrupted rebuild; a no-op when projections are up to date.
  CRM_ASSIGN_OR_RETURN(RebuildStats recovered, Recover(h->store_.get(), h->replica_.get(), h->keyring_.get()));
  (void)recovered;
  h->snapshot_interval_ = options.snapshot_interval;
  if (options.kafka) {
    CRM_ASSIGN_OR_RETURN(h->kafka_, KafkaLedger::Open(*options.kafka, h->replica_.get()));
    h->kafka_->SetCorruptHandler(options.on_corrupt);
    CRM_RETURN_IF_ERROR(h->kafka_->CatchUp());
    h->ledger_ = h->kafka_.get();
    h->MaybeSnapshot();
    return h;
  }
  CRM_ASSIGN_OR_RETURN(auto binding, KafkaLedger::BindingOf(h->replica_.get()));
  if (binding) {
    return Status::FailedPrecondition(options.data_dir + " is a replica of Kafka topic " + binding->topic +
                                      ": write through Kafka (--brokers)");
  }
  h->ledger_ = h->replica_.get();
  h->MaybeSnapshot();
  return h;
}

Status Handler::Authorize(const Actor& actor, access::Need need) {
  Store::Txn txn(store_.get());
  CRM_ASSIGN_OR_RETURN(access::State users, ReadModel(store_.get(), &txn).Users());
  return access::Authorize(users, actor, need);
}

Result<size_t> Handler::Compact(const Actor& actor) {
  CRM_RETURN_IF_ERROR(Authorize(actor, access::Need::kErase));
  CRM_ASSIGN_OR_RETURN(size_t dropped, DropSnapshots(store_.get()));
  CRM_RETURN_IF_ERROR(store_->Flush(/*compact=*/true));
  return dropped;
}

void Handler::MaybeSnapshot() {
  // The replica holds every record the projections have applied, in both modes.
  if (Status s = crm::MaybeSnapshot(store_.get(), replica_.get(), snapshot_interval_); !s.ok()) {
    spdlog::warn("no as-of snapshot taken ({}); --at reads replay further", s.message());
  }
}

Result<json> Handler::Run(const Request& r, const StreamId& stream, const DecideFn& fn, access::Need need) {
  return Run(r, stream, DecideWithEffectsFn([&fn](ReadModel& rm, AppendBatch* batch, Effects*) { return fn(rm, batch); }),
             need);
}

Status Handler::RunEffects(const Effects& effects) {
  for (const RecordNo& person : effects.unpublish_keys) CRM_RETURN_IF_ERROR(keyring_->Unpublish(person.ToString()));
  return Status::Ok();
}

Result<json> Handler::Run(const Request& r, const StreamId& stream, const DecideWithEffectsFn& fn,
                          access::Need need) {
  if (r.expected_version && stream.value().empty()) {
    return Status::FailedPrecondition("--expected-version applies only to a command on one existing record");
  }
  std::minstd_rand jitter(std::random_device{}());
  for (int attempt = 1;; ++attempt) {
    CRM_ASSIGN_OR_RETURN(auto previous, ledger_->FindCommand(r.command_id));
    if (previous) {
      CRM_ASSIGN_OR_RETURN(std::string opened, OpenAnswer(*previous, keyring_.get()));
      json answer = json::parse(opened, nullptr, false);
      if (answer.is_discarded()) return Status::Corruption("stored answer of command " + r.command_id.value());
      const std::string before = answer.value("request", "");
      if (!r.fingerprint.empty() && !before.empty() && before != r.fingerprint) {
        return Status::FailedPrecondition("command id " + r.command_id.value() +
                                          " was already used for a different command: " + before);
      }
      return answer;
    }
    if (attempt > kMaxAttempts) {
      return Status::Aborted("other writers changed the ledger first " + std::to_string(kMaxAttempts) +
                             " times in a row; try again");
    }
    Store::Txn txn(store_.get());
    ReadModel rm(store_.get(), &txn);
    CRM_ASSIGN_OR_RETURN(access::State users, rm.Users());
    CRM_RETURN_IF_ERROR(access::Authorize(users, r.actor, need));
    AppendBatch batch;
    batch.command_id = r.command_id;
    if (r.undoes) batch.causation_id = r.undoes->value();
    batch.correlation_id = r.correlation_id;
    batch.actor = r.actor;
    batch.now = r.now;
    if (r.expected_version) batch.expected.emplace_back(stream, *r.expected_version);
    Effects effects;
    CRM_ASSIGN_OR_RETURN(json answer, fn(rm, &batch, &effects));
    answer["command_id"] = r.command_id.value();
    if (r.undoes) answer["undoes"] = r.undoes->value();
    answer["events"] = batch.events.size();
    if (!r.fingerprint.empty()) answer["request"] = r.fingerprint;
    batch.answer = answer.dump();
    CRM_RETURN_IF_ERROR(Seal(&batch, stream));
    // The answer is stored as is (sealed), so a retry answers exactly as the first time.
    CRM_ASSIGN_OR_RETURN(AppendResult appended, ledger_->Append(std::move(batch)));
    if (!appended.superseded) {
      MaybeSnapshot();
      // The command stands; only what it asked for afterwards failed. A retry under the same
      // command id answers from the ledger and runs nothing, so say how to finish.
      CRM_RETURN_IF_ERROR(RunEffects(effects).WithContext(
          "command " + r.command_id.value() +
          " is recorded, but what it does afterwards failed (run the command again, with a new command id, to finish)"));
      return answer;
    }
    // The log settled the command and the replica has caught up: the freshest state this writer
    // will have, so look again at once; when losing keeps happening, back off (full jitter, up
    // to 50 ms) and catch up with what landed meanwhile.
    if (attempt > 3 && kafka_ != nullptr) {
      const int cap = std::min(50, 1 << std::min(attempt - 2, 6));
      std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(1, cap)(jitter)));
      CRM_RETURN_IF_ERROR(kafka_->CatchUp());
    }
  }
}

Result<json> Handler::Repeat(const Request& r) {
  // Run answers a known command id from the ledger before it would decide.
  return Run(r, StreamId(), [&r](ReadModel&, AppendBatch*) -> Result<json> {
    return Status::Internal("command " + r.command_id.value() + " is not in the ledger");
  });
}

namespace {

// The contact or lead a stream belongs to ("CT0001"), or "".
std::string PersonOf(const StreamId& stream) {
  auto no = RecordNo::OfStream(stream);
  if (!no.ok() || (no->kind() != RecordKind::kContact && no->kind() != RecordKind::kLead)) return "";
  return no->ToString();
}

}  // namespace

Status Handler::Seal(AppendBatch* batch, const StreamId& stream) {
  std::vector<std::string> subjects;
  std::vector<size_t> sealed;
  for (size_t i = 0; i < batch->events.size(); ++i) {
    std::string subject = PersonalSubject(batch->events[i].payload);
    if (subject.empty()) continue;
    subjects.push_back(std::move(subject));
    sealed.push_back(i);
  }
  // The answer (with the command line) is one person's when the command is on that person's
  // stream, even when it changed nothing personal, or when all its events are.
  std::string owner = PersonOf(stream);
  // Events sealed already (an import batch sealed ahead of its Run) are personal data too.
  bool personal = !subjects.empty();
  for (const fb::EventUnion& opened : batch->opened) personal = personal || opened.type != fb::Event::NONE;
  if (owner.empty() && personal) {
    owner = PersonOf(batch->events.front().stream);
    for (const NewEvent& e : batch->events) {
      if (PersonOf(e.stream) != owner) owner.clear();
    }
  }
  if (!owner.empty()) {
    // An erased person's commands change nothing personal (the aggregate refuses): nothing to seal.
    CRM_ASSIGN_OR_RETURN(bool erased, keyring_->Erased(owner));
    if (erased) owner.clear();
  }
  if (!owner.empty()) subjects.push_back(owner);
  if (subjects.empty()) return Status::Ok();
  // A person this batch creates has a number never given before, hence no key yet.
  std::set<std::string_view> fresh;  // views into `subjects`, which no longer grows
  for (size_t k = 0; k < sealed.size(); ++k) {
    const fb::Event type = batch->events[sealed[k]].payload.type;
    if (type == fb::Event::ContactCreated || type == fb::Event::LeadCreated) fresh.insert(subjects[k]);
  }
  CRM_ASSIGN_OR_RETURN(std::vector<PersonKey> keys, keyring_->Ensure(subjects, fresh));
  batch->opened.resize(batch->events.size());
  for (size_t k = 0; k < sealed.size(); ++k) {
    fb::EventUnion& payload = batch->events[sealed[k]].payload;
    batch->opened[sealed[k]] = payload;
    SealPayload(&payload, keys[k]);
  }
  if (!owner.empty()) {
    batch->opened_answer = batch->answer;
    batch->answer = SealAnswer(batch->answer, owner, keys.back());
  }
  return Status::Ok();
}

Result<json> Handler::Reference(const Request& r, reference::Command command) {
  return Run(r, ReferenceStream(), [&](ReadModel& rm, AppendBatch* batch) -> Result<json> {
    CRM_ASSIGN_OR_RETURN(reference::State ref, rm.Reference());
    reference::Command c = command;  // counted afresh by each attempt
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
                                       "member_status=" + def->name, {}};
            CRM_ASSIGN_OR_RETURN(Events ev, membership::DecideUpdateStatus(cx, u));
            for (auto& e : ev) moves.push_back(std::move(e));
          }
          answer["members_moved"] = moves.size();
        }
      }
    }
    // Removing a lead status with --replace-with moves its leads first (the status is not
    // personal data: erased leads move too).
    if (auto* rm_lead = std::get_if<reference::RemoveLeadStatus>(&c)) {
      if (auto name = ref.FindLeadStatus(Trim(rm_lead->name))) {
        std::vector<RecordNo> holding;
        CRM_RETURN_IF_ERROR(rm.ForEachParty(false, true, [&](const RecordNo& no, const json& row) {
          if (row.value("lead_status", "") == *name) holding.push_back(no);
          return true;
        }));
        rm_lead->leads_using = holding.size();
        Events moved = contact::ReplaceLeadStatus(holding, *name, ref.FindLeadStatus(Trim(rm_lead->replace_with)));
        if (!moved.empty()) answer["leads_moved"] = moved.size();
        for (auto& e : moved) moves.push_back(std::move(e));
      }
    }
    CRM_ASSIGN_OR_RETURN(Events events, reference::Decide(ref, c));
    if (!events.empty()) {
      for (auto& e : moves) batch->events.push_back(std::move(e));
    }
    for (auto& e : events) batch->events.push_back(std::move(e));
    answer["changed"] = !events.empty();
    return answer;
  }, std::holds_alternative<reference::SaveView>(command) || std::holds_alternative<reference::RemoveView>(command)
         ? access::Need::kWrite  // a view is a way of looking, not data others depend on
         : access::Need::kReferenceData);
}

Result<json> Handler::Users(const Request& r, const access::Command& c) {
  return Run(r, StreamId("users"), [&](ReadModel& rm, AppendBatch* batch) -> Result<json> {
    CRM_ASSIGN_OR_RETURN(access::State state, rm.Users());
    CRM_ASSIGN_OR_RETURN(Events events, access::Decide(state, c));
    json answer = json::object();
    answer["changed"] = !events.empty();
    for (auto& e : events) batch->events.push_back(std::move(e));
    return answer;
  }, access::Need::kUsers);
}

Result<json> Handler::Catalog(const Request& r, catalog::Command c) {
  return Run(r, catalog::CatalogStream(), [&](ReadModel& rm, AppendBatch* batch) -> Result<json> {
    CRM_ASSIGN_OR_RETURN(reference::State ref, rm.Reference());
    CRM_ASSIGN_OR_RETURN(catalog::State state, rm.Catalog());
    CRM_ASSIGN_OR_RETURN(Events events, catalog::Decide(ref, state, c));
    json answer = json::object();
    answer["changed"] = !events.empty();
    for (auto& e : events) batch->events.push_back(std::move(e));
    return answer;
  }, access::Need::kReferenceData);
}

namespace {

// What a contact or lead decision reads besides its record: the reference data, the salespeople
// and the record that already has the email given (none when no email is given). Built in
// place: the decision's context points at the others.
struct PersonFacts {
  PersonFacts() = default;
  PersonFacts(const PersonFacts&) = delete;
  PersonFacts& operator=(const PersonFacts&) = delete;

  reference::State ref;
  std::set<std::string> salespeople;
  contact::ContactContext cx{&ref, std::nullopt, "", &salespeople};
};

// `self`: the record being created or changed (it is not its own duplicate).
Status LoadPersonFacts(ReadModel& rm, const RecordNo& self, const std::optional<std::string>& email,
                       PersonFacts* f) {
  CRM_ASSIGN_OR_RETURN(f->ref, InitializedReference(rm));
  CRM_ASSIGN_OR_RETURN(f->salespeople, SalespersonCodes(rm));
  if (email) {
    CRM_ASSIGN_OR_RETURN(f->cx.email_owner, rm.EmailOwner(Trim(*email), self));
  }
  return Status::Ok();
}

// The answer, naming the record that already has the email (a warning, not a refusal).
json WithDuplicate(json answer, const PersonFacts& f) {
  if (!f.cx.email_owner.empty()) answer["duplicate_of"] = f.cx.email_owner;
  return answer;
}

}  // namespace

Result<json> Handler::CreateContact(const Request& r, contact::CreateContact c) {
  return Run(r, StreamId(), [&](ReadModel& rm, AppendBatch* batch) -> Result<json> {
    CRM_ASSIGN_OR_RETURN(c.no, NextNumber(RecordKind::kContact, batch));
    c.ctx = Ctx(r);
    PersonFacts f;
    CRM_RETURN_IF_ERROR(LoadPersonFacts(rm, c.no, c.f.email, &f));
    CRM_ASSIGN_OR_RETURN(f.cx.company, CompanyOf(rm, c.company));
    CRM_ASSIGN_OR_RETURN(Events events, contact::DecideCreate(contact::ContactState{}, f.cx, c));
    json answer = CreatedRecord<contact::ContactState>(events, r, contact::EvolveContact);
    batch->events = std::move(events);
    return WithDuplicate(std::move(answer), f);
  });
}

Result<json> Handler::ChangeContact(const Request& r, contact::ChangeContact c) {
  return Run(r, c.no.Stream(), [&](ReadModel& rm, AppendBatch* batch) -> Result<json> {
    PersonFacts f;
    CRM_RETURN_IF_ERROR(LoadPersonFacts(rm, c.no, c.f.email, &f));
    CRM_ASSIGN_OR_RETURN(auto state, rm.Contact(c.no));
    c.ctx = Ctx(r);
    if (c.company) {
      CRM_ASSIGN_OR_RETURN(f.cx.company, CompanyOf(rm, *c.company));
    }
    CRM_ASSIGN_OR_RETURN(batch->events, contact::DecideChange(state.value_or(contact::ContactState{}), f.cx, c));
    return WithDuplicate({{"no", c.no.ToString()}, {"changed", !batch->events.empty()}}, f);
  });
}

Result<json> Handler::RecordConsent(const Request& r, contact::RecordConsent c) {
  return Run(r, c.no.Stream(), [&](ReadModel& rm, AppendBatch* batch) -> Result<json> {
    CRM_RETURN_IF_ERROR(InitializedReference(rm).status());
    c.ctx = Ctx(r);
    if (c.no.kind() == RecordKind::kLead) {
      CRM_ASSIGN_OR_RETURN(auto lead, rm.Lead(c.no));
      CRM_ASSIGN_OR_RETURN(batch->events, contact::DecideConsent(lead.value_or(contact::LeadState{}), c));
    } else {
      CRM_ASSIGN_OR_RETURN(auto state, rm.Contact(c.no));
      CRM_ASSIGN_OR_RETURN(batch->events, contact::DecideConsent(state.value_or(contact::ContactState{}), c));
    }
    return json{{"no", c.no.ToString()}, {"consent", contact::ConsentKindName(c.kind)}, {"changed", !batch->events.empty()}};
  });
}

Result<json> Handler::Erase(const Request& r, const RecordNo& no) {
  return Run(
      r, no.Stream(),
      [&](ReadModel& rm, AppendBatch* batch, Effects* effects) -> Result<json> {
        if (no.kind() == RecordKind::kLead) {
          CRM_ASSIGN_OR_RETURN(auto lead, rm.Lead(no));
          CRM_ASSIGN_OR_RETURN(batch->events, contact::DecideEraseLead(lead.value_or(contact::LeadState{}), no));
        } else {
          CRM_ASSIGN_OR_RETURN(auto contact, rm.Contact(no));
          CRM_ASSIGN_OR_RETURN(batch->events, contact::DecideErase(contact.value_or(contact::ContactState{}), no));
        }
        // Other replicas must not receive the key from now on (again when erased already).
        effects->unpublish_keys.push_back(no);
        return json{{"no", no.ToString()}, {"erased", true}, {"changed", !batch->events.empty()}};
      },
      access::Need::kErase);
}

Result<json> Handler::DeleteRecord(const Request& r, contact::DeleteRecord c) {
  return Run(r, c.no.Stream(), [&](ReadModel& rm, AppendBatch* batch) -> Result<json> {
    c.ctx = Ctx(r);
    bool exists = false, deleted = false, company = false;
    if (c.no.kind() == RecordKind::kLead) {
      CRM_ASSIGN_OR_RETURN(auto lead, rm.Lead(c.no));
      exists = lead.has_value();
      deleted = exists && lead->deleted;
    } else {
      CRM_ASSIGN_OR_RETURN(auto contact, rm.Contact(c.no));
      exists = contact.has_value();
      deleted = exists && contact->deleted;
      company = exists && contact->type == fb::ContactType::Company;
    }
    // What still needs the record (only asked when it would be deleted).
    std::vector<std::string> dependents;
    if (exists && !deleted && !c.restore) {
      const std::string no = c.no.ToString();
      CRM_RETURN_IF_ERROR(rm.ForEachOpportunity(RecordNo(), [&](const OpportunityRow& op) {
        if (op.open() && (op.contact == no || op.lead == no)) dependents.push_back("open opportunity " + op.no.ToString());
        return true;
      }));
      if (company) {
        CRM_RETURN_IF_ERROR(rm.ForEachPartyState(true, false, [&](const RecordNo& person, const PartyState& party) {
          const auto& p = std::get<contact::ContactState>(party);
          if (p.company == no && !p.deleted) dependents.push_back("its person " + person.ToString());
          return dependents.size() < 20;
        }));
      }
    }
    CRM_ASSIGN_OR_RETURN(batch->events, contact::DecideDeletion(exists, deleted, c, dependents));
    return json{{"no", c.no.ToString()}, {"deleted", !c.restore}, {"changed", !batch->events.empty()}};
  });
}

Result<json> Handler::DeleteCampaign(const Request& r, campaign::DeleteCampaign c) {
  return Run(r, c.no.Stream(), [&](ReadModel& rm, AppendBatch* batch) -> Result<json> {
    c.ctx = Ctx(r);
    CRM_ASSIGN_OR_RETURN(auto state, rm.Campaign(c.no));
    std::vector<std::string> dependents;
    if (state && !state->deleted && !c.restore) {
      uint64_t live = 0;
      CRM_RETURN_IF_ERROR(rm.ForEachInteraction({RecordNo(), c.no, RecordNo()}, [&](const InteractionRow& entry) {
        live += !entry.cancel.canceled();
        return true;
      }));
      if (live > 0) dependents.push_back(std::to_string(live) + " logged interaction(s) not canceled");
      CRM_RETURN_IF_ERROR(rm.ForEachOpportunity(c.no, [&](const OpportunityRow& op) {
        if (op.open()) dependents.push_back("open opportunity " + op.no.ToString());
        return true;
      }));
    }
    CRM_ASSIGN_OR_RETURN(batch->events, campaign::DecideDelete(state.value_or(campaign::State{}), c, dependents));
    return json{{"no", c.no.ToString()}, {"deleted", !c.restore}, {"changed", !batch->events.empty()}};
  });
}

Result<json> Handler::CreateLead(const Request& r, contact::CreateLead c) {
  return Run(r, StreamId(), [&](ReadModel& rm, AppendBatch* batch) -> Result<json> {
    CRM_ASSIGN_OR_RETURN(c.no, NextNumber(RecordKind::kLead, batch));
    c.ctx = Ctx(r);
    PersonFacts f;
    CRM_RETURN_IF_ERROR(LoadPersonFacts(rm, c.no, c.f.email, &f));
    CRM_ASSIGN_OR_RETURN(Events events, contact::DecideCreateLead(contact::LeadState{}, f.cx, c));
    json answer = CreatedRecord<contact::LeadState>(events, r, contact::EvolveLead);
    batch->events = std::move(events);
    return WithDuplicate(std::move(answer), f);
  });
}

Result<json> Handler::ChangeLead(const Request& r, contact::ChangeLead c) {
  return Run(r, c.no.Stream(), [&](ReadModel& rm, AppendBatch* batch) -> Result<json> {
    PersonFacts f;
    CRM_RETURN_IF_ERROR(LoadPersonFacts(rm, c.no, c.f.email, &f));
    CRM_ASSIGN_OR_RETURN(auto state, rm.Lead(c.no));
    c.ctx = Ctx(r);
    CRM_ASSIGN_OR_RETURN(batch->events, contact::DecideChangeLead(state.value_or(contact::LeadState{}), f.cx, c));
    return WithDuplicate({{"no", c.no.ToString()}, {"changed", !batch->events.empty()}}, f);
  });
}

Result<campaign::Context> Handler::CampaignContext(ReadModel& rm, const reference::State* ref,
                                                   const std::string& parent, const RecordNo* self) {
  campaign::Context cx;
  cx.reference = ref;
  CRM_ASSIGN_OR_RETURN(cx.salespeople, SalespersonCodes(rm));
  CRM_ASSIGN_OR_RETURN(access::State users, rm.Users());
  for (const auto& [name, role] : users.users) cx.users.insert(name);
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
    CRM_ASSIGN_OR_RETURN(c.no, NextNumber(RecordKind::kCampaign, batch));
    c.ctx = Ctx(r);
    CRM_ASSIGN_OR_RETURN(campaign::Context cx, CampaignContext(rm, &ref, c.f.parent, nullptr));
    CRM_ASSIGN_OR_RETURN(Events events, campaign::DecideCreate(campaign::State{}, cx, c));
    json answer = CreatedRecord<campaign::State>(events, r, campaign::Evolve);
    batch->events = std::move(events);
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

Result<json> Handler::AttachToCampaign(const Request& r, const campaign::Attach& c) {
  return Run(r, c.no.Stream(), [&](ReadModel& rm, AppendBatch* batch) -> Result<json> {
    CRM_ASSIGN_OR_RETURN(auto state, rm.Campaign(c.no));
    CRM_ASSIGN_OR_RETURN(Events events, campaign::DecideAttach(state.value_or(campaign::State{}), c));
    json answer{{"no", c.no.ToString()}, {"file_name", Trim(c.file_name)}, {"changed", !events.empty()}};
    if (!events.empty()) answer["sha256"] = events.front().payload.AsCampaignAttachmentAdded()->sha256;
    batch->events = std::move(events);
    return answer;
  });
}

Result<json> Handler::DetachFromCampaign(const Request& r, const campaign::Detach& c) {
  return Run(r, c.no.Stream(), [&](ReadModel& rm, AppendBatch* batch) -> Result<json> {
    CRM_ASSIGN_OR_RETURN(auto state, rm.Campaign(c.no));
    CRM_ASSIGN_OR_RETURN(batch->events, campaign::DecideDetach(state.value_or(campaign::State{}), c));
    return json{{"no", c.no.ToString()}, {"file_name", Trim(c.file_name)}, {"changed", true}};
  });
}

Result<json> Handler::CloneCampaign(const Request& r, const RecordNo& source, std::optional<std::string> name) {
  return Run(r, StreamId(), [&](ReadModel& rm, AppendBatch* batch) -> Result<json> {
    CRM_ASSIGN_OR_RETURN(reference::State ref, InitializedReference(rm));
    CRM_ASSIGN_OR_RETURN(campaign::State src, ExistingCampaign(rm, source));
    campaign::CreateCampaign c;
    c.ctx = Ctx(r);
    CRM_ASSIGN_OR_RETURN(c.no, NextNumber(RecordKind::kCampaign, batch));
    c.f = {name.value_or(src.name), src.description, src.type, src.status, src.owner, src.salesperson, src.parent,
           src.start, src.end, src.budgeted_cost, Money(0), src.expected_revenue, src.expected_response, 0,
           src.custom, /*source=*/"", /*source_id=*/"", /*source_modified_at=*/""};  // a clone was not imported
    c.cloned_from = src.no.ToString();
    CRM_ASSIGN_OR_RETURN(campaign::Context cx, CampaignContext(rm, &ref, c.f.parent, nullptr));
    CRM_ASSIGN_OR_RETURN(Events events, campaign::DecideCreate(campaign::State{}, cx, c));
    json answer = CreatedRecord<campaign::State>(events, r, campaign::Evolve);
    batch->events = std::move(events);
    return answer;
  });
}

}  // namespace crm
