// The catalog aggregate's wiring between catalog.cc and its concept files, for them only: one
// DecideOne per command (catalog.h's Decide visits the Command with them) and one Fold per owned
// event (catalog.h's Evolve visits OwnEvents with them, so an event added to OwnEvents without
// its Fold does not compile). Each concept's overloads are defined in its .cc. Fold never fails
// and never validates.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "aggregates/catalog.h"

namespace crm::catalog {

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

}  // namespace crm::catalog
