// Reference data aggregate (stream "reference"): the data set's settings, campaign status codes,
// the member status catalogue and profile codes (SPEC §4.1).
//
// Rules: the data set is initialised once; codes are normalised (upper case, <= 20 chars); at
// most 20 member statuses, exactly one default, at least one responded; a status or campaign
// status code in use cannot be removed, except a member status with --replace-with (the handler
// then moves its members first, as MemberStatusUpdated events); the default can only be removed
// with --replace-with, whose target becomes the default.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "aggregates/common.h"

namespace crm::reference {

inline constexpr size_t kMaxMemberStatuses = 20;

struct MemberStatusDef {
  std::string name;
  bool responded = false;
  bool is_default = false;
  int32_t order = 0;
};

struct State {
  bool initialized = false;
  std::string currency;
  std::map<std::string, std::string> campaign_statuses;  // code -> description
  std::vector<MemberStatusDef> member_statuses;          // sorted by (order, name)
  std::map<fb::ProfileKind, std::map<std::string, std::string>> codes;

  // Case-insensitive lookup by name.
  const MemberStatusDef* FindStatus(std::string_view name) const;
  const MemberStatusDef* DefaultStatus() const;
  // The first responded status in display order (responses move members there).
  const MemberStatusDef* FirstRespondedStatus() const;
  bool HasCode(fb::ProfileKind kind, const std::string& code) const;
};

State Evolve(State state, const fb::Envelope& env);

// Commands. Counts of current use come from the read models, looked up by the handler.
struct InitDataSet {
  std::string currency;
};
struct AddCampaignStatus {
  std::string code;
  std::string description;
};
struct RemoveCampaignStatus {
  std::string code;
  uint64_t campaigns_using = 0;
};
struct AddMemberStatus {
  std::string name;
  bool responded = false;
  bool is_default = false;
  std::optional<int32_t> order;
};
struct SetMemberStatus {
  std::string name;
  std::optional<bool> responded;
  std::optional<bool> is_default;  // only true is meaningful: make this the default
  std::optional<int32_t> order;
};
struct RemoveMemberStatus {
  std::string name;
  std::string replace_with;  // empty: none
  uint64_t members_using = 0;
};
struct AddProfileCode {
  fb::ProfileKind kind = fb::ProfileKind::JobResponsibility;
  std::string code;
  std::string description;
};

using Command = std::variant<InitDataSet, AddCampaignStatus, RemoveCampaignStatus, AddMemberStatus,
                             SetMemberStatus, RemoveMemberStatus, AddProfileCode>;

Result<Events> Decide(const State& state, const Command& command);

// "job-responsibility" <-> ProfileKind; the CLI and filters use these names.
Result<fb::ProfileKind> ParseProfileKind(std::string_view text);
std::string ProfileKindName(fb::ProfileKind kind);

}  // namespace crm::reference
