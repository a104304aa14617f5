// Logging a segment (aggregates/logging.h): what is refused, and what each entry carries.
#include "aggregates/logging.h"

#include <doctest/doctest.h>

#include <string>

#include "tests/aggregates/aggregate_test_util.h"

namespace crm::testing {
namespace {

struct Setup {
  reference::State ref = Reference();
  catalog::State catalog;
  logging::Context cx;

  Setup() {
    catalog::TemplateDef bus;
    bus.code = "BUS";
    bus.description = "Business letter";
    bus.unit_cost = Money(150);
    bus.unit_duration = 5;
    bus.attachments = {{"", "any.txt", "aa", 2}, {"DEU", "de.txt", "bb", 2}};
    catalog.templates["BUS"] = bus;
    cx.reference = &ref;
    cx.catalog = &catalog;
    cx.header.exists = true;
    cx.header.no = No("SM0001");
    cx.header.description = "Visitors";
    cx.header.date = "2027-01-12";
    cx.header.interaction_template = "BUS";
    cx.header.unit_cost = Money(150);
    cx.header.unit_duration = 5;
    cx.header.campaign = "CP0001";
    segment::Line target;
    target.description = "Visitors";
    target.subject = "Thanks";
    target.campaign_target = true;
    cx.lines[No("CT0001")] = target;
    segment::Line german = target;
    german.language = "DEU";
    german.campaign_target = false;
    cx.lines[No("CT0002")] = german;
    cx.companies[No("CT0002")] = No("CT0009");
  }
  logging::LogSegment Command() const {
    logging::LogSegment c;
    c.ctx = Ctx();
    c.segment = No("SM0001");
    c.logged = No("LS0001");
    c.first_entry = 7;
    c.campaign_entry = No("CE0001");
    return c;
  }
};

TEST_CASE("a logged segment, one entry per line and a campaign entry, in one decision") {
  Setup s;
  auto r = logging::DecideLog(s.cx, s.Command());
  REQUIRE(Emitted(r) == "SegmentLogged LoggedSegmentCreated InteractionLogged InteractionLogged CampaignEntryLogged");
  const auto* created = r->at(1).payload.AsLoggedSegmentCreated();
  CHECK(created->first_entry == "IE0007");
  CHECK(created->last_entry == "IE0008");
  const auto* first = r->at(2).payload.AsInteractionLogged();
  CHECK(first->entry == "IE0007");
  CHECK(first->contact == "CT0001");
  CHECK(first->cost == 150);
  CHECK(first->duration == 5);
  CHECK(first->campaign_target);
  CHECK(first->attachment_name == "any.txt");  // no language: the template's any-language file
  CHECK(first->at == Ts("2027-01-12T09:00:00Z").value());  // the segment's date, the command's time
  const auto* second = r->at(3).payload.AsInteractionLogged();
  CHECK(second->attachment_name == "de.txt");
  CHECK(second->company == "CT0009");
  CHECK_FALSE(second->campaign_target);
  const auto* entry = r->at(4).payload.AsCampaignEntryLogged();
  CHECK(entry->cost == 300);
  CHECK(entry->interactions == 2);
}

TEST_CASE("the segment's own attachment wins over the template's") {
  Setup s;
  s.cx.header.attachment_name = "own.txt";
  s.cx.header.attachment_sha256 = "cc";
  auto r = logging::DecideLog(s.cx, s.Command());
  REQUIRE(r.ok());
  CHECK(r->at(2).payload.AsInteractionLogged()->attachment_name == "own.txt");
  CHECK(r->at(3).payload.AsInteractionLogged()->attachment_name == "own.txt");
}

TEST_CASE("without a campaign there is no campaign entry and no target or response") {
  Setup s;
  s.cx.header.campaign = "";
  s.cx.header.campaign_response = true;
  auto r = logging::DecideLog(s.cx, s.Command());
  REQUIRE(Emitted(r) == "SegmentLogged LoggedSegmentCreated InteractionLogged InteractionLogged");
  CHECK_FALSE(r->at(2).payload.AsInteractionLogged()->campaign_target);
  CHECK_FALSE(r->at(2).payload.AsInteractionLogged()->campaign_response);
}

TEST_CASE("an empty, unprepared or already logged segment is refused") {
  Setup s;
  logging::Context empty = s.cx;
  empty.lines.clear();
  CHECK(ErrorOf(logging::DecideLog(empty, s.Command())) == StatusCode::kFailedPrecondition);
  logging::Context no_template = s.cx;
  no_template.header.interaction_template = "";
  CHECK(ErrorOf(logging::DecideLog(no_template, s.Command())) == StatusCode::kFailedPrecondition);
  logging::Context gone = s.cx;
  gone.header.interaction_template = "GONE";
  CHECK(ErrorOf(logging::DecideLog(gone, s.Command())) == StatusCode::kNotFound);
  logging::Context undescribed = s.cx;
  undescribed.header.description = " ";
  CHECK(ErrorOf(logging::DecideLog(undescribed, s.Command())) == StatusCode::kFailedPrecondition);
  logging::Context logged = s.cx;
  logged.header.logged_segment = "LS0001";
  CHECK(ErrorOf(logging::DecideLog(logged, s.Command())) == StatusCode::kFailedPrecondition);
  logging::Context missing = s.cx;
  missing.header.exists = false;
  CHECK(ErrorOf(logging::DecideLog(missing, s.Command())) == StatusCode::kNotFound);
}

TEST_CASE("an interaction by hand takes the template's defaults unless given; needs a campaign for targets") {
  Setup s;
  logging::ManualContext mcx{&s.catalog, true, true};
  logging::ManualInteraction c;
  c.ctx = Ctx();
  c.entry = No("IE0042");
  c.contact = No("CT0001");
  c.interaction_template = "bus";
  c.language = "deu";
  auto r = logging::DecideManual(mcx, c);
  REQUIRE(Emitted(r) == "InteractionLogged");
  CHECK(r->at(0).stream.value() == "interaction/IE0042");
  const auto* e = r->at(0).payload.AsInteractionLogged();
  CHECK(e->cost == 150);
  CHECK(e->duration == 5);
  CHECK(e->description == "Business letter");
  CHECK(e->attachment_name == "de.txt");
  CHECK(e->logged_segment.empty());
  c.cost = Money(99);
  c.date = "2027-01-12";
  r = logging::DecideManual(mcx, c);
  REQUIRE(r.ok());
  CHECK(r->at(0).payload.AsInteractionLogged()->cost == 99);
  CHECK(r->at(0).payload.AsInteractionLogged()->at == Ts("2027-01-12T09:00:00Z").value());
  c.campaign_response = true;
  CHECK(ErrorOf(logging::DecideManual(mcx, c)) == StatusCode::kFailedPrecondition);
  c.campaign = No("CP0001");
  CHECK(ErrorOf(logging::DecideManual(mcx, c)) == StatusCode::kOk);
  c.interaction_template = "NOPE";
  CHECK(ErrorOf(logging::DecideManual(mcx, c)) == StatusCode::kNotFound);
  logging::Entry manual{true, No("IE0042"), {}, true};
  auto d = logging::DecideDelete(manual, Ctx());
  REQUIRE(Emitted(d) == "EntryDeleted");
  CHECK(d->at(0).stream.value() == "interaction/IE0042");
}

TEST_CASE("cancel, undo and delete: idempotent, and delete needs a canceled entry") {
  logging::Entry ls{true, No("LS0001"), No("LS0001"), false};
  CHECK(Emitted(logging::DecideCancel(ls, {Ctx(), false})) == "LoggedSegmentCanceled");
  CHECK(Emitted(logging::DecideCancel(ls, {Ctx(), true})) == "nothing");  // not canceled: nothing to undo
  CHECK(ErrorOf(logging::DecideDelete(ls, Ctx())) == StatusCode::kFailedPrecondition);
  ls.canceled = true;
  CHECK(Emitted(logging::DecideCancel(ls, {Ctx(), false})) == "nothing");
  CHECK(Emitted(logging::DecideDelete(ls, Ctx())) == "EntryDeleted");
  logging::Entry ie{true, No("IE0003"), No("LS0001"), false};
  auto r = logging::DecideCancel(ie, {Ctx(), false});
  REQUIRE(Emitted(r) == "EntryCanceled");
  CHECK(r->at(0).stream.value() == "logged-segment/LS0001");
  logging::Entry gone{false, No("CE0001"), {}, false};
  CHECK(ErrorOf(logging::DecideCancel(gone, {Ctx(), false})) == StatusCode::kNotFound);
  CHECK(Emitted(logging::DecideDelete(gone, Ctx())) == "nothing");
}

TEST_CASE("logging with --send: mail settings for email lines, an outbound template, entries marked") {
  Setup s;
  logging::LogSegment send = s.Command();
  send.send = true;
  send.delivery_token = "abc";
  CHECK(ErrorOf(logging::DecideLog(s.cx, send)) == StatusCode::kFailedPrecondition);  // no mail settings
  for (auto& [id, line] : s.cx.lines) line.correspondence = fb::Correspondence::Letter;
  auto r = logging::DecideLog(s.cx, send);  // letters need no SMTP server
  REQUIRE(Emitted(r) == "SegmentLogged LoggedSegmentCreated InteractionLogged InteractionLogged CampaignEntryLogged");
  CHECK(r->at(1).payload.AsLoggedSegmentCreated()->send);
  CHECK(r->at(1).payload.AsLoggedSegmentCreated()->delivery_token == "abc");
  CHECK(r->at(2).payload.AsInteractionLogged()->delivery_requested);
  s.cx.lines.begin()->second.correspondence = fb::Correspondence::Email;
  s.catalog.mail = {"smtp://127.0.0.1:2525", "news@crm.example", ""};
  CHECK(ErrorOf(logging::DecideLog(s.cx, send)) == StatusCode::kOk);
  send.delivery_token.clear();
  CHECK(ErrorOf(logging::DecideLog(s.cx, send)) == StatusCode::kFailedPrecondition);
  s.cx.header.flow = fb::InformationFlow::Inbound;
  CHECK(ErrorOf(logging::DecideLog(s.cx, send)) == StatusCode::kFailedPrecondition);  // nothing to send
  r = logging::DecideLog(s.cx, s.Command());  // without --send: nothing to deliver
  REQUIRE(Emitted(r) == "SegmentLogged LoggedSegmentCreated InteractionLogged InteractionLogged CampaignEntryLogged");
  CHECK_FALSE(r->at(1).payload.AsLoggedSegmentCreated()->send);
  CHECK_FALSE(r->at(2).payload.AsInteractionLogged()->delivery_requested);
}

}  // namespace
}  // namespace crm::testing
