// Who owns each event type (STYLE rule 5). The owner is the one aggregate whose Decide emits the
// event and whose Evolve folds it; the aggregate lists its events as an EventList (events/
// event_list.h), and tests/aggregates/owner_test.cc checks that every event type is in exactly
// one owner's list and that the list's owner is OwnerOf here. Routing code goes through OwnerOf:
// the projector picks the read model that applies a record by its owner.
//
// Adding an event type: the compiler names OwnerOf's switch (no default, -Werror=switch), the
// owner's list and Evolve; nothing else.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "events/crm_events_generated.h"

namespace crm {

enum class Owner : uint8_t {
  kReference,    // aggregates/reference.h: statuses, profile codes, the data set
  kCatalog,      // aggregates/catalog.h: templates, salespeople, teams, criteria, mail, sales cycles
  kAccess,       // aggregates/access.h: users and roles
  kContact,      // aggregates/contact.h: contacts
  kLead,         // aggregates/contact.h: leads
  kPerson,       // aggregates/contact.h: what contacts and leads share (consent, erasure, removal)
  kCampaign,     // aggregates/campaign.h
  kMembership,   // aggregates/membership.h: campaign members
  kSegment,      // aggregates/segment.h
  kLogging,      // aggregates/logging.h: logged segments and interaction entries
  kDelivery,     // aggregates/delivery.h: sending a logged entry
  kOpportunity,  // aggregates/opportunity.h
};

inline constexpr Owner kOwners[] = {Owner::kReference, Owner::kCatalog,  Owner::kAccess,     Owner::kContact,
                                    Owner::kLead,      Owner::kPerson,   Owner::kCampaign,   Owner::kMembership,
                                    Owner::kSegment,   Owner::kLogging,  Owner::kDelivery,   Owner::kOpportunity};

// nullopt for NONE, the empty union (no record has it; the codec refuses it).
std::optional<Owner> OwnerOf(fb::Event type);

std::string_view OwnerName(Owner owner);

}  // namespace crm
