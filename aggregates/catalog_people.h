// Salespeople and teams of the sales catalogue (SPEC §4.1), part of the catalog aggregate
// (catalog.h). Commands AddSalesperson, SetSalesperson, AddTeam and SetTeam; their DecideOne and
// Fold are in catalog_people.cc, reached through catalog.h's Decide and Evolve.
//
// Rules: codes are normalised (upper case, <= 20 chars); a salesperson needs a name and a
// well-formed email if any; a team needs at least one member and only defined salespeople
// (members kept sorted, each once). Adding what exists with the same definition is a no-op (a
// retry); with a different one it is refused (use `set`); setting what is already so is a no-op.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace crm::catalog {

struct Salesperson {
  std::string code;
  std::string name;
  std::string email;
};

struct Team {
  std::string code;
  std::string description;
  std::vector<std::string> members;  // salesperson codes, sorted
};

struct AddSalesperson {
  std::string code, name, email;
};
struct SetSalesperson {
  std::string code;
  std::optional<std::string> name, email;
};
struct AddTeam {
  std::string code, description;
  std::vector<std::string> members;
};
struct SetTeam {
  std::string code;
  std::optional<std::string> description;
  std::optional<std::vector<std::string>> members;  // the whole new list
};

}  // namespace crm::catalog
