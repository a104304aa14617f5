// Campaign membership decisions (SPEC §4.4): AddMember, RemoveMember, UpdateMemberStatus and
// MassUpdateMemberStatus. Events go on the campaign's stream, one per member changed.
//
// Rules: the campaign exists; a member is an existing contact or lead, not a converted lead; the status is a defined
// member status (the default when none is given); adding a member already there, removing one
// that is not, or setting the status it already has changes nothing (idempotent). Each event
// records whether its status counted as responded at that moment, and a responded membership
// when it first responded (as an import's source says, else when that was recorded).
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "aggregates/campaign.h"
#include "aggregates/common.h"
#include "aggregates/reference.h"

namespace crm::membership {

struct Membership {
  bool exists = false;
  std::string status;
  bool responded = false;
  Timestamp responded_at;  // when it first responded, while it counts as responded (0 otherwise)
  Timestamp added_at, changed_at;
  Actor added_by;
  fb::MemberHow how = fb::MemberHow::Manual;
};

// The events this aggregate owns (events/owner.h: Owner::kMembership), and those Evolve folds:
// MemberMoved changes two memberships, so the roster applies it (see MoveMember below).
using FoldedEvents = EventList<fb::MemberAdded, fb::MemberRemoved, fb::MemberStatusUpdated>;
using OwnEvents = JoinedEvents<FoldedEvents, EventList<fb::MemberMoved>>;

Membership Evolve(Membership state, const fb::Envelope& env);

struct Context {
  const reference::State* reference = nullptr;
  const campaign::State* campaign = nullptr;
  // Current membership of every id the command names (absent = not a member).
  std::map<RecordNo, Membership> current;
  // Ids that exist as contacts or leads.
  std::set<RecordNo> known;
  // Converted leads among the ids: the contact each became (they take no new memberships).
  std::map<RecordNo, std::string> converted;
};

struct AddMembers {
  CommandContext ctx;
  RecordNo campaign;
  std::vector<RecordNo> ids;
  std::string status;  // empty: the default status
  fb::MemberHow how = fb::MemberHow::Manual;
  std::string criteria;
  Timestamp responded_at;  // when they responded, as an import's source says (0: when recorded)
};

struct RemoveMembers {
  CommandContext ctx;
  RecordNo campaign;
  std::vector<RecordNo> ids;
  fb::MemberHow how = fb::MemberHow::Manual;
  std::string criteria;
};

// A member whose status is already `status` is left as it is, unless `responded_at` (a responded
// status) says another time.
struct UpdateStatus {
  CommandContext ctx;
  RecordNo campaign;
  std::vector<RecordNo> ids;
  std::string status;
  fb::MemberHow how = fb::MemberHow::Manual;
  std::string criteria;
  Timestamp responded_at;  // as on AddMembers
};

// Takes back what a response did when the entries that registered it are canceled, and puts
// it back when the cancel is undone. For each member whose last change (`last`, as the ledger
// has it) is the change taken back (`change_how` with one of `change_criteria`) and who is still
// as that change left it: an update goes back to the status before, an addition is removed, a
// removal is added back, as events with `how` and `criteria`. A member changed since is left as
// it is: its later status stands.
struct TakeBack {
  CommandContext ctx;
  RecordNo campaign;
  std::map<RecordNo, const fb::Envelope*> last;
  fb::MemberHow change_how = fb::MemberHow::Response;
  std::set<std::string> change_criteria;
  fb::MemberHow how = fb::MemberHow::Undo;
  std::string criteria;
};

// An interaction entry, as the take-back of its response needs it (the interaction log's row).
struct ResponseEntry {
  RecordNo campaign;         // invalid: the entry is on no campaign
  RecordNo contact;
  RecordNo entry;           // IE0001
  RecordNo logged_segment;  // invalid: logged by hand
  bool campaign_response = false;
  bool canceled_self = false;
  bool canceled_with_segment = false;
};
// What canceling `canceled` (an entry or a logged segment), or undoing that cancel (`undo`),
// asks of each campaign whose responses `entries` registered: a TakeBack (without `last`, which
// the caller loads for `members`). An entry counts while its other cancel (of itself, or with its
// segment) does not stand: that one already took its response back. A response is known by its
// criteria ("interaction IE0001" or "logged segment LS0001"); a take-back by the cancel's
// ("canceled IE0001" or "canceled LS0001", whichever came first).
struct CampaignTakeBack {
  TakeBack command;
  std::vector<RecordNo> members;
};
std::vector<CampaignTakeBack> PlanTakeBacks(const RecordNo& canceled, bool undo, const std::vector<ResponseEntry>& entries,
                                            const CommandContext& ctx);

// An import's word on whether a member responded (Salesforce's HasResponded; nullopt: not said)
// must agree with its status's flag: FailedPrecondition naming both otherwise.
Status CheckResponded(const reference::MemberStatusDef& status, std::optional<bool> said);
Result<Events> DecideAdd(const Context& cx, const AddMembers& c);
Result<Events> DecideTakeBack(const Context& cx, const TakeBack& c);
Result<Events> DecideRemove(const Context& cx, const RemoveMembers& c);
Result<Events> DecideUpdateStatus(const Context& cx, const UpdateStatus& c);

// lead convert: a converted lead's membership moves to its contact, with its status, added time
// and history (MemberMoved). Evolve leaves MemberMoved alone: it changes two memberships, and the
// projector moves the row (projections/projector.cc).
NewEvent MoveMember(const RecordNo& campaign, const RecordNo& lead, const Membership& m, const RecordNo& contact);

std::string_view HowName(fb::MemberHow how);

}  // namespace crm::membership
