// Handler::Undo: reads the undone command's records from the replica (both modes keep one),
// lets aggregates/undo.h say what compensates them, and runs that as a command of its own whose
// events carry the undone command's id as their causation id. Segment steps and cancellations
// are undone through the segment and logging decisions themselves (go-back, redo, cancel).
#include "app/handler.h"
#include "app/handler_internal.h"
#include "aggregates/undo.h"

#include <map>
#include <set>

namespace crm {

using nlohmann::json;
using handler_internal::Ctx;

namespace {

// The import batch answer of command `id`, or an empty object.
Result<json> ImportAnswer(Ledger* ledger, KeySource* keys, const CommandId& id) {
  CRM_ASSIGN_OR_RETURN(auto stored, ledger->FindCommand(id));
  if (!stored) return json::object();
  CRM_ASSIGN_OR_RETURN(std::string opened, OpenAnswer(*stored, keys));
  json answer = json::parse(opened, nullptr, false);
  if (answer.is_discarded() || !answer.value("import", false)) return json::object();
  return answer;
}

// Each command id named as causation by a record after `last` -> the latest command naming it.
Result<std::map<std::string, std::string>> UndoLinks(Ledger* ledger, LedgerSeq last) {
  std::map<std::string, std::string> undone_by;
  Status bad;
  CRM_RETURN_IF_ERROR(ledger->Read(LedgerSeq(last.value() + 1), [&](LedgerSeq seq, std::string_view record) {
    auto env = DecodeEnvelope(record);
    if (!env.ok()) {
      bad = env.status().WithContext("record " + std::to_string(seq.value()));
      return false;
    }
    if ((*env)->causation_id() != nullptr && (*env)->causation_id()->size() > 0) {
      undone_by[(*env)->causation_id()->str()] = (*env)->command_id() != nullptr ? (*env)->command_id()->str() : "";
    }
    return true;
  }));
  CRM_RETURN_IF_ERROR(bad);
  return undone_by;
}

}  // namespace

Result<json> Handler::Undo(const Request& r, const CommandId& target) {
  // Asked twice, an undo says so rather than what the first one changed (issue 14).
  if (auto previous = ledger_->FindCommand(r.command_id); previous.ok() && !*previous) {
    CRM_ASSIGN_OR_RETURN(std::vector<std::string> mine, replica_->CommandRecords(target));
    if (!mine.empty()) {
      CRM_ASSIGN_OR_RETURN(const fb::Envelope* last, DecodeEnvelope(mine.back()));
      CRM_ASSIGN_OR_RETURN(auto links, UndoLinks(replica_.get(), LedgerSeq(last->seq())));
      CRM_RETURN_IF_ERROR(undo::CheckNotUndone(target, links));
    }
  }
  CRM_ASSIGN_OR_RETURN(json import_answer, ImportAnswer(ledger_, keyring_.get(), target));
  if (!import_answer.empty()) {
    // Only an import's last batch carries its own id and "done"; the others are "ID#n".
    CRM_RETURN_IF_ERROR(undo::CheckWholeImport(target, import_answer.value("done", false)));
    return UndoImport(r, target);
  }
  CRM_ASSIGN_OR_RETURN(std::vector<std::string> raw, replica_->CommandRecords(target));
  if (raw.empty()) {
    CRM_ASSIGN_OR_RETURN(auto known, ledger_->FindCommand(target));
    if (!known) return Status::NotFound("no command " + target.value() + " in the ledger");
  }
  std::vector<const fb::Envelope*> records;
  for (const std::string& record : raw) {
    CRM_ASSIGN_OR_RETURN(const fb::Envelope* env, DecodeEnvelope(record));
    records.push_back(env);
  }
  CRM_ASSIGN_OR_RETURN(undo::Plan plan, undo::Classify(target, records));
  Request inner = r;
  inner.undoes = target;

  switch (plan.kind) {
    case undo::Kind::kMembers: {
      const std::vector<undo::MemberKey> touched = undo::TouchedMembers(records);
      return Run(inner, StreamId(), [&](ReadModel& rm, AppendBatch* batch) -> Result<json> {
        CRM_ASSIGN_OR_RETURN(reference::State ref, rm.Reference());
        undo::MembersNow now{&ref, {}, {}};
        for (const auto& key : touched) {
          CRM_ASSIGN_OR_RETURN(auto m, rm.Member(key.first, key.second));
          now.status[key] = m ? std::optional<std::string>(m->status) : std::nullopt;
          if (key.second.kind() == RecordKind::kLead && !m) {
            CRM_ASSIGN_OR_RETURN(auto lead, rm.Lead(key.second));
            if (lead && lead->converted()) now.converted[key.second] = lead->converted_to;
          }
        }
        CRM_ASSIGN_OR_RETURN(batch->events, undo::CompensateMembers(records, now, "undo " + target.value()));
        return json{{"members_changed", batch->events.size()}, {"changed", !batch->events.empty()}};
      });
    }
    case undo::Kind::kCancel:
      return CancelEntry(inner, plan.target, /*undo=*/!plan.cancel);
    case undo::Kind::kRestore: {
      const StreamId stream = plan.stream.value().empty() ? plan.target.Stream() : plan.stream;
      // A catalogue entry's restore needs what its restore command needs.
      const access::Need need =
          stream == catalog::CatalogStream() ? access::Need::kReferenceData : access::Need::kWrite;
      return Run(inner, stream, [&](ReadModel&, AppendBatch* batch) -> Result<json> {
        std::vector<std::string> raw_stream;
        CRM_RETURN_IF_ERROR(ledger_->ReadStream(stream, [&](LedgerSeq, std::string_view record) {
          raw_stream.emplace_back(record);
          return true;
        }));
        std::vector<const fb::Envelope*> envs;
        for (const std::string& record : raw_stream) {
          CRM_ASSIGN_OR_RETURN(const fb::Envelope* env, DecodeEnvelope(record));
          envs.push_back(env);
        }
        CRM_ASSIGN_OR_RETURN(batch->events, undo::CompensateRestore(target, envs));
        const std::string no = plan.label.empty() ? plan.target.ToString() : plan.label;
        return json{{"no", no}, {"events", batch->events.size()}, {"changed", !batch->events.empty()}};
      }, need);
    }
    case undo::Kind::kGoBack:
    case undo::Kind::kRedo: {
      Store::Txn txn(store_.get());
      ReadModel rm(store_.get(), &txn);
      CRM_ASSIGN_OR_RETURN(auto header, rm.Segment(plan.target));
      if (!header) return Status::NotFound("segment " + plan.target.ToString() + " does not exist");
      CRM_RETURN_IF_ERROR(undo::CheckSegmentPosition(target, plan, header->active));
      if (plan.kind == undo::Kind::kGoBack) return Segment(inner, segment::GoBack{Ctx(r), plan.target});
      return Segment(inner, segment::Redo{Ctx(r), plan.target});
    }
  }
  return Status::Internal("unknown undo plan");
}

Result<json> Handler::UndoImport(const Request& r, const CommandId& target) {
  CRM_ASSIGN_OR_RETURN(auto done, ledger_->FindCommand(r.command_id));
  if (done) return Repeat(r);  // answered as the first time
  std::vector<CommandId> batches;
  for (uint64_t n = 1;; ++n) {
    CommandId id(target.value() + "#" + std::to_string(n));
    CRM_ASSIGN_OR_RETURN(auto found, ledger_->FindCommand(id));
    if (!found) break;
    batches.push_back(std::move(id));
  }
  batches.push_back(target);
  const std::string criteria = "undo " + target.value();

  // Contacts on segment lines (a removed record must not be on any).
  std::set<RecordNo> on_lines;
  {
    Store::Txn txn(store_.get());
    ReadModel rm(store_.get(), &txn);
    std::vector<RecordNo> segments;
    CRM_RETURN_IF_ERROR(rm.ForEachSegment([&](const segment::Header& h) {
      segments.push_back(h.no);
      return true;
    }));
    for (const RecordNo& sm : segments) {
      CRM_RETURN_IF_ERROR(rm.ForEachSegmentLine(sm, [&](const RecordNo& ct, const segment::Line&) {
        on_lines.insert(ct);
        return true;
      }));
    }
  }

  // The state of `no` as its stream stood at `version`.
  auto before = [&](const RecordNo& no, uint64_t version) -> Result<std::pair<contact::ContactState, contact::LeadState>> {
    std::pair<contact::ContactState, contact::LeadState> out;
    Status inner;
    CRM_RETURN_IF_ERROR(ledger_->ReadStream(no.Stream(), [&](LedgerSeq, std::string_view record) {
      auto env = DecodeEnvelope(record);
      if (!env.ok()) {
        inner = env.status();
        return false;
      }
      if ((*env)->stream_version() > version) return false;
      auto opened = OpenRecord(**env, keyring_.get());
      if (!opened.ok()) {
        inner = opened.status();
        return false;
      }
      const fb::Envelope& e = *opened ? *fb::GetEnvelope((*opened)->data()) : **env;
      out.first = contact::EvolveContact(std::move(out.first), e);
      out.second = contact::EvolveLead(std::move(out.second), e);
      return true;
    }));
    CRM_RETURN_IF_ERROR(inner);
    return out;
  };

  // One batch's compensation. `effects` (when writing): Kafka replicas stop receiving removed
  // people's keys.
  auto compensate = [&](const undo::ImportBatch& b, ReadModel& rm, Effects* effects, json* counts) -> Result<Events> {
    CRM_ASSIGN_OR_RETURN(reference::State ref, handler_internal::InitializedReference(rm));
    undo::MembersNow now{&ref, {}, {}};
    std::set<std::pair<RecordNo, RecordNo>> import_members;
    for (const auto& key : undo::TouchedMembers(b.members)) {
      CRM_ASSIGN_OR_RETURN(auto m, rm.Member(key.first, key.second));
      now.status[key] = m ? std::optional<std::string>(m->status) : std::nullopt;
      import_members.insert(key);
    }
    CRM_ASSIGN_OR_RETURN(Events out, undo::CompensateMembers(b.members, now, criteria));
    (*counts)["members_changed"] = counts->value("members_changed", uint64_t{0}) + out.size();
    for (const undo::ImportBatch::Record& rec : b.records) {
      const std::string no = rec.no.ToString();
      undo::ImportedNow record_now;
      CRM_ASSIGN_OR_RETURN(record_now.version, ledger_->Version(rec.no.Stream()));
      if (rec.created) {
        CRM_ASSIGN_OR_RETURN(auto campaigns, rm.CampaignsOf(rec.no));
        for (const auto& [cp, m] : campaigns) {
          if (!import_members.count({cp, rec.no})) {
            record_now.joined = cp;
            break;
          }
        }
        ReadModel::InteractionQuery q;
        q.contact = rec.no;
        if (rec.no.kind() == RecordKind::kContact) {
          CRM_RETURN_IF_ERROR(rm.ForEachInteraction(q, [&](const InteractionRow&) { return !(record_now.logged = true); }));
        }
        record_now.on_lines = on_lines.count(rec.no) > 0;
        CRM_ASSIGN_OR_RETURN(Events removal, undo::DecideRemoveImported(rec, record_now));
        for (auto& e : removal) out.push_back(std::move(e));
        if (effects != nullptr) effects->unpublish_keys.push_back(rec.no);
        (*counts)["removed"] = counts->value("removed", uint64_t{0}) + 1;
        continue;
      }
      CRM_RETURN_IF_ERROR(undo::CheckUnchangedSinceImport(rec, record_now));
      CRM_ASSIGN_OR_RETURN(auto was, before(rec.no, rec.before));
      contact::ContactContext cx{&ref, std::nullopt, ""};
      Result<Events> ev = Status::Ok();
      const contact::Fields& f = rec.no.kind() == RecordKind::kLead ? was.second.f : was.first.f;
      const contact::FieldPatch patch = contact::PatchTo(f);
      if (rec.no.kind() == RecordKind::kLead) {
        CRM_ASSIGN_OR_RETURN(auto current, rm.Lead(rec.no));
        const contact::LeadState& w = was.second;
        const custom::Values now = current ? current->custom : custom::Values{};
        contact::ChangeLead c{Ctx(r),        rec.no, patch, w.company_name, w.lead_status, w.lead_source,
                              w.description, false, custom::PatchBackTo(w.custom, now)};
        ev = contact::DecideChangeLead(current.value_or(contact::LeadState{}), cx, c);
      } else {
        CRM_ASSIGN_OR_RETURN(auto current, rm.Contact(rec.no));
        const contact::ContactState& w = was.first;
        CRM_ASSIGN_OR_RETURN(cx.company, handler_internal::CompanyOf(rm, w.company));
        contact::ChangeContact c{Ctx(r),
                                 rec.no,
                                 patch,
                                 w.company,
                                 w.job_responsibilities,
                                 w.business_relations,
                                 w.industry_groups,
                                 w.mailing_groups,
                                 w.exclude_from_segment,
                                 false,
                                 custom::PatchBackTo(w.custom, current ? current->custom : custom::Values{})};
        ev = contact::DecideChange(current.value_or(contact::ContactState{}), cx, c);
      }
      if (!ev.ok()) return ev.status().WithContext("restoring " + no);
      if (!ev->empty()) (*counts)["restored"] = counts->value("restored", uint64_t{0}) + 1;
      for (auto& e : *ev) out.push_back(std::move(e));
    }
    return out;
  };

  json totals;
  for (const bool write : {false, true}) {
    totals = json{{"undone_import", target.value()}, {"removed", 0}, {"restored", 0}, {"members_changed", 0}};
    for (size_t k = batches.size(); k-- > 0;) {
      CRM_ASSIGN_OR_RETURN(std::vector<std::string> raw, replica_->CommandRecords(batches[k]));
      std::vector<const fb::Envelope*> records;
      for (const std::string& record : raw) {
        CRM_ASSIGN_OR_RETURN(const fb::Envelope* env, DecodeEnvelope(record));
        records.push_back(env);
      }
      CRM_ASSIGN_OR_RETURN(undo::ImportBatch b, undo::ReadImportBatch(target, records));
      if (!write) {
        Store::Txn txn(store_.get());
        ReadModel rm(store_.get(), &txn);
        json counts = totals;
        auto checked = compensate(b, rm, nullptr, &counts);
        if (!checked.ok()) {
          return Status::FailedPrecondition("import " + target.value() + " cannot be undone: " +
                                            checked.status().message());
        }
        totals = counts;
        continue;
      }
      Request br = r;
      br.undoes = target;
      br.correlation_id = r.command_id.value();
      if (k > 0) br.command_id = CommandId(r.command_id.value() + "#" + std::to_string(batches.size() - k));
      CRM_ASSIGN_OR_RETURN(json answer, Run(br, StreamId(), [&](ReadModel& rm, AppendBatch* batch, Effects* effects) -> Result<json> {
        json counts = totals;
        CRM_ASSIGN_OR_RETURN(batch->events, compensate(b, rm, effects, &counts));
        counts["changed"] = true;
        return counts;
      }));
      totals = answer;
    }
  }
  totals["changed"] = totals.value("removed", 0) + totals.value("restored", 0) + totals.value("members_changed", 0) > 0;
  return totals;
}

}  // namespace crm
