#include "projections/projector.h"

#include "aggregates/campaign.h"
#include "aggregates/contact.h"
#include "aggregates/lead.h"
#include "aggregates/membership.h"
#include "aggregates/reference.h"
#include "events/owner.h"
#include "projections/keys.h"
#include "projections/opportunity_rows.h"
#include "projections/party_rows.h"
#include "projections/rows.h"
#include "projections/interaction_rows.h"
#include "projections/task_rows.h"
#include "projections/segment_rows.h"
#include "projections/stats_rows.h"

namespace crm {
namespace {

// Rows are our own writes; a row that does not parse is corruption, reported, never skipped.
template <typename T, typename FromJson>
Result<T> LoadJsonRow(Store::Txn* txn, rocksdb::ColumnFamilyHandle* cf, const std::string& key, FromJson from) {
  auto row = txn->Get(cf, key);
  if (!row.ok()) {
    if (row.status().code() == StatusCode::kNotFound) return T{};
    return row.status();
  }
  CRM_ASSIGN_OR_RETURN(nlohmann::json j, Parse(*row));
  try {
    return from(j);
  } catch (const std::exception& e) {
    return Status::Corruption("projection row " + key.substr(0, 1) + "...: " + e.what());
  }
}

// An address in the email index: not empty, and not one whose person was erased.
bool Indexed(const std::string& email) { return !email.empty() && email != kErasedText; }

Result<RecordNo> No(const flatbuffers::String* s) {
  if (s == nullptr) return Status::Corruption("event lacks its record number");
  return RecordNo::Parse(s->string_view());
}

}  // namespace

Result<uint64_t> AddToCounter(Store::Txn* txn, rocksdb::ColumnFamilyHandle* cf, const std::string& key, int64_t delta) {
  uint64_t n = 0;
  if (auto v = txn->Get(cf, key); v.ok()) {
    n = DecodeU64(*v);
  } else if (v.status().code() != StatusCode::kNotFound) {
    return v.status();
  }
  const uint64_t after = static_cast<uint64_t>(static_cast<int64_t>(n) + delta);
  if (after == 0) {
    txn->Delete(cf, key);
  } else {
    txn->Put(cf, key, EncodeU64(after));
  }
  return n;
}

std::vector<std::string> ProjectionColumnFamilies() {
  return {kCfProjMeta, kCfReference, kCfCampaigns, kCfContacts, kCfRoster, kCfSegments, kCfInteractions};
}

std::vector<std::string> AllColumnFamilies() {
  auto all = EmbeddedLedger::ColumnFamilies();
  for (auto& cf : ProjectionColumnFamilies()) all.push_back(cf);
  all.push_back(Keyring::kColumnFamily);
  return all;
}

Projector::Projector(Store* store, KeySource* keys) : store_(store), keys_(keys) {
  if (keys_ == nullptr) {
    own_keys_ = std::make_unique<Keyring>(store);
    keys_ = own_keys_.get();
  }
}

Status Projector::Apply(LedgerSeq seq, const fb::Envelope& env, Store::Txn* txn) {
  const std::optional<Route> route = RouteOf(env.payload_type());
  if (!route) return Status::Corruption("record " + std::to_string(seq.value()) + " has no payload");
  Status s;
  route->readers.ForEach([&](Reader model) {
    if (s.ok()) s = ApplyTo(model, seq, env, txn);
  });
  CRM_RETURN_IF_ERROR(s.WithContext("projecting record " + std::to_string(seq.value())));
  txn->Put(store_->Cf(kCfProjMeta), keys::kCheckpoint, EncodeU64(seq.value()));
  return Status::Ok();
}

Status Projector::ApplyTo(Reader model, LedgerSeq seq, const fb::Envelope& env, Store::Txn* txn) {
  switch (model) {
    case Reader::kReference:
      return ApplyReference(env, txn);
    case Reader::kCatalog:
      return ApplyCatalog(env, txn);
    case Reader::kUsers:
      return ApplyUsers(env, txn);
    case Reader::kParties:
      if (contact::PersonEvents::Contains(env.payload_type())) return ApplyPerson(seq, env, txn);
      return ApplyParty(env, txn);
    case Reader::kCampaigns:
      return ApplyCampaign(env, txn);
    case Reader::kOpportunities:
      return ApplyOpportunityEvent(store_, txn, env);
    case Reader::kRoster:
      return ApplyMember(seq, env, txn);
    case Reader::kSegments:
      return ApplySegment(env, txn);
    case Reader::kInteractions:
      return ApplyInteractionEvent(store_, txn, env);
    case Reader::kTasks:
      return ApplyTaskEvent(store_, txn, env);
  }
  return Status::Internal("unknown read model");
}

Status Projector::ApplyUsers(const fb::Envelope& env, Store::Txn* txn) {
  auto* cf = store_->Cf(kCfReference);
  CRM_ASSIGN_OR_RETURN(access::State state, LoadJsonRow<access::State>(txn, cf, keys::kUsersState, UsersFromJson));
  txn->Put(cf, keys::kUsersState, Dump(ToJson(access::Evolve(std::move(state), env))));
  return Status::Ok();
}

Status Projector::ApplyCatalog(const fb::Envelope& env, Store::Txn* txn) {
  auto* cf = store_->Cf(kCfReference);
  CRM_ASSIGN_OR_RETURN(catalog::State state,
                       LoadJsonRow<catalog::State>(txn, cf, keys::kCatalogState, CatalogFromJson));
  txn->Put(cf, keys::kCatalogState, Dump(ToJson(catalog::Evolve(std::move(state), env))));
  // Attachment contents are kept once each, by hash, for the deliveries that merge them.
  if (const auto* a = env.payload_as_InteractionTemplateAttachmentSet(); a != nullptr && a->content() != nullptr) {
    txn->Put(cf, keys::Attachment(Str(a->sha256())),
             std::string_view(reinterpret_cast<const char*>(a->content()->data()), a->content()->size()));
  }
  return Status::Ok();
}

Status Projector::ApplySegment(const fb::Envelope& env, Store::Txn* txn) {
  CRM_ASSIGN_OR_RETURN(RecordNo no, RecordNo::OfStream(StreamId(Str(env.stream()))));
  auto* cf = store_->Cf(kCfSegments);
  const std::string key = keys::SegmentHeader(no);
  CRM_ASSIGN_OR_RETURN(segment::Header header,
                       LoadJsonRow<segment::Header>(txn, cf, key, [](const nlohmann::json& j) { return SegmentHeaderFromJson(j); }));
  RowLines lines(store_, txn, no);
  segment::Evolve(&header, &lines, env);
  CRM_RETURN_IF_ERROR(lines.status());
  txn->Put(cf, key, Dump(ToJson(header)));
  if (const auto* h = env.payload_as_SegmentHeaderChanged(); h != nullptr && h->attachment_content() != nullptr &&
                                                              h->attachment_content()->size() > 0) {
    txn->Put(store_->Cf(kCfReference), keys::Attachment(Str(h->attachment_sha256())),
             std::string_view(reinterpret_cast<const char*>(h->attachment_content()->data()),
                              h->attachment_content()->size()));
  }
  return Status::Ok();
}

Status Projector::ApplyReference(const fb::Envelope& env, Store::Txn* txn) {
  auto* cf = store_->Cf(kCfReference);
  CRM_ASSIGN_OR_RETURN(reference::State state,
                       LoadJsonRow<reference::State>(txn, cf, keys::kReferenceState, ReferenceFromJson));
  txn->Put(cf, keys::kReferenceState, Dump(ToJson(reference::Evolve(std::move(state), env))));
  return Status::Ok();
}

Status Projector::ApplyCampaign(const fb::Envelope& env, Store::Txn* txn) {
  auto* cf = store_->Cf(kCfCampaigns);
  CRM_ASSIGN_OR_RETURN(RecordNo no, RecordNo::OfStream(StreamId(Str(env.stream()))));
  const std::string key = keys::Campaign(no);
  // Attachment contents are kept once each, by hash, as templates' are.
  if (const auto* a = env.payload_as_CampaignAttachmentAdded(); a != nullptr && a->content() != nullptr) {
    txn->Put(store_->Cf(kCfReference), keys::Attachment(Str(a->sha256())),
             std::string_view(reinterpret_cast<const char*>(a->content()->data()), a->content()->size()));
  }
  CRM_ASSIGN_OR_RETURN(campaign::State before, LoadJsonRow<campaign::State>(txn, cf, key, CampaignFromJson));
  campaign::State after = campaign::Evolve(before, env);
  if (before.parent != after.parent) {
    if (!before.parent.empty()) txn->Delete(cf, keys::Child(RecordNo::Parse(before.parent).value(), no));
    if (!after.parent.empty()) {
      CRM_ASSIGN_OR_RETURN(RecordNo parent, RecordNo::Parse(after.parent));
      txn->Put(cf, keys::Child(parent, no), "");
    }
  }
  if (before.source != after.source || before.source_id != after.source_id) {
    if (!before.source_id.empty()) txn->Delete(cf, keys::SourceId(before.source, before.source_id, no));
    if (after.exists && !after.source_id.empty()) txn->Put(cf, keys::SourceId(after.source, after.source_id, no), "");
  }
  txn->Put(cf, key, Dump(ToJson(after)));
  // The target group: replaced whole by an activation, dropped by a deactivation.
  const auto* activated = env.payload_as_CampaignActivated();
  if (activated != nullptr || env.payload_type() == fb::Event::CampaignDeactivated) {
    std::vector<std::string> old;
    const std::string prefix = "g" + SortKey(no);
    CRM_RETURN_IF_ERROR(txn->ScanPrefix(cf, prefix, [&](std::string_view k, std::string_view) {
      old.emplace_back(k.substr(prefix.size()));
    }));
    for (const std::string& target : old) {
      txn->Delete(cf, prefix + target);
      txn->Delete(cf, "y" + target + SortKey(no));
    }
    if (activated != nullptr && activated->targets() != nullptr) {
      for (const auto* t : *activated->targets()) {
        CRM_ASSIGN_OR_RETURN(RecordNo contact, RecordNo::Parse(t->string_view()));
        txn->Put(cf, keys::CampaignTarget(no, contact), "");
        txn->Put(cf, keys::TargetedBy(contact, no), "");
      }
    }
  }
  return Status::Ok();
}

namespace {

// The contact or lead an event on its stream is about.
const flatbuffers::String* PartyNo(const fb::Envelope& env) {
  if (const auto* e = env.payload_as_ContactCreated()) return e->no();
  if (const auto* e = env.payload_as_ContactChanged()) return e->no();
  if (const auto* e = env.payload_as_ConsentRecorded()) return e->no();
  if (const auto* e = env.payload_as_LeadCreated()) return e->no();
  if (const auto* e = env.payload_as_LeadChanged()) return e->no();
  if (const auto* e = env.payload_as_PersonalDataErased()) return e->no();
  if (const auto* e = env.payload_as_LeadConverted()) return e->no();
  if (const auto* e = env.payload_as_RecordDeleted()) return e->no();
  return nullptr;
}

contact::ContactState Evolved(contact::ContactState s, const fb::Envelope& env) {
  return contact::EvolveContact(std::move(s), env);
}
contact::LeadState Evolved(contact::LeadState s, const fb::Envelope& env) {
  return contact::EvolveLead(std::move(s), env);
}

// The company index keys of a contact (keys.h 'f', 'd'): none unless it is an existing company
// not erased, and none for a lead.
std::vector<std::string> CompanyKeys(const contact::ContactState& s, const RecordNo& no) {
  std::vector<std::string> out;
  if (!s.exists || s.erased || s.type != fb::ContactType::Company) return out;
  if (std::string name = contact::CompanyNameKey(s.f.name); !name.empty()) out.push_back(keys::CompanyName(name, no));
  if (std::string domain = contact::CompanyEmailDomain(s.f.email); !domain.empty()) {
    out.push_back(keys::CompanyDomain(domain, no));
  }
  return out;
}
std::vector<std::string> CompanyKeys(const contact::LeadState&, const RecordNo&) { return {}; }

// The index keys of a record: its companies' (above) and its source id's (keys.h 'i').
template <typename State>
std::vector<std::string> IndexKeys(const State& s, const RecordNo& no) {
  std::vector<std::string> out = CompanyKeys(s, no);
  if (s.exists && !s.f.source_id.empty()) out.push_back(keys::SourceId(s.f.source, s.f.source_id, no));
  return out;
}

}  // namespace

template <typename Fn>
Status Projector::UpdateParty(const RecordNo& no, Store::Txn* txn, Fn fn, bool created) {
  auto* cf = store_->Cf(kCfContacts);
  auto update = [&](auto state) {
    const std::string email = state.f.email;
    const std::vector<std::string> indexed = IndexKeys(state, no);
    if (!fn(&state)) return;
    if (Lower(email) != Lower(state.f.email)) {
      if (Indexed(email)) txn->Delete(cf, keys::Email(Lower(email), no));
      if (Indexed(state.f.email)) txn->Put(cf, keys::Email(Lower(state.f.email), no), "");
    }
    if (std::vector<std::string> now = IndexKeys(state, no); now != indexed) {
      for (const std::string& k : indexed) txn->Delete(cf, k);
      for (const std::string& k : now) txn->Put(cf, k, "");  // after the deletes: a key kept stays
    }
    txn->Put(cf, keys::Party(no), EncodeParty(state));
  };
  // A number is created once: its row cannot exist yet (one read less per created record).
  std::optional<std::string> row;
  if (!created) {
    if (auto v = txn->Get(cf, keys::Party(no)); v.ok()) {
      row = std::move(*v);
    } else if (v.status().code() != StatusCode::kNotFound) {
      return v.status();
    }
  }
  if (no.kind() == RecordKind::kLead) {
    contact::LeadState lead;
    if (row) {
      CRM_ASSIGN_OR_RETURN(lead, DecodeLead(*row));
    }
    update(std::move(lead));
  } else {
    contact::ContactState person;
    if (row) {
      CRM_ASSIGN_OR_RETURN(person, DecodeContact(*row));
    }
    update(std::move(person));
  }
  return Status::Ok();
}

Status Projector::ApplyParty(const fb::Envelope& sealed, Store::Txn* txn) {
  CRM_ASSIGN_OR_RETURN(std::optional<std::string> opened, OpenRecord(sealed, keys_));
  const fb::Envelope& env = opened ? *fb::GetEnvelope(opened->data()) : sealed;
  CRM_ASSIGN_OR_RETURN(RecordNo no, No(PartyNo(env)));
  const bool created = env.payload_type() == fb::Event::ContactCreated || env.payload_type() == fb::Event::LeadCreated;
  return UpdateParty(
      no, txn,
      [&](auto* state) {
        *state = Evolved(std::move(*state), env);
        return true;
      },
      created);
}

Status Projector::Scrub(const RecordNo& no, Store::Txn* txn) {
  return UpdateParty(no, txn, [](auto* state) {
    if (!state->exists) return false;  // made after the snapshot
    contact::MaskErased(state);
    return true;
  });
}

Status Projector::ApplyPerson(LedgerSeq seq, const fb::Envelope& env, Store::Txn* txn) {
  Status s;
  bool erasure = false;  // erased or removed: as-of views older than this record scrub the person
  Visit(contact::PersonEvents{}, env,
        Overloaded{[&](const fb::ConsentRecorded*) { s = ApplyParty(env, txn); },
                   [&](const fb::PersonalDataErased*) {
                     s = ApplyErasure(env, txn);
                     erasure = true;
                   },
                   [&](const fb::RecordRemoved*) {
                     s = ApplyRemoval(env, txn);
                     erasure = true;
                   },
                   [&](const fb::RecordDeleted*) { s = ApplyParty(env, txn); }});
  CRM_RETURN_IF_ERROR(s);
  if (erasure) txn->Put(store_->Cf(kCfProjMeta), keys::kLastErasure, EncodeU64(seq.value()));
  return Status::Ok();
}

Status Projector::ApplyErasure(const fb::Envelope& env, Store::Txn* txn) {
  const auto* e = env.payload_as_PersonalDataErased();
  CRM_RETURN_IF_ERROR(Keyring::Destroy(store_, Str(e->no()), txn));
  return ApplyParty(env, txn);
}

Status Projector::ApplyRemoval(const fb::Envelope& env, Store::Txn* txn) {
  const auto* e = env.payload_as_RecordRemoved();
  CRM_ASSIGN_OR_RETURN(RecordNo no, No(e->no()));
  CRM_RETURN_IF_ERROR(Keyring::Destroy(store_, no.ToString(), txn));
  auto* cf = store_->Cf(kCfContacts);
  std::string email;
  std::vector<std::string> indexed;
  CRM_RETURN_IF_ERROR(UpdateParty(no, txn, [&](auto* state) {
    email = state->f.email;
    indexed = IndexKeys(*state, no);
    return false;
  }));
  if (Indexed(email)) txn->Delete(cf, keys::Email(Lower(email), no));
  for (const std::string& k : indexed) txn->Delete(cf, k);
  txn->Delete(cf, keys::Party(no));
  return Status::Ok();
}

Status Projector::ApplyMember(LedgerSeq seq, const fb::Envelope& env, Store::Txn* txn) {
  auto* cf = store_->Cf(kCfRoster);
  if (const auto* moved = env.payload_as_MemberMoved()) return ApplyMemberMoved(seq, *moved, txn);
  const flatbuffers::String* campaign_text = nullptr;
  const flatbuffers::String* member_text = nullptr;
  Visit(membership::FoldedEvents{}, env, [&](const auto* e) {
    campaign_text = e->campaign();
    member_text = e->member();
  });
  CRM_ASSIGN_OR_RETURN(RecordNo cp, No(campaign_text));
  CRM_ASSIGN_OR_RETURN(RecordNo member, No(member_text));
  const std::string key = keys::Member(cp, member);

  membership::Membership before;
  if (auto row = txn->Get(cf, key); row.ok()) {
    CRM_ASSIGN_OR_RETURN(before, DecodeMembership(*row));
  } else if (row.status().code() != StatusCode::kNotFound) {
    return row.status();
  }
  const membership::Membership after = membership::Evolve(before, env);

  if (before.exists) {
    CRM_RETURN_IF_ERROR(AddToCounter(txn, cf, keys::Count(cp, before.status), -1).status());
    CRM_RETURN_IF_ERROR(AddToCounter(txn, cf, keys::Total(before.status), -1).status());
  }
  if (after.exists) {
    CRM_RETURN_IF_ERROR(AddToCounter(txn, cf, keys::Count(cp, after.status), +1).status());
    CRM_RETURN_IF_ERROR(AddToCounter(txn, cf, keys::Total(after.status), +1).status());
    txn->Put(cf, key, EncodeMembership(after));
  } else {
    txn->Delete(cf, key);
  }
  txn->Append(cf, keys::History(cp, member, seq.value()), "");  // write-once
  return ChangeFigures(store_, txn, cp, FiguresOf(before, member.kind()), FiguresOf(after, member.kind()));
}

Status Projector::ApplyMemberMoved(LedgerSeq seq, const fb::MemberMoved& e, Store::Txn* txn) {
  auto* cf = store_->Cf(kCfRoster);
  CRM_ASSIGN_OR_RETURN(RecordNo cp, No(e.campaign()));
  CRM_ASSIGN_OR_RETURN(RecordNo from, No(e.from()));
  CRM_ASSIGN_OR_RETURN(RecordNo to, No(e.to()));
  const std::string from_key = keys::Member(cp, from);
  auto row = txn->Get(cf, from_key);
  if (row.status().code() == StatusCode::kNotFound) {
    return Status::Corruption("record " + std::to_string(seq.value()) + " moves the membership of " + from.ToString() +
                              " in " + cp.ToString() + ", which the roster does not hold");
  }
  CRM_RETURN_IF_ERROR(row.status());
  CRM_ASSIGN_OR_RETURN(membership::Membership m, DecodeMembership(*row));
  // The status counts stand: the same membership, under another member.
  txn->Delete(cf, from_key);
  txn->Put(cf, keys::Member(cp, to), EncodeMembership(m));
  CRM_RETURN_IF_ERROR(AddToCounter(txn, cf, keys::Converted(cp), +1).status());
  // The history moves along: the contact's reads on from the lead's (queries.cc MemberHistory).
  txn->Put(cf, keys::MovedFrom(cp, to), from.ToString());
  txn->Append(cf, keys::History(cp, from, seq.value()), "");
  return ChangeFigures(store_, txn, cp, FiguresOf(m, from.kind()), FiguresOf(m, to.kind()));
}

}  // namespace crm
