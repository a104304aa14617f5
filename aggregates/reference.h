// Reference data aggregate (stream "reference"): the data set's settings, campaign status codes,
// the member status catalogue and profile codes (SPEC §4.1).
//
// Lead statuses (SPEC §4.2): a catalogue of names in display order, at most 20; New,
// Contacted, Qualified, Lost until it is changed; a new lead gets the first. A status leads have
// cannot be removed except with --replace-with (the handler moves those leads first, as
// LeadChanged events); the last one cannot be removed.
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
#include "aggregates/custom_fields.h"

namespace crm::reference {

inline constexpr size_t kMaxMemberStatuses = 20;

struct MemberStatusDef {
  std::string name;
  bool responded = false;
  bool is_default = false;
  int32_t order = 0;
};

inline constexpr size_t kMaxLeadStatuses = 20;

struct LeadStatusDef {
  std::string name;
  int32_t order = 0;
};

// A saved view (SPEC §4.11, Zoho's custom views): a named list with its filters, sort and search.
struct SavedView {
  std::string name;  // as saved; found by name case-insensitively
  std::string on;    // "contacts", "leads" or "campaigns"
  std::vector<std::string> filters;
  std::string sort, search;
  bool operator==(const SavedView&) const = default;
};

struct State {
  bool initialized = false;
  std::string currency;
  std::map<std::string, std::string> campaign_statuses;  // code -> description
  std::vector<MemberStatusDef> member_statuses;          // sorted by (order, name)
  std::map<fb::ProfileKind, std::map<std::string, std::string>> codes;
  // Empty until the catalogue is first changed: LeadStatuses() then gives the defaults.
  std::vector<LeadStatusDef> lead_statuses;  // sorted by (order, name)
  bool lead_statuses_changed = false;
  std::map<std::string, SavedView> views;  // by lower-case name
  std::vector<custom::FieldDef> custom_fields;  // in the order defined

  // Case-insensitive lookup by name.
  const MemberStatusDef* FindStatus(std::string_view name) const;
  const MemberStatusDef* DefaultStatus() const;
  // The first responded status in display order (responses move members there).
  const MemberStatusDef* FirstRespondedStatus() const;
  bool HasCode(fb::ProfileKind kind, const std::string& code) const;
  // The lead status catalogue in effect, in display order.
  std::vector<LeadStatusDef> LeadStatuses() const;
  // A lead status by name, case-insensitive: its name as defined, or nullopt.
  std::optional<std::string> FindLeadStatus(std::string_view name) const;
  // What a new lead gets: the first in display order.
  std::string DefaultLeadStatus() const;
  // The display order a lead status added without one gets: after the last.
  int32_t NextLeadStatusOrder() const;
  // The catalogue with `name` in it at `order` (LeadStatusAdded's fold; an import's dry run).
  void AddLeadStatus(const std::string& name, int32_t order);
  // A saved view by name, case-insensitive, or nullptr.
  const SavedView* FindView(std::string_view name) const;
  // The custom fields of contacts, leads or campaigns (`on`), in the order defined; one by name,
  // case-insensitive, or nullptr.
  std::vector<const custom::FieldDef*> CustomFields(std::string_view on) const;
  const custom::FieldDef* FindCustomField(std::string_view on, std::string_view name) const;
};

// The events this aggregate owns and folds (events/owner.h: Owner::kReference).
using OwnEvents = EventList<fb::DataSetInitialized, fb::CampaignStatusCodeAdded, fb::CampaignStatusCodeRemoved,
                            fb::MemberStatusAdded, fb::MemberStatusChanged, fb::MemberStatusRemoved,
                            fb::LeadStatusAdded, fb::LeadStatusRemoved, fb::ProfileCodeAdded, fb::ProfileCodeRemoved,
                            fb::ViewSaved, fb::ViewRemoved, fb::CustomFieldAdded>;

State Evolve(State state, const fb::Envelope& env);

// Commands. Counts of current use come from the read models, looked up by the handler.
// Creates the data set with its currency (nullopt: not given, EUR). Again on a data set: nothing
// when the currency is not given or the same, refused when another (amounts were in it).
struct InitDataSet {
  std::optional<std::string> currency;
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
struct AddLeadStatus {
  std::string name;
  std::optional<int32_t> order;  // default: after the last
};
struct RemoveLeadStatus {
  std::string name;
  std::string replace_with;  // empty: none
  uint64_t leads_using = 0;
};
struct AddProfileCode {
  fb::ProfileKind kind = fb::ProfileKind::JobResponsibility;
  std::string code;
  std::string description;
};

// A view saved again under its name replaces it; the same view again changes nothing. Its filters
// and sort are checked for syntax by the caller, which knows the lists' fields.
struct SaveView {
  SavedView view;
};
struct RemoveView {
  std::string name;
};

// field add (aggregates/custom_fields.h): the same definition again changes nothing; another
// under a name the record kind has is AlreadyExists; a name contacts and leads both have keeps one
// type. `reserved`: the record kind's own field names (its filters' fields), from the caller.
struct AddCustomField {
  custom::FieldDef def;
  std::vector<std::string> reserved;
};

using Command = std::variant<InitDataSet, AddCampaignStatus, RemoveCampaignStatus, AddMemberStatus,
                             SetMemberStatus, RemoveMemberStatus, AddProfileCode, AddLeadStatus, RemoveLeadStatus,
                             SaveView, RemoveView, AddCustomField>;

Result<Events> Decide(const State& state, const Command& command);

// "job-responsibility" <-> ProfileKind; the CLI and filters use these names.
Result<fb::ProfileKind> ParseProfileKind(std::string_view text);
std::string ProfileKindName(fb::ProfileKind kind);

}  // namespace crm::reference
