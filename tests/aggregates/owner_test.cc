// One owner per event (STYLE rule 5): every event type of the schema is in exactly one aggregate's
// list of owned events, and that aggregate is the one events/owner.h routes it to. A new event
// type fails here until it has an owner, in the list and in RouteOf alike, and a reader; a read
// model no event reaches fails too.

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "aggregates/access.h"
#include "aggregates/campaign.h"
#include "aggregates/catalog.h"
#include "aggregates/contact.h"
#include "aggregates/lead.h"
#include "aggregates/delivery.h"
#include "aggregates/logging.h"
#include "aggregates/membership.h"
#include "aggregates/opportunity.h"
#include "aggregates/reference.h"
#include "aggregates/segment.h"
#include "aggregates/task.h"
#include "events/owner.h"

namespace crm {
namespace {

struct OwnedList {
  Owner owner;
  bool (*contains)(fb::Event);
  std::size_t size;
};

template <typename List>
OwnedList Owned(Owner owner) {
  return {owner, [](fb::Event t) { return List::Contains(t); }, List::kSize};
}

std::vector<OwnedList> AllLists() {
  return {Owned<reference::OwnEvents>(Owner::kReference),     Owned<catalog::OwnEvents>(Owner::kCatalog),
          Owned<access::OwnEvents>(Owner::kAccess),           Owned<contact::ContactEvents>(Owner::kContact),
          Owned<contact::LeadEvents>(Owner::kLead),           Owned<contact::PersonEvents>(Owner::kPerson),
          Owned<campaign::OwnEvents>(Owner::kCampaign),       Owned<membership::OwnEvents>(Owner::kMembership),
          Owned<segment::OwnEvents>(Owner::kSegment),         Owned<logging::OwnEvents>(Owner::kLogging),
          Owned<delivery::OwnEvents>(Owner::kDelivery),       Owned<opportunity::OwnEvents>(Owner::kOpportunity),
          Owned<task::OwnEvents>(Owner::kTask)};
}

TEST_CASE("every event type has exactly one owner, the one OwnerOf names") {
  const std::vector<OwnedList> lists = AllLists();
  std::size_t listed = 0;
  for (const OwnedList& l : lists) listed += l.size;
  std::size_t types = 0;
  for (fb::Event type : fb::EnumValuesEvent()) {
    if (type == fb::Event::NONE) {
      CHECK_FALSE(OwnerOf(type).has_value());
      continue;
    }
    ++types;
    CAPTURE(std::string(fb::EnumNameEvent(type)));
    std::vector<Owner> owners;
    for (const OwnedList& l : lists) {
      if (l.contains(type)) owners.push_back(l.owner);
    }
    REQUIRE(owners.size() == 1);
    REQUIRE(OwnerOf(type).has_value());
    CHECK(OwnerName(*OwnerOf(type)) == OwnerName(owners.front()));
  }
  CHECK(listed == types);  // no list names a type twice
}

TEST_CASE("every owner has a list and a name") {
  const std::vector<OwnedList> lists = AllLists();
  for (Owner owner : kOwners) {
    CAPTURE(std::string(OwnerName(owner)));
    CHECK(OwnerName(owner) != "?");
    int n = 0;
    for (const OwnedList& l : lists) n += l.owner == owner;
    CHECK(n == 1);
  }
  CHECK(lists.size() == std::size(kOwners));
}

TEST_CASE("every event type has a reader, and every read model reads an event") {
  std::vector<int> events_read(std::size(kReaders), 0);
  for (fb::Event type : fb::EnumValuesEvent()) {
    if (type == fb::Event::NONE) {
      CHECK_FALSE(RouteOf(type).has_value());
      continue;
    }
    CAPTURE(std::string(fb::EnumNameEvent(type)));
    REQUIRE(RouteOf(type).has_value());
    int readers = 0;
    RouteOf(type)->readers.ForEach([&](Reader m) {
      ++readers;
      ++events_read[static_cast<std::size_t>(m)];
    });
    CHECK(readers >= 1);
  }
  for (Reader m : kReaders) {
    CAPTURE(std::string(ReaderName(m)));
    CHECK(ReaderName(m) != "?");
    CHECK(events_read[static_cast<std::size_t>(m)] > 0);
  }
}

TEST_CASE("a set of read models holds what it was given, in declaration order") {
  const Readers set{Reader::kSegments, Reader::kReference, Reader::kSegments};
  CHECK(set.Contains(Reader::kReference));
  CHECK(set.Contains(Reader::kSegments));
  CHECK_FALSE(set.Contains(Reader::kRoster));
  std::vector<Reader> seen;
  set.ForEach([&](Reader m) { seen.push_back(m); });
  CHECK(seen == std::vector<Reader>{Reader::kReference, Reader::kSegments});
}

}  // namespace
}  // namespace crm
