// Delivery rules (aggregates/delivery.h) and mail settings (catalog): who gets an attempt, which
// outcome is accepted, what is refused. What logging with --send requires is in logging_test.
#include "aggregates/delivery.h"

#include <doctest/doctest.h>

#include "aggregates/catalog.h"
#include "tests/aggregates/aggregate_test_util.h"

namespace crm::testing {
namespace {

delivery::EntryState Pending() {
  delivery::EntryState e;
  e.exists = true;
  e.entry = No("IE0003");
  e.logged_segment = No("LS0001");
  e.stage = delivery::Stage::kPending;
  return e;
}

delivery::Attempt Email() { return {No("IE0003"), fb::DeliveryChannel::Email, "IE0003.abc@crm.example"}; }

delivery::Outcome Delivered(int32_t attempt) {
  delivery::Outcome o;
  o.entry = No("IE0003");
  o.attempt = attempt;
  o.delivered = true;
  return o;
}

TEST_CASE("a pending entry gets attempt 1 on its logged segment's stream, with the message id") {
  auto r = delivery::DecideAttempt(Pending(), Email());
  REQUIRE(Emitted(r) == "DeliveryAttempted");
  CHECK(r->at(0).stream.value() == "logged-segment/LS0001");
  const auto* e = r->at(0).payload.AsDeliveryAttempted();
  CHECK(e->attempt == 1);
  CHECK(e->message_id == "IE0003.abc@crm.example");
  CHECK(e->logged_segment == "LS0001");
}

TEST_CASE("an attempt without an outcome (the sender stopped) and a failed one may be tried again") {
  delivery::EntryState e = Pending();
  e.stage = delivery::Stage::kInProgress;
  e.attempts = 1;
  auto r = delivery::DecideAttempt(e, Email());
  REQUIRE(Emitted(r) == "DeliveryAttempted");
  CHECK(r->at(0).payload.AsDeliveryAttempted()->attempt == 2);
  e.stage = delivery::Stage::kFailed;
  e.attempts = 2;
  r = delivery::DecideAttempt(e, Email());
  REQUIRE(Emitted(r) == "DeliveryAttempted");
  CHECK(r->at(0).payload.AsDeliveryAttempted()->attempt == 3);
}

TEST_CASE("delivered, canceled, unsent, manual and unknown entries get no attempt") {
  delivery::EntryState e = Pending();
  e.stage = delivery::Stage::kDelivered;
  CHECK(ErrorOf(delivery::DecideAttempt(e, Email())) == StatusCode::kFailedPrecondition);
  e = Pending();
  e.canceled = true;
  CHECK(ErrorOf(delivery::DecideAttempt(e, Email())) == StatusCode::kFailedPrecondition);
  e = Pending();
  e.stage = delivery::Stage::kNone;  // logged without --send
  CHECK(ErrorOf(delivery::DecideAttempt(e, Email())) == StatusCode::kFailedPrecondition);
  e = Pending();
  e.logged_segment = RecordNo();  // logged by hand
  CHECK(ErrorOf(delivery::DecideAttempt(e, Email())) == StatusCode::kFailedPrecondition);
  CHECK(ErrorOf(delivery::DecideAttempt(delivery::EntryState{}, Email())) == StatusCode::kNotFound);
  delivery::Attempt no_id = Email();
  no_id.message_id.clear();
  CHECK(ErrorOf(delivery::DecideAttempt(Pending(), no_id)) == StatusCode::kFailedPrecondition);
  delivery::Attempt letter{No("IE0003"), fb::DeliveryChannel::Letter, ""};
  CHECK(Emitted(delivery::DecideAttempt(Pending(), letter)) == "DeliveryAttempted");  // letters need none
}

TEST_CASE("an outcome answers the open attempt, and only it") {
  delivery::EntryState e = Pending();
  CHECK(ErrorOf(delivery::DecideOutcome(e, Delivered(1))) == StatusCode::kFailedPrecondition);  // none open
  e.stage = delivery::Stage::kInProgress;
  e.attempts = 2;
  CHECK(ErrorOf(delivery::DecideOutcome(e, Delivered(1))) == StatusCode::kFailedPrecondition);  // an old one
  auto r = delivery::DecideOutcome(e, Delivered(2));
  REQUIRE(Emitted(r) == "DeliveryCompleted");
  CHECK(r->at(0).payload.AsDeliveryCompleted()->delivered);
  delivery::Outcome failed = Delivered(2);
  failed.delivered = false;
  CHECK(ErrorOf(delivery::DecideOutcome(e, failed)) == StatusCode::kFailedPrecondition);  // needs its reason
  failed.reason = "550 no such user";
  r = delivery::DecideOutcome(e, failed);
  REQUIRE(Emitted(r) == "DeliveryCompleted");
  CHECK(r->at(0).payload.AsDeliveryCompleted()->reason == "550 no such user");
  e.stage = delivery::Stage::kDelivered;
  CHECK(ErrorOf(delivery::DecideOutcome(e, Delivered(2))) == StatusCode::kFailedPrecondition);  // settled
}

TEST_CASE("the stage follows the logging, attempts and outcomes; an entry keeps its first Message-ID") {
  Given<delivery::EntryState> given(delivery::Evolve);
  fb::InteractionLoggedT logged;
  logged.entry = "IE0003";
  logged.delivery_requested = true;
  given.Add(MakeEvent(No("LS0001").Stream(), std::move(logged)));
  CHECK(given.state().stage == delivery::Stage::kPending);
  CHECK(delivery::StageName(given.state().stage) == "in progress");  // the SPEC's status

  delivery::EntryState e = Pending();
  given.Add(*delivery::DecideAttempt(e, Email()));
  CHECK(given.state().stage == delivery::Stage::kInProgress);
  CHECK(given.state().attempts == 1);
  e.stage = delivery::Stage::kInProgress;
  e.attempts = 1;
  delivery::Outcome failed = Delivered(1);
  failed.delivered = false;
  failed.reason = "unreachable";
  given.Add(*delivery::DecideOutcome(e, failed));
  CHECK(given.state().stage == delivery::Stage::kFailed);
  CHECK(given.state().reason == "unreachable");

  e.stage = delivery::Stage::kFailed;
  delivery::Attempt again = Email();
  again.message_id = "IE0003.other@crm.example";
  given.Add(*delivery::DecideAttempt(e, again));
  CHECK(given.state().attempts == 2);
  CHECK(given.state().message_id == "IE0003.abc@crm.example");  // the first one stays
  CHECK(given.state().reason.empty());
  e.stage = delivery::Stage::kInProgress;
  e.attempts = 2;
  given.Add(*delivery::DecideOutcome(e, Delivered(2)));
  CHECK(given.state().stage == delivery::Stage::kDelivered);
  for (auto stage : {delivery::Stage::kNone, delivery::Stage::kPending, delivery::Stage::kInProgress,
                     delivery::Stage::kDelivered, delivery::Stage::kFailed}) {
    CHECK(*delivery::ParseStage(delivery::StageKey(stage)) == stage);
  }
  CHECK(delivery::ParseStage("lost").status().code() == StatusCode::kCorruption);
}

TEST_CASE("route: email with a usable address, else a letter; opted-out and vanished contacts refused") {
  delivery::Recipient r;
  r.contact = No("CT0007");
  r.exists = true;
  r.email = "a@example.com";
  CHECK(delivery::RouteFor(fb::Correspondence::Email, r, false).channel == fb::DeliveryChannel::Email);
  CHECK(delivery::RouteFor(fb::Correspondence::Letter, r, false).channel == fb::DeliveryChannel::Letter);
  r.bounced = true;
  CHECK(delivery::RouteFor(fb::Correspondence::Email, r, false).channel == fb::DeliveryChannel::Letter);
  r.bounced = false;
  r.email.clear();
  CHECK(delivery::RouteFor(fb::Correspondence::Email, r, false).channel == fb::DeliveryChannel::Letter);
  r.opted_out = true;
  CHECK(delivery::RouteFor(fb::Correspondence::Email, r, false).refusal ==
        "contact CT0007 opted out; --include-opted-out sends anyway");
  CHECK(delivery::RouteFor(fb::Correspondence::Email, r, true).refusal.empty());
  r.erased = true;  // even with --include-opted-out
  CHECK(delivery::RouteFor(fb::Correspondence::Email, r, true).refusal == "contact CT0007 was erased");
  r.erased = false;
  r.exists = false;
  CHECK(delivery::RouteFor(fb::Correspondence::Email, r, true).refusal == "contact CT0007 no longer exists");
}

const reference::State& Ref() {
  static const reference::State ref = Reference();
  return ref;
}

TEST_CASE("mail settings: an SMTP URL with a host, a sender address; the same again changes nothing") {
  Given<catalog::State> given(catalog::Evolve);
  catalog::SetMail m{"smtp://127.0.0.1:2525", "news@crm.example", std::nullopt};
  auto decide = [&](const catalog::SetMail& c) { return catalog::Decide(Ref(), given.state(), c); };
  CHECK(EmittedTwice(given, [&](const catalog::State& s) { return catalog::Decide(Ref(), s, m); }) ==
        "MailSettingsSet / nothing");
  for (const char* url : {"http://host", "smtp://", "smtp://host:0", "smtp://host:70000", "smtp://ho st",
                          "smtp://user@host", "smtp://host:25x"}) {
    CAPTURE(url);
    CHECK(ErrorOf(decide({url, "news@crm.example", std::nullopt})) == StatusCode::kFailedPrecondition);
  }
  CHECK(ErrorOf(decide({"smtps://mail.example.com", "not an address", std::nullopt})) ==
        StatusCode::kFailedPrecondition);
  CHECK(ErrorOf(decide({std::nullopt, "news@crm.example", std::nullopt})) == StatusCode::kFailedPrecondition);
  given.Add(*decide(m));
  CHECK(given.state().mail.configured());
  auto r = decide({std::nullopt, std::nullopt, "letters"});  // unset fields keep their value
  REQUIRE(Emitted(r) == "MailSettingsSet");
  given.Add(*r);
  CHECK(given.state().mail == catalog::MailSettings{"smtp://127.0.0.1:2525", "news@crm.example", "letters"});
}

}  // namespace
}  // namespace crm::testing
