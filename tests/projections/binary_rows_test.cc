// The binary rows of the opportunities, tasks and campaign statistics read models: a row decodes
// to what was encoded, and a damaged row is Corruption, never a half-read row.
#include <doctest/doctest.h>

#include "projections/interaction_rows.h"
#include "projections/opportunity_rows.h"
#include "projections/stats_rows.h"
#include "projections/task_rows.h"

namespace crm {
namespace {

RecordNo No(const char* s) { return RecordNo::Parse(s).value(); }

OpportunityRow SampleOpportunity() {
  OpportunityRow op;
  op.no = No("OP0007");
  op.description = "50 chairs, ø-shaped";
  op.contact = "CT0002";
  op.company = "CT0001";
  op.campaign = "CP0001";
  op.salesperson = "JD";
  op.sales_cycle = "FURNITURE";
  op.status = "won";
  op.close_date = "2027-03-31";
  op.close_reason = "Price agreed";
  op.lead = "LD0001";
  op.stage = 4;
  op.estimated_value = Money(1250000);
  op.amount_won = Money(1180000);
  op.chance = Percent(80000);
  op.completed = Percent(90000);
  op.created_at = Timestamp(1799571600000000LL);
  op.modified_at = Timestamp(1799658000000000LL);
  return op;
}

// Every cut of `row`, a byte too many and another version are Corruption.
template <typename Decode>
void CheckDamaged(const std::string& row, Decode decode) {
  for (std::size_t cut = 0; cut < row.size(); ++cut) {
    CAPTURE(cut);
    CHECK(decode(row.substr(0, cut)).status().code() == StatusCode::kCorruption);
  }
  CHECK(decode(row + "x").status().code() == StatusCode::kCorruption);
  std::string other_version = row;
  other_version[0] = 2;
  CHECK(decode(other_version).status().code() == StatusCode::kCorruption);
}

}  // namespace

TEST_CASE("an opportunity row round-trips, through the aggregate's state too") {
  const OpportunityRow op = SampleOpportunity();
  auto back = DecodeOpportunity(op.no, EncodeOpportunity(op));
  REQUIRE(back.ok());
  CHECK(EncodeOpportunity(*back) == EncodeOpportunity(op));
  CHECK(OpportunityJson(*back) == OpportunityJson(op));
  CHECK(OpportunityJson(RowOf(StateOf(op))) == OpportunityJson(op));
  CHECK(StateOf(op).exists);
  CHECK(OpportunityJson(op)["estimated_value"] == "12500.00");
  CheckDamaged(EncodeOpportunity(op), [&](std::string_view row) { return DecodeOpportunity(op.no, row); });
}

TEST_CASE("a task row round-trips; a damaged one is Corruption") {
  TaskRow t;
  t.no = No("TD0003");
  t.type = fb::TaskType::Meeting;
  t.priority = fb::TaskPriority::High;
  t.status = "in progress";
  t.description = "Visit";
  t.due = "2027-03-05";
  t.salesperson = "AH";
  t.campaign = "CP0001";
  t.step = 2;
  auto back = DecodeTask(t.no, EncodeTask(t));
  REQUIRE(back.ok());
  CHECK(EncodeTask(*back) == EncodeTask(t));
  CheckDamaged(EncodeTask(t), [&](std::string_view row) { return DecodeTask(t.no, row); });
}

TEST_CASE("campaign figures round-trip, add and subtract field by field") {
  CampaignFigures a;
  a.contacts = 3;
  a.targeted = 2;
  a.interaction_cost = 675;
  a.canceled_tasks = 1;
  CampaignFigures b;
  b.contacts = 1;
  b.won_amount = 75000;
  auto back = DecodeFigures(EncodeFigures(a));
  REQUIRE(back.ok());
  CHECK(*back == a);
  CampaignFigures sum = a;
  sum += b;
  CHECK(sum.contacts == 4);
  CHECK(sum.won_amount == 75000);
  sum -= b;
  CHECK(sum == a);
  sum -= a;
  CHECK(sum.zero());
  CheckDamaged(EncodeFigures(a), [](std::string_view row) { return DecodeFigures(row); });
}

// `row` encoded and decoded again: the same bytes and the same JSON; the decoded row.
template <typename Row, typename Encode, typename Decode, typename Json>
Row RoundTrip(const Row& row, Encode encode, Decode decode, Json to_json) {
  auto back = decode(encode(row));
  REQUIRE(back.ok());
  CHECK(encode(*back) == encode(row));
  CHECK(to_json(*back) == to_json(row));
  return *back;
}

TEST_CASE("an interaction row round-trips with its delivery and canceled flags; a damaged one is Corruption") {
  InteractionRow row;
  row.entry = No("IE0042");
  row.contact = No("CT0002");
  row.campaign = No("CP0001");
  row.logged_segment = No("LS0003");
  row.company = "CT0001";
  row.interaction_template = "BUS";
  row.description = "Thank-you note, Ã¥rsmÃ¸te";
  row.subject = "Thanks";
  row.language = "NOR";
  row.attachment_name = "thanks.txt";
  row.attachment_sha256 = std::string(64, 'a');
  row.salesperson = "AH";
  row.evaluation = "positive";
  row.at = Timestamp(1799571600000000LL);
  row.correspondence = fb::Correspondence::Letter;
  row.information_flow = fb::InformationFlow::Inbound;
  row.initiated_by = fb::InitiatedBy::Them;
  row.cost = Money(150);
  row.duration = 15;
  row.campaign_target = true;
  row.campaign_response = true;
  row.delivery.stage = delivery::Stage::kFailed;
  row.delivery.attempts = 2;
  row.delivery.channel = fb::DeliveryChannel::Letter;
  row.delivery.reason = "mailbox full";
  row.delivery.document = "outbox/IE0042.txt";
  for (auto [self, with_segment] : {std::pair<std::optional<bool>, std::optional<bool>>{std::nullopt, std::nullopt},
                                    {false, true}, {true, std::nullopt}}) {
    row.cancel.self = self;
    row.cancel.with_segment = with_segment;
    const InteractionRow back = RoundTrip(
        row, EncodeInteraction, [&](const std::string& b) { return DecodeInteraction(row.entry, b); }, InteractionJson);
    CHECK(back.cancel.canceled() == (self.value_or(false) || with_segment.value_or(false)));
    CHECK(InteractionJson(back).contains("canceled_self") == self.has_value());
    CHECK(back.delivery.logged_segment == row.logged_segment);
  }
  // Optional numbers stay absent; JSON shows them empty, as the event's text was.
  row.campaign = RecordNo();
  auto back = DecodeInteraction(row.entry, EncodeInteraction(row));
  REQUIRE(back.ok());
  CHECK(!back->campaign.valid());
  CHECK(InteractionJson(*back)["campaign"] == "");
  CheckDamaged(EncodeInteraction(row), [&](const std::string& bytes) { return DecodeInteraction(row.entry, bytes); });
}

TEST_CASE("logged segment and campaign entry rows round-trip; a damaged one is Corruption") {
  LoggedSegmentRow ls;
  ls.no = No("LS0002");
  ls.segment = No("SM0001");
  ls.campaign = No("CP0001");
  ls.first_entry = No("IE0016");
  ls.last_entry = No("IE0021");
  ls.description = "Follow-up, \xc3\xa5rsm\xc3\xb8te";
  ls.interaction_template = "RESP";
  ls.date = "2027-01-10";
  ls.logged_by = "marketing.manager";
  ls.delivery_token = "3e6a6ea289ec1a45d74f8c00";
  ls.steps = {{fb::SegmentStepKind::AddContacts, "job_responsibility=PURCHASE", "", {"job_responsibility=PURCHASE"}},
              {fb::SegmentStepKind::Reduce, "", "ignore-exclusion", {}}};
  ls.lines = 6;
  ls.logged_at = Timestamp(1799571600000000LL);
  ls.send = true;
  for (const RecordNo& ce : {RecordNo(), No("CE0002")}) {
    ls.campaign_entry = ce;
    ls.canceled = ce.valid();
    const LoggedSegmentRow back = RoundTrip(
        ls, EncodeLoggedSegment, [&](const std::string& b) { return DecodeLoggedSegment(ls.no, b); }, LoggedSegmentJson);
    CHECK(LoggedSegmentJson(back).contains("campaign_entry") == ce.valid());
    CHECK(LoggedSegmentJson(back)["steps"][1]["kind"] == "reduce");
  }
  CheckDamaged(EncodeLoggedSegment(ls), [&](const std::string& bytes) { return DecodeLoggedSegment(ls.no, bytes); });

  CampaignEntryRow ce;
  ce.entry = No("CE0002");
  ce.campaign = No("CP0001");
  ce.logged_segment = No("LS0002");
  ce.description = "Follow-up";
  ce.date = "2027-01-10";
  ce.interaction_template = "RESP";
  ce.cost = Money(900);
  ce.duration = 30;
  ce.interactions = 6;
  ce.cancel.with_segment = false;
  const CampaignEntryRow back = RoundTrip(
      ce, EncodeCampaignEntry, [&](const std::string& b) { return DecodeCampaignEntry(ce.entry, b); }, CampaignEntryJson);
  CHECK(CampaignEntryJson(back)["cost"] == "9.00");
  CHECK(!CampaignEntryJson(back).contains("canceled_self"));
  CheckDamaged(EncodeCampaignEntry(ce), [&](const std::string& bytes) { return DecodeCampaignEntry(ce.entry, bytes); });
}

}  // namespace crm
