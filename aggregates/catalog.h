// Sales catalogue aggregate (stream "catalog"): the reference data that segments, interactions and
// deliveries refer to. One stream, one State, one Command; each concept in its own file pair,
// with its rules at the top of its header: interaction templates and their attachments (SPEC
// §4.1, catalog_templates.h), salespeople and teams (SPEC §4.1, catalog_people.h), segment
// criteria saved for reuse (SPEC §4.5, catalog_criteria.h), mail settings (SPEC 4.6,
// catalog_mail.h), sales cycles (SPEC §4.8, sales_cycle.h), activities (SPEC §4.8,
// catalog_activities.h) and the deletion of salespeople and templates (catalog_deletion.h). This file includes them all.
//
// Rules for all: nothing is decided before the data set is initialised; codes are normalised
// (upper case, <= 20 chars). Adding what exists with the same definition is a no-op (a retry);
// with a different one it is refused (use `set`).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <variant>

#include "aggregates/catalog_activities.h"
#include "aggregates/catalog_criteria.h"
#include "aggregates/catalog_deletion.h"
#include "aggregates/catalog_mail.h"
#include "aggregates/catalog_people.h"
#include "aggregates/catalog_templates.h"
#include "aggregates/common.h"
#include "aggregates/reference.h"
#include "aggregates/sales_cycle.h"

namespace crm::catalog {

struct State {
  MailSettings mail;
  std::map<std::string, SalesCycle> sales_cycles;
  std::map<std::string, TemplateDef> templates;
  std::map<std::string, Salesperson> salespeople;
  std::map<std::string, Team> teams;
  std::map<std::string, SavedCriteria> criteria;
  std::map<std::string, Activity> activities;
  // Deleted (catalog_deletion.h): kept apart, so that a check of what exists refuses them.
  std::map<std::string, TemplateDef> deleted_templates;
  std::map<std::string, Salesperson> deleted_salespeople;
};

// The events this aggregate owns and folds (events/owner.h: Owner::kCatalog).
using OwnEvents = EventList<fb::InteractionTemplateAdded, fb::InteractionTemplateChanged,
                            fb::InteractionTemplateAttachmentSet, fb::SalespersonAdded, fb::SalespersonChanged,
                            fb::TeamAdded, fb::TeamChanged, fb::SegmentCriteriaSaved, fb::MailSettingsSet,
                            fb::SalesCycleAdded, fb::ActivityAdded, fb::CatalogEntryDeleted>;
State Evolve(State state, const fb::Envelope& env);

using Command = std::variant<AddTemplate, SetTemplate, AddSalesperson, SetSalesperson, AddTeam, SetTeam, SaveCriteria,
                             SetMail, AddSalesCycle, AddActivity, DeleteEntry>;

Result<Events> Decide(const reference::State& ref, const State& state, const Command& command);

StreamId CatalogStream();

// Lower-case hex SHA-256 of `bytes` (the attachment's identity).
std::string Sha256Hex(std::string_view bytes);

}  // namespace crm::catalog
