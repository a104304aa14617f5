// Given/then helpers for the aggregate tests; see aggregate_test_util.h for the contract.
#include "tests/aggregates/aggregate_test_util.h"

#include <stdexcept>

namespace crm::testing {

Timestamp Ts(std::string_view text) { return ParseTimestamp(text).value(); }
Date Day(std::string_view text) { return ParseDate(text).value(); }
RecordNo No(std::string_view text) { return RecordNo::Parse(text).value(); }
CommandContext Ctx() { return CommandContext{Actor("alice"), Ts(kNow)}; }

const fb::Envelope& EnvelopeLog::Append(const NewEvent& event) {
  EnvelopeHeader h;
  h.seq = LedgerSeq(records_.size() + 1);
  h.stream = event.stream;
  h.stream_version = StreamVersion(++stream_versions_[event.stream.value()]);
  h.event_id = "event-" + std::to_string(records_.size() + 1);
  h.command_id = CommandId("command-" + std::to_string(records_.size() + 1));
  h.actor = Actor(actor_);
  h.recorded_at = at_;
  records_.push_back(EncodeEnvelope(h, event.payload, prev_));
  // The verifying decoder, as a replay would use it: a given event that does not survive the
  // codec is a broken test, not a passing one.
  Result<const fb::Envelope*> env = DecodeEnvelope(records_.back());
  if (!env.ok()) throw std::logic_error("given event does not decode: " + env.status().ToString());
  prev_ = StoredHash(**env);
  return **env;
}

std::string Emitted(const Result<Events>& r) {
  if (!r.ok()) return "error: " + r.status().ToString();
  if (r->empty()) return "nothing";
  std::string out;
  for (const auto& e : *r) {
    if (!out.empty()) out += ' ';
    out += EventTypeName(e.payload.type);
  }
  return out;
}

StatusCode ErrorOf(const Result<Events>& r) { return r.status().code(); }

NewEvent DataSetInitialized(std::string currency) {
  fb::DataSetInitializedT e;
  e.currency = std::move(currency);
  return MakeEvent(ReferenceStream(), std::move(e));
}

// MemberStatusAdded and MemberStatusChanged carry the same fields.
template <typename T>
NewEvent StatusDefinition(std::string name, int32_t order, StatusFlags flags) {
  T e;
  e.name = std::move(name);
  e.display_order = order;
  e.responded = (flags & kResponded) != 0;
  e.is_default = (flags & kDefault) != 0;
  return MakeEvent(ReferenceStream(), std::move(e));
}

NewEvent MemberStatusAdded(std::string name, int32_t order, StatusFlags flags) {
  return StatusDefinition<fb::MemberStatusAddedT>(std::move(name), order, flags);
}

NewEvent MemberStatusChanged(std::string name, int32_t order, StatusFlags flags) {
  return StatusDefinition<fb::MemberStatusChangedT>(std::move(name), order, flags);
}

NewEvent MemberStatusRemoved(std::string name, std::string replaced_with) {
  fb::MemberStatusRemovedT e;
  e.name = std::move(name);
  e.replaced_with = std::move(replaced_with);
  return MakeEvent(ReferenceStream(), std::move(e));
}

NewEvent CampaignStatusCodeAdded(std::string code, std::string description) {
  fb::CampaignStatusCodeAddedT e;
  e.code = std::move(code);
  e.description = std::move(description);
  return MakeEvent(ReferenceStream(), std::move(e));
}

NewEvent ProfileCodeAdded(fb::ProfileKind kind, std::string code, std::string description) {
  fb::ProfileCodeAddedT e;
  e.kind = kind;
  e.code = std::move(code);
  e.description = std::move(description);
  return MakeEvent(ReferenceStream(), std::move(e));
}

NewEvent ContactCreated(std::string_view no, std::string name, fb::ContactType type) {
  fb::ContactCreatedT e;
  e.no = std::string(no);
  e.type = type;
  e.name = std::move(name);
  return MakeEvent(No(no).Stream(), std::move(e));
}

NewEvent LeadCreated(std::string_view no, std::string name) {
  fb::LeadCreatedT e;
  e.no = std::string(no);
  e.name = std::move(name);
  e.lead_status = "New";
  return MakeEvent(No(no).Stream(), std::move(e));
}

NewEvent CampaignCreated(std::string_view no, std::string name, std::string parent) {
  fb::CampaignCreatedT e;
  e.no = std::string(no);
  e.name = std::move(name);
  e.owner = "alice";
  e.parent = std::move(parent);
  e.currency = "EUR";
  return MakeEvent(No(no).Stream(), std::move(e));
}

NewEvent MemberAdded(std::string_view campaign, std::string_view member, std::string status, bool responded) {
  fb::MemberAddedT e;
  e.campaign = std::string(campaign);
  e.member = std::string(member);
  e.status = std::move(status);
  e.responded = responded;
  return MakeEvent(No(campaign).Stream(), std::move(e));
}

Events InitialisedReference() {
  return {DataSetInitialized("EUR"), MemberStatusAdded("Sent", 10, kDefault),
          MemberStatusAdded("Responded", 20, kResponded)};
}

reference::State Reference(const Events& extra) {
  return Given(reference::Evolve).Add(InitialisedReference()).Add(extra).state();
}

Roster EvolveRoster(Roster roster, const fb::Envelope& env) {
  // Only the three membership events name a member; campaign details on the same stream do not.
  const flatbuffers::String* member = nullptr;
  if (const auto* e = env.payload_as_MemberAdded()) member = e->member();
  if (const auto* e = env.payload_as_MemberRemoved()) member = e->member();
  if (const auto* e = env.payload_as_MemberStatusUpdated()) member = e->member();
  if (member == nullptr) return roster;
  const RecordNo id = No(member->string_view());
  roster[id] = membership::Evolve(roster[id], env);
  return roster;
}

}  // namespace crm::testing
