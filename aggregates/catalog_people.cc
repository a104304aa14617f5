// Salespeople and teams: decisions and fold. Rules: catalog_people.h.
#include "aggregates/catalog_people.h"

#include <algorithm>
#include <utility>

#include "aggregates/catalog_internal.h"

namespace crm::catalog {
namespace {

Result<Salesperson> CheckSalesperson(Salesperson p) {
  CRM_ASSIGN_OR_RETURN(p.name, CheckText(p.name, "salesperson name", 50, true));
  p.email = Trim(p.email);
  CRM_RETURN_IF_ERROR(CheckEmail(p.email));
  return p;
}

template <typename T>
NewEvent SalespersonEvent(const Salesperson& p) {
  T e;
  e.code = p.code;
  e.name = p.name;
  e.email = p.email;
  return MakeEvent(CatalogStream(), std::move(e));
}

// Normalised, defined, sorted and unique salesperson codes; at least one.
Result<std::vector<std::string>> TeamMembers(const State& s, const std::vector<std::string>& given) {
  std::vector<std::string> members;
  for (const std::string& m : given) {
    CRM_ASSIGN_OR_RETURN(std::string code, NormalizeCode(m, "salesperson code"));
    CRM_RETURN_IF_ERROR(RefuseDeletedEntry(s, fb::CatalogEntryKind::Salesperson, code));
    if (!s.salespeople.contains(code)) return Status::NotFound("salesperson " + code + " does not exist");
    members.push_back(code);
  }
  std::sort(members.begin(), members.end());
  members.erase(std::unique(members.begin(), members.end()), members.end());
  if (members.empty()) return Status::FailedPrecondition("a team needs at least one member (--member SP)");
  return members;
}

template <typename T>
NewEvent TeamEvent(const Team& t) {
  T e;
  e.code = t.code;
  e.description = t.description;
  e.members = t.members;
  return MakeEvent(CatalogStream(), std::move(e));
}

}  // namespace

Result<Events> DecideOne(const reference::State&, const State& s, const AddSalesperson& c) {
  Salesperson p;
  CRM_ASSIGN_OR_RETURN(p.code, NormalizeCode(c.code, "salesperson code"));
  p.name = c.name;
  p.email = c.email;
  CRM_ASSIGN_OR_RETURN(p, CheckSalesperson(std::move(p)));
  CRM_RETURN_IF_ERROR(RefuseDeletedEntry(s, fb::CatalogEntryKind::Salesperson, p.code));
  if (auto it = s.salespeople.find(p.code); it != s.salespeople.end()) {
    if (it->second.name == p.name && it->second.email == p.email) return Events{};
    return Status::AlreadyExists("salesperson " + p.code + " already exists (use 'salesperson set')");
  }
  return Events{SalespersonEvent<fb::SalespersonAddedT>(p)};
}

Result<Events> DecideOne(const reference::State&, const State& s, const SetSalesperson& c) {
  CRM_ASSIGN_OR_RETURN(std::string code, NormalizeCode(c.code, "salesperson code"));
  CRM_RETURN_IF_ERROR(RefuseDeletedEntry(s, fb::CatalogEntryKind::Salesperson, code));
  auto it = s.salespeople.find(code);
  if (it == s.salespeople.end()) return Status::NotFound("salesperson " + code + " does not exist");
  Salesperson p = it->second;
  if (c.name) p.name = *c.name;
  if (c.email) p.email = *c.email;
  CRM_ASSIGN_OR_RETURN(p, CheckSalesperson(std::move(p)));
  if (p.name == it->second.name && p.email == it->second.email) return Events{};
  return Events{SalespersonEvent<fb::SalespersonChangedT>(p)};
}

Result<Events> DecideOne(const reference::State&, const State& s, const AddTeam& c) {
  Team t;
  CRM_ASSIGN_OR_RETURN(t.code, NormalizeCode(c.code, "team code"));
  CRM_ASSIGN_OR_RETURN(t.description, CheckText(c.description, "description", 100, false));
  CRM_ASSIGN_OR_RETURN(t.members, TeamMembers(s, c.members));
  if (auto it = s.teams.find(t.code); it != s.teams.end()) {
    if (it->second.description == t.description && it->second.members == t.members) return Events{};
    return Status::AlreadyExists("team " + t.code + " already exists (use 'team set')");
  }
  return Events{TeamEvent<fb::TeamAddedT>(t)};
}

Result<Events> DecideOne(const reference::State&, const State& s, const SetTeam& c) {
  CRM_ASSIGN_OR_RETURN(std::string code, NormalizeCode(c.code, "team code"));
  auto it = s.teams.find(code);
  if (it == s.teams.end()) return Status::NotFound("team " + code + " does not exist");
  Team t = it->second;
  if (c.description) {
    CRM_ASSIGN_OR_RETURN(t.description, CheckText(*c.description, "description", 100, false));
  }
  if (c.members) {
    CRM_ASSIGN_OR_RETURN(t.members, TeamMembers(s, *c.members));
  }
  if (t.description == it->second.description && t.members == it->second.members) return Events{};
  return Events{TeamEvent<fb::TeamChangedT>(t)};
}

void Fold(State* s, const fb::SalespersonAdded* e) {
  s->salespeople[Str(e->code())] = {Str(e->code()), Str(e->name()), Str(e->email())};
}

void Fold(State* s, const fb::SalespersonChanged* e) {
  s->salespeople[Str(e->code())] = {Str(e->code()), Str(e->name()), Str(e->email())};
}

void Fold(State* s, const fb::TeamAdded* e) {
  s->teams[Str(e->code())] = {Str(e->code()), Str(e->description()), Strs(e->members())};
}

void Fold(State* s, const fb::TeamChanged* e) {
  s->teams[Str(e->code())] = {Str(e->code()), Str(e->description()), Strs(e->members())};
}

}  // namespace crm::catalog
