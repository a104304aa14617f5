// The projector: turns each ledger record into writes on the read models, inside the caller's
// transaction (the embedded ledger's append, a rebuild, or a Kafka projector's batch), together
// with the checkpoint (the last applied sequence). A record goes to each read model that reads it
// (events/owner.h, RouteOf); a read model's Apply only adds writes (reads go through the same
// transaction so a batch sees its own earlier events).
// Key layout: projections/projector.cc.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "events/embedded_ledger.h"
#include "events/keyring.h"
#include "events/owner.h"
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

// Adds `delta` to the u64 BE counter at `key` (absent: 0), deleting it when it reaches zero;
// returns the count before. The read models' counters (status counts, converted leads, target
// interactions) are all kept this way.
Result<uint64_t> AddToCounter(Store::Txn* txn, rocksdb::ColumnFamilyHandle* cf, const std::string& key, int64_t delta);

// Records with sealed personal data (events/sealing.h) are opened with `keys` (by default the
// keyring of `store`; a scratch store's projector reads the live one's). A PersonalDataErased
// record blanks the person's rows and destroys the key in the same transaction.
class Projector final : public RecordSink {
 public:
  explicit Projector(Store* store, KeySource* keys = nullptr);
  Status Apply(LedgerSeq seq, const fb::Envelope& env, Store::Txn* txn) override;
  // An as-of view built on a snapshot older than an erasure: the person's row as a replay from
  // the first record would have it (contact::MaskErased), its email index entry gone.
  Status Scrub(const RecordNo& no, Store::Txn* txn);

 private:
  Status ApplyTo(Reader model, LedgerSeq seq, const fb::Envelope& env, Store::Txn* txn);
  Status ApplyReference(const fb::Envelope& env, Store::Txn* txn);
  Status ApplyCatalog(const fb::Envelope& env, Store::Txn* txn);
  Status ApplyUsers(const fb::Envelope& env, Store::Txn* txn);
  Status ApplySegment(const fb::Envelope& env, Store::Txn* txn);
  Status ApplyCampaign(const fb::Envelope& env, Store::Txn* txn);
  // Contacts and leads: their events and consent, after opening sealed data.
  Status ApplyParty(const fb::Envelope& env, Store::Txn* txn);
  Status ApplyMember(LedgerSeq seq, const fb::Envelope& env, Store::Txn* txn);
  Status ApplyMemberMoved(LedgerSeq seq, const fb::MemberMoved& e, Store::Txn* txn);

  // Consent, erasure and removal; the last two also move the as-of views' erasure mark.
  Status ApplyPerson(LedgerSeq seq, const fb::Envelope& env, Store::Txn* txn);
  Status ApplyErasure(const fb::Envelope& env, Store::Txn* txn);
  // RecordRemoved: the person's key destroyed, the row and its email index entry deleted.
  Status ApplyRemoval(const fb::Envelope& env, Store::Txn* txn);
  // Loads a contact's or lead's row, lets fn(State*) change it (false: leave it) and writes it
  // back, the email index in step.
  template <typename Fn>
  Status UpdateParty(const RecordNo& no, Store::Txn* txn, Fn fn, bool created = false);

  Store* store_;
  std::unique_ptr<Keyring> own_keys_;
  KeySource* keys_;
};

}  // namespace crm
