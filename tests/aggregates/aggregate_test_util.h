// Helpers for aggregate tests written as "given events / when command / then events or error".
//
//   Given given(reference::Evolve);
//   given.Add(InitialisedReference());                      // given events
//   auto r = reference::Decide(given.state(), command);     // when command
//   REQUIRE(Emitted(r) == "MemberStatusChanged MemberStatusAdded");  // then events ...
//   CHECK(r->at(1).payload.AsMemberStatusAdded()->is_default);
//   CHECK(ErrorOf(r) == StatusCode::kNotFound);              // ... or error
//
// Given events go through the real envelope codec (EncodeEnvelope, then the verifying decoder),
// so a fold sees exactly what it would see when replaying a ledger. Given-histories are built
// from literal events, not from the Decide under test, so a broken Decide cannot hide itself.
// No I/O; not thread-safe (test-local values).
#pragma once

#include <doctest/doctest.h>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "aggregates/common.h"
#include "aggregates/membership.h"
#include "aggregates/reference.h"

// Commands are written with designated initializers naming only what a test cares about
// (`AddMemberStatus{.name = "Invited", .is_default = true}`); GCC 12 still warns about the members
// left to their defaults then, so the tests that include this header turn that warning off.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace crm::testing {

// The frozen "now" of every test (SPEC §2 clock example).
inline constexpr std::string_view kNow = "2027-01-10T09:00:00Z";

Timestamp Ts(std::string_view text);  // "2027-01-10T09:00:00Z"
Date Day(std::string_view text);      // "2027-01-10"
RecordNo No(std::string_view text);   // "CP0001"
CommandContext Ctx();                 // actor "alice", at kNow

// Encodes NewEvents as ledger records (one hash chain, per-stream versions) and owns the bytes,
// so the returned envelope stays valid as long as this log lives.
class EnvelopeLog {
 public:
  const fb::Envelope& Append(const NewEvent& event);
  void set_time(Timestamp at) { at_ = at; }
  void set_actor(std::string actor) { actor_ = std::move(actor); }

 private:
  std::vector<std::string> records_;
  std::map<std::string, uint64_t> stream_versions_;
  Hash prev_{};
  Timestamp at_ = Ts(kNow);
  std::string actor_ = "alice";
};

// Folds given events into a state with an aggregate's Evolve function.
template <typename State>
class Given {
 public:
  explicit Given(State (*evolve)(State, const fb::Envelope&), State initial = State{})
      : evolve_(evolve), state_(std::move(initial)) {}

  // Recorded-at and actor of the events added from now on.
  Given& At(std::string_view timestamp) {
    log_.set_time(Ts(timestamp));
    return *this;
  }
  Given& By(std::string actor) {
    log_.set_actor(std::move(actor));
    return *this;
  }
  Given& Add(const NewEvent& event) {
    state_ = evolve_(std::move(state_), log_.Append(event));
    return *this;
  }
  Given& Add(const Events& events) {
    for (const auto& e : events) Add(e);
    return *this;
  }
  const State& state() const { return state_; }

 private:
  State (*evolve_)(State, const fb::Envelope&);
  State state_;
  EnvelopeLog log_;
};

// Then: "nothing", the event type names ("MemberAdded MemberAdded"), or "error: <status>".
// REQUIRE on it before touching payloads, so a wrong answer fails instead of crashing.
std::string Emitted(const Result<Events>& r);
// The error code, or kOk when the decision succeeded.
StatusCode ErrorOf(const Result<Events>& r);

// Sends a command twice: decides, folds the events in, decides again on the new state.
// Returns "<first> / <second>", e.g. "MemberAdded / nothing" (STYLE: the same request twice
// writes nothing the second time). `given` is copied, so the caller's history is unchanged.
template <typename State, typename DecideFn>
std::string EmittedTwice(Given<State> given, DecideFn decide) {
  const Result<Events> first = decide(given.state());
  std::string out = Emitted(first);
  if (first.ok()) given.Add(*first);
  return out + " / " + Emitted(decide(given.state()));
}

// Literal events for given-histories.
enum StatusFlags { kPlain = 0, kResponded = 1, kDefault = 2, kRespondedDefault = 3 };
NewEvent DataSetInitialized(std::string currency = "EUR");
NewEvent MemberStatusAdded(std::string name, int32_t order, StatusFlags flags = kPlain);
NewEvent MemberStatusChanged(std::string name, int32_t order, StatusFlags flags = kPlain);
NewEvent MemberStatusRemoved(std::string name, std::string replaced_with = "");
NewEvent CampaignStatusCodeAdded(std::string code, std::string description = "");
NewEvent ProfileCodeAdded(fb::ProfileKind kind, std::string code, std::string description = "");
NewEvent ContactCreated(std::string_view no, std::string name, fb::ContactType type = fb::ContactType::Person);
NewEvent LeadCreated(std::string_view no, std::string name);
NewEvent CampaignCreated(std::string_view no, std::string name, std::string parent = "");
NewEvent MemberAdded(std::string_view campaign, std::string_view member, std::string status, bool responded = false);

// What `crmctl init` leaves: currency EUR, Sent (default, order 10), Responded (responded, 20).
Events InitialisedReference();
// The initialised reference data with `extra` events folded on top.
reference::State Reference(const Events& extra = {});

// Every membership of one campaign stream, folded per member with membership::Evolve, the way
// the handler fills membership::Context::current.
using Roster = std::map<RecordNo, membership::Membership>;
Roster EvolveRoster(Roster roster, const fb::Envelope& env);

}  // namespace crm::testing

namespace crm {
// Failure messages print "not found" rather than 2: doctest prints every enum as its number and
// ignores StringMaker for enums, but picks this overload by argument-dependent lookup.
inline doctest::String toString(StatusCode code) { return doctest::String(std::string(StatusCodeName(code)).c_str()); }
}  // namespace crm
