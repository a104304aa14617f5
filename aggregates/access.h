// Users and roles aggregate (stream "users", SPEC §4.10): who may run which command.
//
// Rules: while no user exists, every actor may do everything (a fresh data set, a single-user
// installation); the first user added must be an admin, so that someone can manage the rest.
// Once a user exists, an actor that is not a user is refused everything, reads included.
// Roles: admin (everything), manager (everything but users), staff (reads and ordinary writes,
// not reference data: statuses, codes, templates, salespeople, mail settings; and no erasure),
// auditor (reads only). The last admin cannot be removed or lose the role. Names are 1 to 64
// characters of letters, digits and . _ - @, unique ignoring case.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <variant>

#include "aggregates/common.h"

namespace crm::access {

// What a command needs from its actor's role.
enum class Need {
  kRead,           // every read command
  kWrite,          // ordinary writes: contacts, campaigns, members, segments, logging, sending
  kReferenceData,  // statuses, codes, templates, salespeople, teams, mail settings
  kErase,          // erasing personal data
  kUsers,          // managing users
};

struct State {
  std::map<std::string, fb::Role> users;  // by name as added

  // The user named `name` (exact match), or nullptr.
  const fb::Role* Find(std::string_view name) const;
  size_t Admins() const;
};

// The events this aggregate owns and folds (events/owner.h: Owner::kAccess).
using OwnEvents = EventList<fb::UserAdded, fb::UserRoleChanged, fb::UserRemoved>;

State Evolve(State state, const fb::Envelope& env);

// Ok, or FailedPrecondition when `name` is not a valid user name (see the rules above). Every actor
// is checked so, users or not: it is recorded in events and in the access log.
Status CheckName(std::string_view name);

// Ok, or PermissionDenied naming the actor, its role and what it may not do.
Status Authorize(const State& state, const Actor& actor, Need need);

const char* RoleName(fb::Role role);
// "admin", "manager", "staff" or "auditor"; InvalidArgument otherwise.
Result<fb::Role> ParseRole(std::string_view text);

struct AddUser {
  std::string name;
  fb::Role role = fb::Role::Staff;
};
struct SetRole {
  std::string name;
  fb::Role role = fb::Role::Staff;
};
struct RemoveUser {
  std::string name;
};
using Command = std::variant<AddUser, SetRole, RemoveUser>;

// Events for `c`, none when it changes nothing (adding a user again with the same role).
Result<Events> Decide(const State& state, const Command& c);

}  // namespace crm::access
