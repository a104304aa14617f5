#include "events/ids.h"

#include "events/quote.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace crm {
namespace {

struct KindInfo {
  RecordKind kind;
  std::string_view prefix;
  std::string_view stream;
  std::string_view noun;
};

constexpr KindInfo kKinds[] = {
    {RecordKind::kCampaign, "CP", "campaign", "campaign"},
    {RecordKind::kContact, "CT", "contact", "contact"},
    {RecordKind::kLead, "LD", "lead", "lead"},
    {RecordKind::kSegment, "SM", "segment", "segment"},
    {RecordKind::kLoggedSegment, "LS", "logged-segment", "logged segment"},
    {RecordKind::kOpportunity, "OP", "opportunity", "opportunity"},
    {RecordKind::kTask, "TD", "task", "task"},
    {RecordKind::kAttachment, "AT", "attachment", "attachment"},
    {RecordKind::kInteraction, "IE", "interaction", "interaction entry"},
    {RecordKind::kCampaignEntry, "CE", "campaign-entry", "campaign entry"},
};

const KindInfo& Info(RecordKind kind) {
  for (const auto& k : kKinds) {
    if (k.kind == kind) return k;
  }
  return kKinds[0];  // unreachable: every enumerator is listed above
}

std::string_view Article(std::string_view noun) { return noun.find_first_of("aeiou") == 0 ? "an" : "a"; }

}  // namespace

std::string_view RecordPrefix(RecordKind kind) { return Info(kind).prefix; }
std::string_view RecordNoun(RecordKind kind) { return Info(kind).noun; }

std::string_view RecordStreamName(RecordKind kind) { return Info(kind).stream; }

std::optional<RecordKind> KindOfPrefix(std::string_view prefix) {
  for (const auto& k : kKinds) {
    if (k.prefix == prefix) return k.kind;
  }
  return std::nullopt;
}

Result<RecordNo> RecordNo::Parse(std::string_view text) {
  if (text.size() < 6 || text.size() > 22) {
    return Status::InvalidArgument(Quote(text) + " is not a record number (like CP0001)");
  }
  std::string prefix{static_cast<char>(std::toupper(static_cast<unsigned char>(text[0]))),
                     static_cast<char>(std::toupper(static_cast<unsigned char>(text[1])))};
  const KindInfo* info = nullptr;
  for (const auto& k : kKinds) {
    if (k.prefix == prefix) info = &k;
  }
  if (info == nullptr) {
    return Status::InvalidArgument(Quote(text) + " has an unknown number prefix");
  }
  uint64_t counter = 0;
  for (char c : text.substr(2)) {
    if (c < '0' || c > '9') {
      return Status::InvalidArgument(Quote(text) + " is not a record number (like CP0001)");
    }
    counter = counter * 10 + static_cast<uint64_t>(c - '0');
  }
  // Exactly the canonical width: CP0001, never CP001 or CP00001.
  RecordNo no(info->kind, counter);
  if (counter == 0 || no.ToString() != prefix + std::string(text.substr(2))) {
    return Status::InvalidArgument(Quote(text) + " is not a record number (like " + std::string(info->prefix) +
                                   "0001)");
  }
  return no;
}

Result<RecordNo> RecordNo::ParseOptional(std::string_view text) {
  if (text.empty()) return RecordNo();
  return Parse(text);
}

Result<RecordNo> RecordNo::Parse(std::string_view text, RecordKind expected) {
  const bool digits = !text.empty() && text.size() <= 18 &&
                      std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
  // Interaction and campaign entries are whole numbers to people (SPEC §3): 21 is IE0021.
  if (digits && (expected == RecordKind::kInteraction || expected == RecordKind::kCampaignEntry)) {
    const uint64_t n = std::stoull(std::string(text));
    if (n > 0) return RecordNo(expected, n);
  }
  auto no = Parse(text);
  if (!no.ok() || no->kind() != expected) {
    // The example is of the kind expected, with the digits given when they make one.
    const uint64_t n = digits ? std::stoull(std::string(text)) : 1;
    const std::string example = RecordNo(expected, n == 0 ? 1 : n).ToString();
    return Status::InvalidArgument(Quote(text) + " is not " + std::string(Article(RecordNoun(expected))) + " " +
                                   std::string(RecordNoun(expected)) + " number (like " + example + ")");
  }
  return no;
}

std::string RecordNo::ToString() const {
  char digits[24];
  std::snprintf(digits, sizeof digits, "%04llu", static_cast<unsigned long long>(counter_));
  return std::string(RecordPrefix(kind_)) + digits;
}

StreamId RecordNo::Stream() const {
  return StreamId(std::string(RecordStreamName(kind_)) + "/" + ToString());
}

Result<RecordNo> RecordNo::OfStream(const StreamId& stream) {
  const std::string_view id = stream.value();
  const size_t slash = id.find('/');
  auto no = slash == std::string_view::npos ? Result<RecordNo>(Status::InvalidArgument("")) : Parse(id.substr(slash + 1));
  if (!no.ok() || no->Stream() != stream) {
    return Status::InvalidArgument("stream " + stream.value() + " is not a record's");
  }
  return no;
}

}  // namespace crm
