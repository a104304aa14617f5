// Sealing personal data for crypto-shredding (SPEC §4.10; the schema's `Sealed` table).
//
// Before a command's events are appended, the personal fields of contact and lead events
// (name, email, phone, address, post code, city, a lead's description, custom values, a
// consent's reason) are moved into a box sealed with a key of that person alone (libsodium
// crypto_secretbox), kept outside the ledger (events/keyring.h); so is the stored answer of a command about one person
// (it echoes the record and the command line). Readers open records through a KeySource: every
// layer above sees the plain values, or "(erased)" once the key is destroyed. The hash chain
// covers the sealed bytes, so erasing a key never breaks `ledger verify`.
//
// Pure functions over FlatBuffers objects and records; thread-safe.
#pragma once

#include <sodium.h>

#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "events/crm_events_generated.h"
#include "events/event_list.h"
#include "events/status.h"

namespace crm {

using SealKey = std::array<uint8_t, crypto_secretbox_KEYBYTES>;

// One of a person's keys: its id (16 hex digits, named by what it sealed) and the key.
struct PersonKey {
  std::string id;
  SealKey key;
};

// What an erased personal field reads as, everywhere.
inline constexpr std::string_view kErasedText = "(erased)";

// A fresh random key with a fresh id.
PersonKey NewPersonKey();

// Where readers find keys. Find returns the subject's key `id`, nullopt when the subject's data
// was erased, and NotFound when there is no such key (a data directory that lost its keys).
class KeySource {
 public:
  virtual ~KeySource() = default;
  virtual Result<std::optional<SealKey>> Find(std::string_view subject, std::string_view id) = 0;
  // Whether the subject's data was erased (records written in the clear before schema 7 are
  // then shown as erased too: hidden, though not destroyed).
  virtual Result<bool> Erased(std::string_view subject) = 0;
};

// The event types with personal fields: those RouteOf (events/owner.h) calls personal, as
// tests/events/sealing_test.cc checks. A new one joins this list and sealing.cc's
// ForEachPersonal; the compiler then asks for nothing else.
using PersonalEvents =
    EventList<fb::ContactCreated, fb::ContactChanged, fb::LeadCreated, fb::LeadChanged, fb::ConsentRecorded>;

// The person (record number text) whose personal fields `payload` carries in the clear; empty
// when the event type has none or every such field is empty.
std::string PersonalSubject(const fb::EventUnion& payload);

// Moves the personal fields of `payload` (PersonalSubject non-empty) into its `sealed` box.
void SealPayload(fb::EventUnion* payload, const PersonKey& key);

// A command answer sealed for `subject`: {"box": base64, "key": id, "sealed": subject}.
std::string SealAnswer(std::string_view answer, std::string_view subject, const PersonKey& key);
// A stored answer as it was given; an answer whose key was erased reads as
// {"erased": true, "no": subject}. Answers that were never sealed pass unchanged.
Result<std::string> OpenAnswer(std::string_view stored, KeySource* keys);

// The record `env` with its sealed fields and answer opened (or "(erased)"; an erased person's
// fields written in the clear before schema 7 too), re-encoded; the stored hashes are kept as
// they were, so the result is for reading, never for verifying. nullopt when there is nothing to
// open (pass the original on).
Result<std::optional<std::string>> OpenRecord(const fb::Envelope& env, KeySource* keys);

}  // namespace crm
