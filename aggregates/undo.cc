#include "aggregates/undo.h"

#include <map>
#include <optional>
#include <set>

#include "aggregates/campaign_prices.h"
#include "aggregates/catalog.h"
#include "aggregates/task.h"

namespace crm::undo {
namespace {

bool IsMemberEvent(fb::Event t) {
  return t == fb::Event::MemberAdded || t == fb::Event::MemberRemoved || t == fb::Event::MemberStatusUpdated;
}

Status Refuse(const CommandId& id, const std::string& why) {
  return Status::FailedPrecondition("command " + id.value() + " cannot be undone: " + why);
}

std::string MemberText(const MemberKey& k) { return k.second.ToString() + " in " + k.first.ToString(); }

bool IsTaskChange(fb::Event t) { return t == fb::Event::TaskChanged; }
bool IsCampaignRestorable(fb::Event t) {
  return t == fb::Event::CampaignPriceSet || t == fb::Event::CampaignPriceRemoved ||
         t == fb::Event::CampaignActivated || t == fb::Event::CampaignDeactivated ||
         t == fb::Event::CampaignAttachmentAdded || t == fb::Event::CampaignAttachmentRemoved;
}
bool IsActivation(fb::Event t) { return t == fb::Event::CampaignActivated || t == fb::Event::CampaignDeactivated; }

// A state folded from the first `n` records of a stream.
template <typename State>
State FoldFirst(const std::vector<const fb::Envelope*>& stream, size_t n) {
  State s;
  for (size_t i = 0; i < n; ++i) s = Evolve(std::move(s), *stream[i]);
  return s;
}

bool SameFields(const task::State& a, const task::State& b) {
  return a.type == b.type && a.description == b.description && a.status == b.status && a.priority == b.priority &&
         a.due == b.due && a.salesperson == b.salesperson && a.contact == b.contact && a.campaign == b.campaign &&
         a.opportunity == b.opportunity;
}

std::optional<campaign::PriceLine> LineOf(const campaign::State& s, const campaign::PriceLine& key) {
  for (const auto& line : s.prices) {
    if (campaign::SameKey(line, key)) return line;
  }
  return std::nullopt;
}

std::optional<campaign::Attachment> AttachmentOf(const campaign::State& s, const std::string& file_name) {
  for (const auto& a : s.attachments) {
    if (a.file_name == file_name) return a;
  }
  return std::nullopt;
}


// A deletion or restore (RecordDeleted, CampaignDeleted, SegmentDeleted, CatalogEntryDeleted):
// what it deleted (a record number, or "salesperson SP1") and whether it restored; the event that
// restores it.
bool IsDeletion(const fb::Envelope& env) {
  const fb::Event t = env.payload_type();
  return t == fb::Event::RecordDeleted || t == fb::Event::CampaignDeleted || t == fb::Event::SegmentDeleted ||
         t == fb::Event::CatalogEntryDeleted;
}
std::pair<std::string, bool> DeletionOf(const fb::Envelope& env) {
  if (const auto* e = env.payload_as_CampaignDeleted()) return {Str(e->no()), e->restored()};
  if (const auto* e = env.payload_as_SegmentDeleted()) return {Str(e->no()), e->restored()};
  if (const auto* e = env.payload_as_CatalogEntryDeleted()) {
    return {catalog::EntryKindName(e->kind()) + " " + Str(e->code()), e->restored()};
  }
  const auto* e = env.payload_as_RecordDeleted();
  return {Str(e->no()), e->restored()};
}
template <typename T, typename Table>
NewEvent Restored(const StreamId& on, const Table* deleted) {
  T e;
  e.no = Str(deleted->no());
  e.restored = true;
  return MakeEvent(on, std::move(e));
}
NewEvent RestoreOf(const fb::Envelope& deletion) {
  const StreamId on(Str(deletion.stream()));
  if (const auto* e = deletion.payload_as_CampaignDeleted()) return Restored<fb::CampaignDeletedT>(on, e);
  if (const auto* e = deletion.payload_as_SegmentDeleted()) return Restored<fb::SegmentDeletedT>(on, e);
  if (const auto* e = deletion.payload_as_CatalogEntryDeleted()) {
    fb::CatalogEntryDeletedT restore;
    restore.kind = e->kind();
    restore.code = Str(e->code());
    restore.restored = true;
    return MakeEvent(on, std::move(restore));
  }
  return Restored<fb::RecordDeletedT>(on, deletion.payload_as_RecordDeleted());
}

}  // namespace

Status CheckNotUndone(const CommandId& id, const std::map<std::string, std::string>& undone_by) {
  std::optional<std::string> by;
  std::string at = id.value();
  size_t links = 0;
  for (; links <= undone_by.size(); ++links) {  // a cycle cannot be written; bounded anyway
    auto it = undone_by.find(at);
    if (it == undone_by.end() || it->second.find('#') != std::string::npos) break;
    by = at = it->second;
  }
  if (links % 2 == 0) return Status::Ok();
  return Status::FailedPrecondition("command " + id.value() + " was already undone (by command " + *by +
                                    "; undo that one to apply it again)");
}

Result<Plan> Classify(const CommandId& id, const std::vector<const fb::Envelope*>& records) {
  if (records.empty()) return Refuse(id, "it wrote no events");
  std::set<fb::Event> types;
  for (const auto* env : records) types.insert(env->payload_type());
  if (types.count(fb::Event::DeliveryAttempted) || types.count(fb::Event::DeliveryCompleted)) {
    return Refuse(id, "it sent messages, and a delivered email stays delivered (cancel the logged segment to take "
                      "its entries out of the statistics)");
  }
  if (types.count(fb::Event::SegmentLogged) || types.count(fb::Event::LoggedSegmentCreated) ||
      types.count(fb::Event::InteractionLogged) || types.count(fb::Event::CampaignEntryLogged)) {
    return Refuse(id, "it logged interactions; cancel them instead (logged-segment cancel, campaign-entry cancel, "
                      "interaction cancel)");
  }
  if (types.count(fb::Event::EntryDeleted)) return Refuse(id, "a deletion is final");
  if (std::all_of(types.begin(), types.end(), IsMemberEvent)) return Plan{Kind::kMembers, RecordNo(), 0, false, {}, ""};

  const fb::Envelope& first = *records.front();
  const bool one_type = types.size() == 1;
  if (one_type && first.payload_type() == fb::Event::SegmentStepTaken) {
    const auto* e = first.payload_as_SegmentStepTaken();
    for (const auto* env : records) {
      const auto* part = env->payload_as_SegmentStepTaken();
      if (Str(part->no()) != Str(e->no()) || part->step() != e->step()) return Refuse(id, "it took steps on several segments");
    }
    return Plan{Kind::kGoBack, NoOf(e->no()), e->step(), false, {}, ""};
  }
  if (one_type && records.size() == 1 && first.payload_type() == fb::Event::SegmentStepRedone) {
    const auto* e = first.payload_as_SegmentStepRedone();
    return Plan{Kind::kGoBack, NoOf(e->no()), e->step(), false, {}, ""};
  }
  if (one_type && records.size() == 1 && first.payload_type() == fb::Event::SegmentStepUndone) {
    const auto* e = first.payload_as_SegmentStepUndone();
    return Plan{Kind::kRedo, NoOf(e->no()), e->step(), false, {}, ""};
  }
  if (one_type && records.size() == 1 && IsDeletion(first)) {
    const auto [no, restored] = DeletionOf(first);
    if (restored) {
      return Refuse(id, "it restored " + no + "; delete it again with its delete command, which checks what still "
                        "needs it");
    }
    if (first.payload_type() == fb::Event::CatalogEntryDeleted) {  // no record number: named by kind and code
      return Plan{Kind::kRestore, RecordNo(), 0, false, StreamId(Str(first.stream())), no};
    }
    CRM_ASSIGN_OR_RETURN(RecordNo target, RecordNo::Parse(no));
    return Plan{Kind::kRestore, target, 0, false, {}, ""};
  }
  if (std::all_of(types.begin(), types.end(), IsTaskChange) || std::all_of(types.begin(), types.end(), IsCampaignRestorable)) {
    for (const auto* env : records) {
      if (Str(env->stream()) != Str(first.stream())) return Refuse(id, "it changed several records");
    }
    CRM_ASSIGN_OR_RETURN(RecordNo no, RecordNo::OfStream(StreamId(Str(first.stream()))));
    return Plan{Kind::kRestore, no, 0, false, {}, ""};
  }
  // A cancel (or its undo) of a logged segment names it first; of an entry, the entry.
  for (const auto* env : records) {
    if (const auto* e = env->payload_as_LoggedSegmentCanceled()) {
      return Plan{Kind::kCancel, NoOf(e->no()), 0, e->undo(), {}, ""};
    }
  }
  // A cancel carries the member changes that take back its responses (handler: TakeBack).
  const bool cancel_and_members = first.payload_type() == fb::Event::EntryCanceled &&
                                  std::all_of(records.begin() + 1, records.end(), [](const fb::Envelope* env) {
                                    return IsMemberEvent(env->payload_type());
                                  });
  if (cancel_and_members) {
    const auto* e = first.payload_as_EntryCanceled();
    return Plan{Kind::kCancel, NoOf(e->entry()), 0, e->undo(), {}, ""};
  }
  std::string names;
  for (fb::Event t : types) {
    if (!IsMemberEvent(t)) names += (names.empty() ? "" : ", ") + std::string(fb::EnumNameEvent(t));
  }
  return Refuse(id, "undo covers member changes, segment steps, cancellations, deletions, task changes and a "
                    "campaign's prices, activation and attachments; it wrote " + names);
}

Result<ImportBatch> ReadImportBatch(const CommandId& id, const std::vector<const fb::Envelope*>& records) {
  ImportBatch batch;
  std::map<std::string, size_t> at;  // stream -> index in batch.records
  for (const auto* env : records) {
    const fb::Event t = env->payload_type();
    if (IsMemberEvent(t)) {
      batch.members.push_back(env);
      continue;
    }
    const bool created = t == fb::Event::ContactCreated || t == fb::Event::LeadCreated;
    if (t == fb::Event::CampaignCreated || t == fb::Event::CampaignChanged) {
      return Refuse(id, "an import of campaigns is not undone, as a campaign's creation is not (crmctl campaign "
                        "delete takes a campaign out)");
    }
    if (!created && t != fb::Event::ContactChanged && t != fb::Event::LeadChanged && t != fb::Event::ConsentRecorded) {
      return Refuse(id, std::string("an import does not write ") + fb::EnumNameEvent(t));
    }
    const std::string stream = Str(env->stream());
    auto [it, fresh] = at.emplace(stream, batch.records.size());
    if (fresh) {
      CRM_ASSIGN_OR_RETURN(RecordNo no, RecordNo::OfStream(StreamId(stream)));
      batch.records.push_back({no, env->stream_version() - 1, env->stream_version(), created});
    }
    batch.records[it->second].after = env->stream_version();
  }
  return batch;
}

Status CheckSegmentPosition(const CommandId& id, const Plan& plan, uint32_t active) {
  const uint32_t want = plan.kind == Kind::kRedo ? plan.step - 1 : plan.step;
  if (active == want) return Status::Ok();
  return Refuse(id, "segment " + plan.target.ToString() + " is at step " + std::to_string(active) + ", not " +
                        std::to_string(want) + " (go back or redo to there first)");
}

std::vector<MemberKey> TouchedMembers(const std::vector<const fb::Envelope*>& records) {
  std::set<MemberKey> keys;
  for (const auto* env : records) {
    if (const auto* e = env->payload_as_MemberAdded()) keys.emplace(NoOf(e->campaign()), NoOf(e->member()));
    if (const auto* e = env->payload_as_MemberRemoved()) keys.emplace(NoOf(e->campaign()), NoOf(e->member()));
    if (const auto* e = env->payload_as_MemberStatusUpdated()) keys.emplace(NoOf(e->campaign()), NoOf(e->member()));
  }
  return {keys.begin(), keys.end()};
}

Status CheckWholeImport(const CommandId& id, bool last_batch) {
  if (last_batch) return Status::Ok();
  const std::string whole = id.value().substr(0, id.value().rfind('#'));
  return Status::FailedPrecondition("command " + id.value() + " is one batch of import " + whole +
                                    ": undo the import as a whole (crmctl undo " + whole + ")");
}

Status CheckUnchangedSinceImport(const ImportBatch::Record& rec, const ImportedNow& now) {
  if (now.version.value() == rec.after) return Status::Ok();
  const std::string no = rec.no.ToString();
  return Status::FailedPrecondition(no + " changed after the import (crmctl history " + no +
                                    "); undo or revert that change first");
}

Result<Events> DecideRemoveImported(const ImportBatch::Record& rec, const ImportedNow& now) {
  CRM_RETURN_IF_ERROR(CheckUnchangedSinceImport(rec, now));
  const std::string no = rec.no.ToString();
  if (now.joined) {
    return Status::FailedPrecondition(no + " became a member of " + now.joined->ToString() +
                                      " after the import; remove it there first");
  }
  if (now.logged) return Status::FailedPrecondition(no + " has interaction log entries since the import");
  if (now.on_lines) return Status::FailedPrecondition(no + " is on a segment's lines since the import");
  fb::RecordRemovedT e;
  e.no = no;
  return Events{MakeEvent(rec.no.Stream(), std::move(e))};
}

Result<Events> CompensateMembers(const std::vector<const fb::Envelope*>& records, const MembersNow& now,
                                 const std::string& criteria) {
  auto status = now.status;  // walked back change by change
  auto expect = [&](const MemberKey& k, const std::optional<std::string>& left) -> Status {
    const std::optional<std::string>& is = status[k];
    if (is == left) return Status::Ok();
    const std::string was = left ? "status " + *left : "not a member";
    const std::string now_text = is ? "status " + *is : "not a member";
    return Status::FailedPrecondition(MemberText(k) + " changed after the command (it left " + was + ", now " +
                                      now_text + "); undo the later change first");
  };
  auto responded = [&](const std::string& name) -> Result<bool> {
    const auto* def = now.reference->FindStatus(name);
    if (def == nullptr)
      return Status::FailedPrecondition("member status '" + name + "' is no longer defined; add it back first");
    return def->responded;
  };
  Events out;
  for (auto it = records.rbegin(); it != records.rend(); ++it) {
    const fb::Envelope& env = **it;
    if (const auto* e = env.payload_as_MemberAdded()) {
      const MemberKey k{NoOf(e->campaign()), NoOf(e->member())};
      CRM_RETURN_IF_ERROR(expect(k, Str(e->status())));
      fb::MemberRemovedT r;
      r.campaign = Str(e->campaign());
      r.member = Str(e->member());
      r.status = Str(e->status());
      r.how = fb::MemberHow::Undo;
      r.criteria = criteria;
      out.push_back(MakeEvent(k.first.Stream(), std::move(r)));
      status[k] = std::nullopt;
    } else if (const auto* e = env.payload_as_MemberRemoved()) {
      const MemberKey k{NoOf(e->campaign()), NoOf(e->member())};
      CRM_RETURN_IF_ERROR(expect(k, std::nullopt));
      if (auto conv = now.converted.find(k.second); conv != now.converted.end()) {
        return Status::FailedPrecondition("lead " + k.second.ToString() + " was converted to contact " + conv->second +
                                          " since: its memberships moved there, and undo gives it none back");
      }
      fb::MemberAddedT a;
      a.campaign = Str(e->campaign());
      a.member = Str(e->member());
      a.status = Str(e->status());
      CRM_ASSIGN_OR_RETURN(a.responded, responded(a.status));
      a.how = fb::MemberHow::Undo;
      a.criteria = criteria;
      out.push_back(MakeEvent(k.first.Stream(), std::move(a)));
      status[k] = Str(e->status());
    } else if (const auto* e = env.payload_as_MemberStatusUpdated()) {
      const MemberKey k{NoOf(e->campaign()), NoOf(e->member())};
      CRM_RETURN_IF_ERROR(expect(k, Str(e->status())));
      fb::MemberStatusUpdatedT u;
      u.campaign = Str(e->campaign());
      u.member = Str(e->member());
      u.from_status = Str(e->status());
      u.status = Str(e->from_status());
      CRM_ASSIGN_OR_RETURN(u.responded, responded(u.status));
      u.how = fb::MemberHow::Undo;
      u.criteria = criteria;
      out.push_back(MakeEvent(k.first.Stream(), std::move(u)));
      status[k] = Str(e->from_status());
    }
  }
  return out;
}

Result<Events> CompensateRestore(const CommandId& id, const std::vector<const fb::Envelope*>& stream) {
  size_t first = stream.size(), last = 0;
  for (size_t i = 0; i < stream.size(); ++i) {
    if (Str(stream[i]->command_id()) != id.value()) continue;
    first = std::min(first, i);
    last = i;
  }
  if (first == stream.size()) return Status::Internal("command " + id.value() + " has no records on its stream");
  const std::string changed_since = " changed since (by a later command; undo that first)";

  if (IsDeletion(*stream[first])) {  // a deletion (Classify refuses the undo of a restore)
    const std::string no = DeletionOf(*stream[first]).first;
    for (size_t i = last + 1; i < stream.size(); ++i) {
      if (IsDeletion(*stream[i]) && DeletionOf(*stream[i]).first == no) return Refuse(id, no + changed_since);
    }
    return Events{RestoreOf(*stream[first])};
  }
  if (stream[first]->payload_type() == fb::Event::TaskChanged) {
    const auto before = FoldFirst<task::State>(stream, first);
    const auto after = FoldFirst<task::State>(stream, last + 1);
    const auto now = FoldFirst<task::State>(stream, stream.size());
    if (!SameFields(after, now)) return Refuse(id, "task " + now.no.ToString() + changed_since);
    if (SameFields(before, now)) return Events{};
    return Events{task::ChangedTo(before)};
  }

  const auto before = FoldFirst<campaign::State>(stream, first);
  const auto after = FoldFirst<campaign::State>(stream, last + 1);
  const auto now = FoldFirst<campaign::State>(stream, stream.size());
  Events out;
  std::vector<campaign::PriceLine> keys;  // each line the command touched, once
  std::vector<std::string> files;         // each attachment it touched, once
  bool activation = false;
  for (size_t i = first; i <= last; ++i) {
    const fb::Envelope& env = *stream[i];
    activation = activation || IsActivation(env.payload_type());
    std::string file;
    if (const auto* e = env.payload_as_CampaignAttachmentAdded()) file = Str(e->file_name());
    if (const auto* e = env.payload_as_CampaignAttachmentRemoved()) file = Str(e->file_name());
    if (!file.empty() && std::find(files.begin(), files.end(), file) == files.end()) files.push_back(file);
    campaign::PriceLine key;
    if (const auto* e = env.payload_as_CampaignPriceSet()) {
      key = {Str(e->item()), Str(e->unit()), e->min_qty(), false, 0};
    } else if (const auto* e = env.payload_as_CampaignPriceRemoved()) {
      key = {Str(e->item()), Str(e->unit()), e->min_qty(), false, 0};
    } else {
      continue;
    }
    if (std::none_of(keys.begin(), keys.end(), [&](const auto& k) { return campaign::SameKey(k, key); })) {
      keys.push_back(key);
    }
  }
  for (const auto& key : keys) {
    const auto was = LineOf(before, key), left = LineOf(after, key), is = LineOf(now, key);
    if (left != is) return Refuse(id, "the price of campaign " + now.no.ToString() + " for " + campaign::LineText(key) + changed_since);
    if (was == is) continue;
    out.push_back(was ? campaign::PriceSetEvent(now.no, *was) : campaign::PriceRemovedEvent(now.no, key));
  }
  for (const std::string& file : files) {
    const auto was = AttachmentOf(before, file), left = AttachmentOf(after, file), is = AttachmentOf(now, file);
    if (left != is) return Refuse(id, "attachment '" + file + "' of campaign " + now.no.ToString() + changed_since);
    if (was == is) continue;
    if (!was) {
      out.push_back(campaign::AttachmentRemovedEvent(now.no, file));
      continue;
    }
    // Its content is in the record that added it, the last one of that name before the command.
    for (size_t i = first; i-- > 0;) {
      const auto* e = stream[i]->payload_as_CampaignAttachmentAdded();
      if (e == nullptr || Str(e->file_name()) != file) continue;
      const std::string_view content = e->content() == nullptr ? std::string_view()
          : std::string_view(reinterpret_cast<const char*>(e->content()->data()), e->content()->size());
      out.push_back(campaign::AttachmentAddedEvent(now.no, file, content, Str(e->sha256())));
      break;
    }
  }
  if (activation) {
    std::optional<std::vector<RecordNo>> group;  // the target group in effect before the command
    for (size_t i = 0; i < stream.size(); ++i) {
      const fb::Envelope& env = *stream[i];
      if (i > last && IsActivation(env.payload_type())) {
        return Refuse(id, "the activation of campaign " + now.no.ToString() + changed_since);
      }
      if (i >= first) continue;
      if (const auto* e = env.payload_as_CampaignActivated()) {
        group.emplace();
        if (e->targets() != nullptr) {
          for (const auto* t : *e->targets()) group->push_back(NoOf(t));
        }
      } else if (env.payload_type() == fb::Event::CampaignDeactivated) {
        group.reset();
      }
    }
    if (group) {
      out.push_back(campaign::ActivatedEvent(now.no, *group));
    } else if (now.active) {
      out.push_back(campaign::DeactivatedEvent(now.no));
    }
  }
  return out;
}

}  // namespace crm::undo
