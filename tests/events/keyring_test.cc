// The keyring (events/keyring.h) against a temporary RocksDB: keys made once and kept, erasure
// final and told apart from a lost key, rows from another replica (Receive) applied with the
// same rules, and a Distributor told about every key before it is stored.
#include "events/keyring.h"

#include <doctest/doctest.h>

#include "tests/events/temp_store.h"

namespace crm {
namespace {

struct TempKeys : TempStore {
  TempKeys() : TempStore({Keyring::kColumnFamily}) {}
};

// Records what would be published.
class Recorder final : public Keyring::Distributor {
 public:
  Status Publish(const std::vector<Keyring::Row>& rows) override {
    ++publishes;
    for (const auto& r : rows) published.push_back(r);
    return Status::Ok();
  }
  Status Fetch(Keyring*) override {
    ++fetches;
    return Status::Ok();
  }
  std::vector<Keyring::Row> published;
  int publishes = 0;
  int fetches = 0;
};

TEST_CASE("a person's key is made once, found again, and destroyed for good") {
  TempKeys t;
  Keyring keys(t.store.get());
  auto made = keys.Ensure({"CT0001", "CT0002", "CT0001"});
  REQUIRE(made.ok());
  REQUIRE(made->size() == 3);
  CHECK((*made)[0].id == (*made)[2].id);  // named twice, one key
  CHECK((*made)[0].id != (*made)[1].id);
  auto again = keys.Ensure({"CT0001"});
  REQUIRE(again.ok());
  CHECK((*again)[0].id == (*made)[0].id);
  CHECK((*again)[0].key == (*made)[0].key);

  auto found = keys.Find("CT0001", (*made)[0].id);
  REQUIRE(found.ok());
  REQUIRE(found->has_value());
  CHECK(**found == (*made)[0].key);
  CHECK(keys.Find("CT0001", "0000000000000000").status().code() == StatusCode::kNotFound);
  CHECK(keys.Find("CT0003", "0000000000000000").status().code() == StatusCode::kNotFound);

  Store::Txn txn(t.store.get());
  REQUIRE(Keyring::Destroy(t.store.get(), "CT0001", &txn).ok());
  REQUIRE(txn.Commit(true).ok());
  auto erased = keys.Find("CT0001", (*made)[0].id);
  REQUIRE(erased.ok());
  CHECK_FALSE(erased->has_value());  // erased, not lost
  CHECK(keys.Ensure({"CT0001"}).status().code() == StatusCode::kFailedPrecondition);
  auto other = keys.Find("CT0002", (*made)[1].id);
  REQUIRE(other.ok());
  CHECK(other->has_value());  // only that person's key went

  // A key of an erased person arriving from another replica is refused.
  Store::Txn in(t.store.get());
  const std::string bytes(32, 'k');
  REQUIRE(keys.Receive("CT0001/aaaaaaaaaaaaaaaa", bytes, &in).ok());
  REQUIRE(keys.Receive("CT0004/bbbbbbbbbbbbbbbb", bytes, &in).ok());
  REQUIRE(in.Commit(true).ok());
  auto refused = keys.Find("CT0001", "aaaaaaaaaaaaaaaa");
  REQUIRE(refused.ok());
  CHECK_FALSE(refused->has_value());
  auto received = keys.Find("CT0004", "bbbbbbbbbbbbbbbb");
  REQUIRE(received.ok());
  REQUIRE(received->has_value());
  CHECK((*received)->at(0) == 'k');
  // The erased row from another replica destroys the keys here too.
  Store::Txn gone(t.store.get());
  REQUIRE(keys.Receive("CT0004", "", &gone).ok());
  REQUIRE(gone.Commit(true).ok());
  auto after = keys.Find("CT0004", "bbbbbbbbbbbbbbbb");
  REQUIRE(after.ok());
  CHECK_FALSE(after->has_value());
}

TEST_CASE("with a distributor, keys are published before they are stored, and erasure deletes them") {
  TempKeys t;
  Recorder log;
  Keyring keys(t.store.get(), &log);
  auto made = keys.Ensure({"CT0001"});
  REQUIRE(made.ok());
  REQUIRE(log.published.size() == 1);
  CHECK(log.published[0].first == "CT0001/" + (*made)[0].id);
  CHECK(log.published[0].second.value().size() == 32);

  // A lost key makes a replica fetch the published ones once.
  CHECK(keys.Find("CT0001", "ffffffffffffffff").status().code() == StatusCode::kNotFound);
  CHECK(log.fetches == 1);

  REQUIRE(keys.Unpublish("CT0001").ok());
  CHECK(log.fetches == 2);  // first learns of keys other writers made
  REQUIRE(log.published.size() == 3);
  CHECK(log.published[1].first == "CT0001/" + (*made)[0].id);
  CHECK_FALSE(log.published[1].second.has_value());  // tombstone
  CHECK(log.published[2].first == "CT0001");
  CHECK(log.published[2].second.value().empty());  // the erased row
}

TEST_CASE("new keys of one command are published together, before any is stored") {
  TempKeys t;
  Recorder log;
  Keyring keys(t.store.get(), &log);
  REQUIRE(keys.Ensure({"CT0001", "CT0002", "CT0003", "CT0002"}).ok());
  CHECK(log.publishes == 1);
  CHECK(log.published.size() == 3);
  REQUIRE(keys.Ensure({"CT0001", "CT0002"}).ok());  // nothing new: nothing published
  CHECK(log.publishes == 1);
}

TEST_CASE("a person the command creates is not looked up; a key left over stays usable") {
  TempKeys t;
  Keyring keys(t.store.get());
  // An earlier attempt made a key for CT0007 and never appended: the number is given again.
  auto left = keys.Ensure({"CT0007"});
  REQUIRE(left.ok());
  auto made = keys.Ensure({"CT0007", "CT0008"}, {"CT0007", "CT0008"});
  REQUIRE(made.ok());
  CHECK((*made)[0].id != (*left)[0].id);  // a second key, not a lookup
  for (const auto& k : {(*left)[0], (*made)[0]}) {
    auto found = keys.Find("CT0007", k.id);
    REQUIRE(found.ok());
    REQUIRE(found->has_value());
    CHECK(**found == k.key);
  }
  // Erasure destroys every key of the person.
  Store::Txn txn(t.store.get());
  REQUIRE(Keyring::Destroy(t.store.get(), "CT0007", &txn).ok());
  REQUIRE(txn.Commit(true).ok());
  for (const auto& k : {(*left)[0], (*made)[0]}) {
    auto found = keys.Find("CT0007", k.id);
    REQUIRE(found.ok());
    CHECK_FALSE(found->has_value());
  }
}

}  // namespace
}  // namespace crm
