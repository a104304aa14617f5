// Who owns each event type and who reads it (STYLE rule 5): RouteOf's one switch names, for every
// event type, the one aggregate whose Decide emits it and whose Evolve folds it, the read models
// (projections/) that consume it, and whether it carries personal data. The aggregate lists its
// events as an EventList (events/event_list.h); tests/aggregates/owner_test.cc checks that every
// event type is in exactly one owner's list, that the list's owner is the one named here, and
// that every event type has a reader and every read model an event. The projector routes a
// record to its readers through RouteOf, and sealing looks into a record only when RouteOf says
// it is personal.
//
// Adding an event type: the compiler names RouteOf's switch (no default, -Werror=switch), the
// owner's list and Evolve, and each reader's Apply; nothing else.
#pragma once

#include <cstdint>
#include <initializer_list>
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
  kTask,         // aggregates/task.h
};

inline constexpr Owner kOwners[] = {Owner::kReference, Owner::kCatalog, Owner::kAccess,   Owner::kContact,
                                    Owner::kLead,      Owner::kPerson,  Owner::kCampaign, Owner::kMembership,
                                    Owner::kSegment,   Owner::kLogging, Owner::kDelivery, Owner::kOpportunity,
                                    Owner::kTask};

// The read models that consume events, each a set of rows the projector writes
// (projections/projector.h says where).
enum class Reader : uint8_t {
  kReference,      // statuses, profile codes, the data set
  kCatalog,        // templates and their attachments, salespeople, teams, criteria, mail, sales cycles
  kUsers,          // users and roles
  kParties,        // contacts and leads, with the email index
  kCampaigns,      // campaigns and their children
  kOpportunities,  // opportunities, indexed by campaign
  kRoster,         // campaign members, status counts and member history
  kSegments,       // segment headers and lines
  kInteractions,   // logged segments, interaction entries and deliveries
  kTasks,          // tasks, indexed by campaign (projections/task_rows.h)
};

inline constexpr Reader kReaders[] = {Reader::kReference, Reader::kCatalog,   Reader::kUsers,
                                      Reader::kParties,   Reader::kCampaigns, Reader::kOpportunities,
                                      Reader::kRoster,    Reader::kSegments,  Reader::kInteractions,
                                      Reader::kTasks};

// A small set of read models, iterated in declaration order.
class Readers {
 public:
  constexpr Readers(std::initializer_list<Reader> models) {
    for (Reader m : models) bits_ |= Bit(m);
  }
  constexpr bool Contains(Reader m) const { return (bits_ & Bit(m)) != 0; }
  template <typename Fn>
  void ForEach(Fn&& fn) const {
    for (Reader m : kReaders) {
      if (Contains(m)) fn(m);
    }
  }

 private:
  static constexpr uint16_t Bit(Reader m) { return static_cast<uint16_t>(1u << static_cast<unsigned>(m)); }
  uint16_t bits_ = 0;
};

struct Route {
  Owner owner;
  Readers readers;
  // Whether the event carries personal fields, sealed per person (events/sealing.h): sealing
  // opens and seals only these, and its list of them must agree (tests/events/sealing_test.cc).
  bool personal = false;
};
inline constexpr bool kPersonal = true;

// nullopt for NONE, the empty union (no record has it; the codec refuses it).
std::optional<Route> RouteOf(fb::Event type);
std::optional<Owner> OwnerOf(fb::Event type);

std::string_view OwnerName(Owner owner);
std::string_view ReaderName(Reader model);

}  // namespace crm
