#include "aggregates/access.h"

#include <algorithm>

#include "events/quote.h"

namespace crm::access {
namespace {

StreamId UsersStream() { return StreamId("users"); }

const char* NeedText(Need need) {
  switch (need) {
    case Need::kRead: return "read";
    case Need::kWrite: return "change data";
    case Need::kReferenceData: return "change reference data (statuses, codes, templates, salespeople, mail settings)";
    case Need::kErase: return "erase personal data";
    case Need::kUsers: return "manage users";
  }
  return "?";
}

bool Allows(fb::Role role, Need need) {
  switch (role) {
    case fb::Role::Admin: return true;
    case fb::Role::Manager: return need != Need::kUsers;
    case fb::Role::Staff: return need == Need::kRead || need == Need::kWrite;
    case fb::Role::Auditor: return need == Need::kRead;
  }
  return false;
}

}  // namespace

Status CheckName(std::string_view name) {
  const bool ok = !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
           c == '-' || c == '@';
  });
  if (!ok) {
    return Status::FailedPrecondition("user name " + Quote(name) + " must be 1 to 64 letters, digits and . _ - @");
  }
  return Status::Ok();
}

namespace {

const std::string* FindIgnoringCase(const State& s, std::string_view name) {
  for (const auto& [n, role] : s.users) {
    if (EqualsIgnoreCase(n, name)) return &n;
  }
  return nullptr;
}

}  // namespace

const fb::Role* State::Find(std::string_view name) const {
  auto it = users.find(std::string(name));
  return it == users.end() ? nullptr : &it->second;
}

size_t State::Admins() const {
  return static_cast<size_t>(std::count_if(users.begin(), users.end(), [](const auto& u) { return u.second == fb::Role::Admin; }));
}

const char* RoleName(fb::Role role) {
  switch (role) {
    case fb::Role::Admin: return "admin";
    case fb::Role::Manager: return "manager";
    case fb::Role::Staff: return "staff";
    case fb::Role::Auditor: return "auditor";
  }
  return "?";
}

Result<fb::Role> ParseRole(std::string_view text) {
  for (fb::Role r : {fb::Role::Admin, fb::Role::Manager, fb::Role::Staff, fb::Role::Auditor}) {
    if (EqualsIgnoreCase(text, RoleName(r))) return r;
  }
  return Status::InvalidArgument("role '" + std::string(text) + "' is not one of admin, manager, staff, auditor");
}

Status Authorize(const State& state, const Actor& actor, Need need) {
  if (state.users.empty()) return Status::Ok();
  const fb::Role* role = state.Find(actor.value());
  if (role == nullptr) {
    return Status::PermissionDenied("'" + actor.value() + "' is not a user of this data set (set --as or CRM_USER)");
  }
  if (!Allows(*role, need)) {
    return Status::PermissionDenied("'" + actor.value() + "' (" + RoleName(*role) + ") may not " + NeedText(need));
  }
  return Status::Ok();
}

State Evolve(State s, const fb::Envelope& env) {
  Visit(OwnEvents{}, env,
        Overloaded{[&](const fb::UserAdded* e) { s.users[Str(e->name())] = e->role(); },
                   [&](const fb::UserRoleChanged* e) { s.users[Str(e->name())] = e->role(); },
                   [&](const fb::UserRemoved* e) { s.users.erase(Str(e->name())); }});
  return s;
}

Result<Events> Decide(const State& state, const Command& command) {
  Events out;
  if (const auto* c = std::get_if<AddUser>(&command)) {
    CRM_RETURN_IF_ERROR(CheckName(c->name));
    if (const fb::Role* role = state.Find(c->name); role != nullptr) {
      if (*role == c->role) return out;  // added again: nothing changes
      return Status::AlreadyExists("user " + c->name + " exists with role " + RoleName(*role) +
                                   " (change it with: user set-role)");
    }
    if (const std::string* other = FindIgnoringCase(state, c->name)) {
      return Status::AlreadyExists("user " + *other + " exists; names are unique ignoring case");
    }
    if (state.users.empty() && c->role != fb::Role::Admin) {
      return Status::FailedPrecondition("the first user must be an admin, who can then add the others");
    }
    fb::UserAddedT e;
    e.name = c->name;
    e.role = c->role;
    out.push_back(MakeEvent(UsersStream(), std::move(e)));
  } else if (const auto* c = std::get_if<SetRole>(&command)) {
    const fb::Role* role = state.Find(c->name);
    if (role == nullptr) return Status::NotFound("user " + c->name + " does not exist");
    if (*role == c->role) return out;
    if (*role == fb::Role::Admin && state.Admins() == 1) {
      return Status::FailedPrecondition("user " + c->name + " is the last admin; make another user admin first");
    }
    fb::UserRoleChangedT e;
    e.name = c->name;
    e.role = c->role;
    e.from_role = *role;
    out.push_back(MakeEvent(UsersStream(), std::move(e)));
  } else if (const auto* c = std::get_if<RemoveUser>(&command)) {
    const fb::Role* role = state.Find(c->name);
    if (role == nullptr) return Status::NotFound("user " + c->name + " does not exist");
    if (*role == fb::Role::Admin && state.Admins() == 1 && state.users.size() > 1) {
      return Status::FailedPrecondition("user " + c->name + " is the last admin; make another user admin first");
    }
    fb::UserRemovedT e;
    e.name = c->name;
    e.role = *role;
    out.push_back(MakeEvent(UsersStream(), std::move(e)));
  }
  return out;
}

}  // namespace crm::access
