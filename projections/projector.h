// The projector: turns each ledger record into writes on the read models, inside the caller's
// transaction (the embedded ledger's append, a rebuild, or a Kafka projector's batch), together
// with the checkpoint (the last applied sequence). One handler per event type; a handler only
// adds writes (reads go through the same transaction so a batch sees its own earlier events).
// Key layout: projections/projector.cc.
#pragma once

#include <string>
#include <vector>

#include "events/embedded_ledger.h"
#include "events/store.h"

namespace crm {

// Column family names of the read models.
inline constexpr char kCfProjMeta[] = "proj_meta";
inline constexpr char kCfReference[] = "reference";
inline constexpr char kCfCampaigns[] = "campaigns";
inline constexpr char kCfContacts[] = "contacts";
inline constexpr char kCfRoster[] = "roster";
inline constexpr char kCfSegments[] = "segments";
inline constexpr char kCfInteractions[] = "interactions";

std::vector<std::string> ProjectionColumnFamilies();
// Ledger and projection column families: what a data directory's Store opens.
std::vector<std::string> AllColumnFamilies();

class Projector final : public RecordSink {
 public:
  explicit Projector(Store* store) : store_(store) {}
  Status Apply(LedgerSeq seq, const fb::Envelope& env, Store::Txn* txn) override;

 private:
  Status ApplyReference(const fb::Envelope& env, Store::Txn* txn);
  Status ApplyCatalog(const fb::Envelope& env, Store::Txn* txn);
  Status ApplyUsers(const fb::Envelope& env, Store::Txn* txn);
  Status ApplySegment(const fb::Envelope& env, Store::Txn* txn);
  Status ApplyCampaign(const fb::Envelope& env, Store::Txn* txn);
  Status ApplyContact(const fb::Envelope& env, Store::Txn* txn);
  Status ApplyLead(const fb::Envelope& env, Store::Txn* txn);
  Status ApplyMember(LedgerSeq seq, const fb::Envelope& env, Store::Txn* txn);

  Store* store_;
};

}  // namespace crm
