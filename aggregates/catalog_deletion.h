// Deleting salespeople and interaction templates (SPEC §4.11; BC blocks a salesperson, Zoho
// deactivates a user), part of the catalog aggregate (catalog.h). Command DeleteEntry; its
// DecideOne and Fold are in catalog_deletion.cc, reached through catalog.h's Decide and Evolve.
//
// Rules: a deleted entry leaves its list and every new use (catalog.h keeps it apart, so whatever
// checks that a salesperson or template exists refuses it) but what named it keeps the code:
// contacts, campaigns and logged interactions are history. Deleting is refused while something
// still depends on it (the caller names what: a salesperson's contacts, leads, campaigns,
// segments not logged, open tasks and opportunities, teams; a template's segments not logged);
// `restore` brings it back. Deleting what is deleted, or restoring what is not, changes nothing;
// adding or setting a deleted code is refused, naming `restore`.
#pragma once

#include <string>
#include <vector>

#include "aggregates/common.h"

namespace crm::catalog {

struct State;

struct DeleteEntry {
  fb::CatalogEntryKind kind = fb::CatalogEntryKind::Salesperson;
  std::string code;
  bool restore = false;
  std::vector<std::string> dependents;  // what still names it ("contact CT0001", "team NORTH")
};

// "salesperson", "interaction template".
std::string EntryKindName(fb::CatalogEntryKind kind);
// Whether `code` (normalised) names a salesperson or template of `kind` that is not deleted.
bool IsLive(const State& s, fb::CatalogEntryKind kind, const std::string& code);

}  // namespace crm::catalog
