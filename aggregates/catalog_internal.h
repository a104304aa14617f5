// The catalog aggregate's wiring between catalog.cc and its concept files, for them only: one
// DecideOne per command (catalog.h's Decide visits the Command with them) and one Fold per owned
// event (catalog.h's Evolve visits OwnEvents with them, so an event added to OwnEvents without
// its Fold does not compile). Each concept's overloads are defined in its .cc. Fold never fails
// and never validates.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aggregates/catalog.h"

namespace crm::catalog {

// A definition added once and never redefined (sales cycles, activities: what was made from it
// names it): nullopt when `def` is new, no events when it exists the same (a retry), else
// AlreadyExists: "WHAT CODE already exists, defined otherwise (WHY: add a new code)".
template <typename T>
std::optional<Result<Events>> AddedOnce(const std::map<std::string, T>& existing, const T& def, std::string_view what,
                                        std::string_view why) {
  auto it = existing.find(def.code);
  if (it == existing.end()) return std::nullopt;
  if (it->second == def) return Result<Events>(Events{});
  return Result<Events>(Status::AlreadyExists(std::string(what) + " " + def.code + " already exists, defined otherwise (" +
                                              std::string(why) + ": add a new code)"));
}

// catalog_templates.cc
Result<Events> DecideOne(const reference::State&, const State& s, const AddTemplate& c);
Result<Events> DecideOne(const reference::State&, const State& s, const SetTemplate& c);
void Fold(State* s, const fb::InteractionTemplateAdded* e);
void Fold(State* s, const fb::InteractionTemplateChanged* e);
void Fold(State* s, const fb::InteractionTemplateAttachmentSet* e);

// catalog_people.cc
Result<Events> DecideOne(const reference::State&, const State& s, const AddSalesperson& c);
Result<Events> DecideOne(const reference::State&, const State& s, const SetSalesperson& c);
Result<Events> DecideOne(const reference::State&, const State& s, const AddTeam& c);
Result<Events> DecideOne(const reference::State&, const State& s, const SetTeam& c);
void Fold(State* s, const fb::SalespersonAdded* e);
void Fold(State* s, const fb::SalespersonChanged* e);
void Fold(State* s, const fb::TeamAdded* e);
void Fold(State* s, const fb::TeamChanged* e);

// catalog_criteria.cc
Result<Events> DecideOne(const reference::State&, const State& s, const SaveCriteria& c);
void Fold(State* s, const fb::SegmentCriteriaSaved* e);

// catalog_mail.cc
Result<Events> DecideOne(const reference::State&, const State& s, const SetMail& c);
void Fold(State* s, const fb::MailSettingsSet* e);

// sales_cycle.cc
Result<Events> DecideOne(const reference::State&, const State& s, const AddSalesCycle& c);
void Fold(State* s, const fb::SalesCycleAdded* e);

// catalog_deletion.cc
Result<Events> DecideOne(const reference::State&, const State& s, const DeleteEntry& c);
void Fold(State* s, const fb::CatalogEntryDeleted* e);
// FailedPrecondition naming `restore` when `code` of `kind` was deleted (adding or setting it).
Status RefuseDeletedEntry(const State& s, fb::CatalogEntryKind kind, const std::string& code);

// catalog_activities.cc
Result<Events> DecideOne(const reference::State&, const State& s, const AddActivity& c);
void Fold(State* s, const fb::ActivityAdded* e);

}  // namespace crm::catalog
