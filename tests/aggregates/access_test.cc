// Users and roles (aggregates/access.h): the role matrix, the open data set before the first
// user, the first user an admin, the last admin kept, names unique ignoring case; given events /
// when command / then events or error.
#include "aggregates/access.h"

#include <doctest/doctest.h>

#include "tests/aggregates/aggregate_test_util.h"

namespace crm::testing {
namespace {

using access::Need;

NewEvent UserAdded(std::string name, fb::Role role) {
  fb::UserAddedT e;
  e.name = std::move(name);
  e.role = role;
  return MakeEvent(StreamId("users"), std::move(e));
}

Given<access::State> Team() {
  Given<access::State> given(access::Evolve);
  given.Add({UserAdded("boss", fb::Role::Admin), UserAdded("max", fb::Role::Manager),
             UserAdded("alice", fb::Role::Staff), UserAdded("audrey", fb::Role::Auditor)});
  return given;
}

bool Allowed(const access::State& s, const char* actor, Need need) { return access::Authorize(s, Actor(actor), need).ok(); }

TEST_CASE("with no user everyone may do everything") {
  const access::State empty;
  for (Need n : {Need::kRead, Need::kWrite, Need::kReferenceData, Need::kErase, Need::kUsers}) {
    CHECK(Allowed(empty, "anyone", n));
  }
}

TEST_CASE("the role matrix") {
  const auto given = Team();
  const access::State& s = given.state();
  // read, write, reference data, erase, users
  const std::vector<std::pair<const char*, std::vector<bool>>> rows = {
      {"boss", {true, true, true, true, true}},
      {"max", {true, true, true, true, false}},
      {"alice", {true, true, false, false, false}},
      {"audrey", {true, false, false, false, false}},
      {"stranger", {false, false, false, false, false}},
  };
  const Need needs[] = {Need::kRead, Need::kWrite, Need::kReferenceData, Need::kErase, Need::kUsers};
  for (const auto& [actor, allowed] : rows) {
    for (size_t i = 0; i < 5; ++i) {
      INFO(actor, " need ", i);
      CHECK(Allowed(s, actor, needs[i]) == allowed[i]);
    }
  }
  CHECK(access::Authorize(s, Actor("Boss"), Need::kRead).code() == StatusCode::kPermissionDenied);  // exact names
  CHECK(access::Authorize(s, Actor("alice"), Need::kReferenceData).message().find("(staff)") != std::string::npos);
}

TEST_CASE("the first user must be an admin") {
  const access::State empty;
  CHECK(ErrorOf(access::Decide(empty, access::AddUser{"alice", fb::Role::Staff})) == StatusCode::kFailedPrecondition);
  const auto r = access::Decide(empty, access::AddUser{"boss", fb::Role::Admin});
  REQUIRE(Emitted(r) == "UserAdded");
  CHECK(r->at(0).payload.AsUserAdded()->role == fb::Role::Admin);
}

TEST_CASE("adding: names checked, unique ignoring case, the same again changes nothing") {
  const auto given = Team();
  CHECK(Emitted(access::Decide(given.state(), access::AddUser{"eve", fb::Role::Staff})) == "UserAdded");
  CHECK(Emitted(access::Decide(given.state(), access::AddUser{"alice", fb::Role::Staff})) == "nothing");
  CHECK(ErrorOf(access::Decide(given.state(), access::AddUser{"alice", fb::Role::Admin})) == StatusCode::kAlreadyExists);
  CHECK(ErrorOf(access::Decide(given.state(), access::AddUser{"ALICE", fb::Role::Staff})) == StatusCode::kAlreadyExists);
  for (const char* bad : {"", "a b", "x/y", "ünïcode"}) {
    INFO(bad);
    CHECK(ErrorOf(access::Decide(given.state(), access::AddUser{bad, fb::Role::Staff})) ==
          StatusCode::kFailedPrecondition);
  }
  CHECK(ErrorOf(access::Decide(given.state(), access::AddUser{std::string(65, 'a'), fb::Role::Staff})) ==
        StatusCode::kFailedPrecondition);
}

TEST_CASE("role changes and removals keep an admin") {
  auto given = Team();
  CHECK(ErrorOf(access::Decide(given.state(), access::SetRole{"boss", fb::Role::Manager})) ==
        StatusCode::kFailedPrecondition);
  CHECK(ErrorOf(access::Decide(given.state(), access::RemoveUser{"boss"})) == StatusCode::kFailedPrecondition);
  CHECK(ErrorOf(access::Decide(given.state(), access::SetRole{"nobody", fb::Role::Staff})) == StatusCode::kNotFound);
  CHECK(Emitted(access::Decide(given.state(), access::SetRole{"alice", fb::Role::Staff})) == "nothing");

  const auto promote = access::Decide(given.state(), access::SetRole{"max", fb::Role::Admin});
  REQUIRE(Emitted(promote) == "UserRoleChanged");
  CHECK(promote->at(0).payload.AsUserRoleChanged()->from_role == fb::Role::Manager);
  given.Add(*promote);
  CHECK(given.state().Admins() == 2);
  CHECK(Emitted(access::Decide(given.state(), access::RemoveUser{"boss"})) == "UserRemoved");

  given.Add(*access::Decide(given.state(), access::RemoveUser{"alice"}));
  CHECK(given.state().Find("alice") == nullptr);
  CHECK(access::Authorize(given.state(), Actor("alice"), Need::kRead).code() == StatusCode::kPermissionDenied);
}

TEST_CASE("the only user, an admin, may remove themselves: the data set is open again") {
  Given<access::State> given(access::Evolve);
  given.Add(UserAdded("boss", fb::Role::Admin));
  const auto r = access::Decide(given.state(), access::RemoveUser{"boss"});
  REQUIRE(Emitted(r) == "UserRemoved");
  given.Add(*r);
  CHECK(Allowed(given.state(), "anyone", Need::kUsers));
}

}  // namespace
}  // namespace crm::testing
