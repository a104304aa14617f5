// Helpers shared by the handler's translation units (handler.cc, handler_members.cc). Internal:
// include nowhere else.
#pragma once

#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/handler.h"
#include "projections/rows.h"

namespace crm::handler_internal {

// `state` with a decision's events folded in, as the projection will fold them once appended.
template <typename State, typename Fold>
State Folded(State state, const Events& events, const Request& r, Fold fold) {
  for (const auto& ev : events) {
    EnvelopeHeader h;
    h.stream = ev.stream;
    h.command_id = r.command_id;
    h.actor = r.actor;
    h.recorded_at = r.now;
    const std::string record = EncodeEnvelope(h, ev.payload, Hash{});
    state = fold(std::move(state), *fb::GetEnvelope(record.data()));
  }
  return state;
}

// The state a create makes: its events folded into an empty state.
template <typename State, typename Fold>
State CreatedState(const Events& events, const Request& r, Fold fold) {
  return Folded(State{}, events, r, fold);
}

// The record a create makes, as `show --json` prints it (SPEC 3: a create answers with the
// record).
template <typename State, typename Fold>
nlohmann::json CreatedRecord(const Events& events, const Request& r, Fold fold) {
  return ToJson(CreatedState<State>(events, r, fold));
}

// The numbers of the tasks among `events` (TaskCreated), in order, as a JSON array.
nlohmann::json TaskNumbers(const Events& events);

inline CommandContext Ctx(const Request& r) { return CommandContext{r.actor, r.now}; }

inline Result<reference::State> InitializedReference(ReadModel& rm) {
  CRM_ASSIGN_OR_RETURN(reference::State ref, rm.Reference());
  if (!ref.initialized) return Status::FailedPrecondition("the data set is not initialised (run 'crmctl init')");
  return ref;
}

// The codes of the defined salespeople (what a record's salesperson must be).
inline Result<std::set<std::string>> SalespersonCodes(ReadModel& rm) {
  CRM_ASSIGN_OR_RETURN(catalog::State cat, rm.Catalog());
  std::set<std::string> codes;
  for (const auto& [code, sp] : cat.salespeople) codes.insert(code);
  return codes;
}

inline Result<campaign::State> ExistingCampaign(ReadModel& rm, const RecordNo& no) {
  CRM_ASSIGN_OR_RETURN(auto cp, rm.Campaign(no));
  if (!cp) return Status::NotFound("campaign " + no.ToString() + " does not exist");
  return *cp;
}

// The campaign a command changes or adds to: existing and not deleted.
inline Result<campaign::State> LiveCampaign(ReadModel& rm, const RecordNo& no) {
  CRM_ASSIGN_OR_RETURN(campaign::State cp, ExistingCampaign(rm, no));
  CRM_RETURN_IF_ERROR(campaign::RefuseDeleted(cp));
  return cp;
}

// The company contact a command names, when the text is a contact number that exists (the
// aggregate reports a malformed or missing company).
inline Result<std::optional<contact::ContactState>> CompanyOf(ReadModel& rm, const std::string& text) {
  auto no = RecordNo::Parse(text, RecordKind::kContact);
  if (text.empty() || !no.ok()) return std::optional<contact::ContactState>();
  return rm.Contact(*no);
}

inline nlohmann::json Ids(const std::vector<std::string>& v) { return nlohmann::json(v); }

}  // namespace crm::handler_internal
