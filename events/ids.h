// Strong id and position types, and the one number-series mechanism behind every human number.
//
// Human numbers are a prefix and a counter of at least four digits: CP0001, CT0042, CP10000.
// Numbers are never reused; the counter behind a series lives with the ledger (see
// events/embedded_ledger.cc). Parsing is strict: prefix in upper case (lower case is accepted and
// upper-cased), digits only, counter >= 1.
#pragma once

#include <compare>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "events/status.h"

namespace crm {

// A value of T that cannot be mixed up with another NamedType of the same T.
template <typename T, typename Tag>
class NamedType {
 public:
  using value_type = T;
  NamedType() = default;
  explicit NamedType(T v) : v_(std::move(v)) {}
  const T& value() const { return v_; }
  auto operator<=>(const NamedType&) const = default;
  bool operator==(const NamedType&) const = default;

 private:
  T v_{};
};

using LedgerSeq = NamedType<uint64_t, struct LedgerSeqTag>;          // 1-based global position
using StreamVersion = NamedType<uint64_t, struct StreamVersionTag>;  // 1-based; 0 = no stream yet
using StreamId = NamedType<std::string, struct StreamIdTag>;         // "campaign/CP0001"
using CommandId = NamedType<std::string, struct CommandIdTag>;       // idempotency key
using Actor = NamedType<std::string, struct ActorTag>;

// The kinds of numbered records. The prefix is part of the public format.
enum class RecordKind {
  kCampaign, kContact, kLead, kSegment, kLoggedSegment, kOpportunity, kTask, kAttachment, kInteraction, kCampaignEntry
};

std::string_view RecordPrefix(RecordKind kind);
// The kind with this prefix ("CP"); nullopt for an unknown prefix.
std::optional<RecordKind> KindOfPrefix(std::string_view prefix);
// The stream family name used in stream ids ("campaign", "contact", ...).
std::string_view RecordStreamName(RecordKind kind);
// What people call a record of this kind: "logged segment", "interaction entry", ...
std::string_view RecordNoun(RecordKind kind);

// A human number such as CP0001: a kind and a counter.
class RecordNo {
 public:
  RecordNo() = default;
  RecordNo(RecordKind kind, uint64_t counter) : kind_(kind), counter_(counter) {}
  // Accepts "CP0001", "cp1" is refused (at least four digits), "CP10000".
  static Result<RecordNo> Parse(std::string_view text);
  static Result<RecordNo> Parse(std::string_view text, RecordKind expected);
  // A number that may be absent: "" is none (an invalid RecordNo), anything else as Parse.
  static Result<RecordNo> ParseOptional(std::string_view text);
  RecordKind kind() const { return kind_; }
  uint64_t counter() const { return counter_; }
  std::string ToString() const;
  StreamId Stream() const;
  // The record a stream belongs to, the inverse of Stream(); InvalidArgument for a stream of no
  // record ("reference", "users").
  static Result<RecordNo> OfStream(const StreamId& stream);
  bool valid() const { return counter_ > 0; }
  auto operator<=>(const RecordNo&) const = default;

 private:
  RecordKind kind_ = RecordKind::kCampaign;
  uint64_t counter_ = 0;
};

}  // namespace crm

template <typename T, typename Tag>
struct std::hash<crm::NamedType<T, Tag>> {
  size_t operator()(const crm::NamedType<T, Tag>& v) const { return std::hash<T>()(v.value()); }
};
