// The ledger record codec: builds, hashes, verifies and decodes Envelope records.
//
// Record format: one FlatBuffers buffer, root table crm.fb.Envelope (events/schema/crm_events.fbs),
// file identifier "CRME". Hash chain: record.hash = SHA-256 over the record's bytes with the 32
// bytes of `hash` zeroed; record.prev_hash = previous record's hash (zero for the first record of
// a chain). Because `prev_hash` is inside the hashed bytes, changing, dropping or reordering any
// record breaks every later link. Pure functions; thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "events/crm_events_generated.h"
#include "events/ids.h"
#include "events/status.h"
#include "events/values.h"

namespace crm {

// Envelope.schema_version written by this code. History: 1 = the first schema; 2 = campaigns
// gained number_sent; 3 = the last record of a command carries command_last, its answer and the
// number series it advanced (so a replica built from the log alone can answer retries); 4 =
// interaction templates, salespeople and teams (stream "catalog"), segments; 5 = mail settings,
// delivery attempts and outcomes, logged segments sent with --send, contacts' consent; 6 = users
// and roles (stream "users"); 7 = personal data sealed (Sealed, PersonalDataErased); 8 =
// RecordRemoved (undo of an import), the lead status catalogue; 9 = sales cycles, opportunities,
// lead conversion; 10 = activities; 11 = contacts and leads deleted and restored (RecordDeleted);
// 12 = saved views (ViewSaved, ViewRemoved), a segment's word_as_attachment, CampaignDeleted.
// 13 = custom fields (CustomFieldAdded; `custom` values on contacts, leads and campaigns),
// salespeople, interaction templates and segments deleted (CatalogEntryDeleted, SegmentDeleted).
// 14 = a contact's or lead's mobile, source and source id (imports from other products).
// 15 = the source's times (created_at, source_modified_at) of contacts, leads and campaigns; a
// campaign's source and source id; a membership's responded_at (imports from other products).
inline constexpr uint16_t kSchemaVersion = 15;
// From this schema on, a record's personal fields are sealed whenever it has any.
inline constexpr uint16_t kSchemaSealed = 7;

using Hash = std::array<uint8_t, 32>;
std::string HashToHex(const Hash& h);
// 64 hex digits (either case) back to a hash; InvalidArgument otherwise.
Result<Hash> HashFromHex(std::string_view hex);

// An event that a decision produced, not yet in the ledger.
struct NewEvent {
  StreamId stream;
  fb::EventUnion payload;
};

// Everything in the envelope except the payload and the hashes.
struct EnvelopeHeader {
  LedgerSeq seq;
  StreamId stream;
  StreamVersion stream_version;
  std::string event_id;
  CommandId command_id;
  std::string correlation_id;
  std::string causation_id;
  Actor actor;
  Timestamp recorded_at;
  // The last record of a command's batch only.
  bool command_last = false;
  std::string command_answer;
  std::vector<std::pair<RecordKind, uint64_t>> numbers;
};

// Builds a record chained to `prev`; returns its bytes (hash filled in).
std::string EncodeEnvelope(const EnvelopeHeader& header, const fb::EventUnion& payload, const Hash& prev);

// Runs the FlatBuffers verifier; returns the root on success, Corruption otherwise.
Result<const fb::Envelope*> DecodeEnvelope(std::string_view record);

// SHA-256 of the record with its hash field zeroed. `env` must be DecodeEnvelope(record).
Hash ComputeRecordHash(std::string_view record, const fb::Envelope& env);
Hash StoredHash(const fb::Envelope& env);
Hash StoredPrevHash(const fb::Envelope& env);
// SHA-256 of any bytes (attachment contents).
Hash Sha256(std::string_view bytes);
// Standard base64 (RFC 4648, padded) and back; Corruption for text that is not base64.
std::string Base64(std::string_view bytes);
Result<std::string> FromBase64(std::string_view text);

// The event type name ("MemberAdded") of a payload type.
std::string_view EventTypeName(fb::Event type);

// A fresh random UUID (v4), for event ids and default command ids.
std::string NewUuid();

}  // namespace crm
