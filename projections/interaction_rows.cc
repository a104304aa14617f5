// The interaction log's rows (projections/interaction_rows.h): their keys, versioned encodings
// and JSON. What writes them is interaction_log.cc.
#include "projections/interaction_rows.h"

#include <array>

#include "aggregates/catalog.h"
#include "aggregates/delivery.h"
#include "aggregates/segment.h"
#include "projections/row_codec.h"
#include "projections/rows.h"

namespace crm {

using nlohmann::json;

namespace keys {
std::string LoggedSegment(const RecordNo& logged) { return "g" + SortKey(logged); }
std::string Interaction(const RecordNo& entry) { return "i" + SortKey(entry); }
std::string ContactInteraction(const RecordNo& contact, const RecordNo& entry) {
  return "c" + SortKey(contact) + SortKey(entry);
}
std::string CampaignInteraction(const RecordNo& campaign, const RecordNo& entry) {
  return "p" + SortKey(campaign) + SortKey(entry);
}
std::string CampaignEntry(const RecordNo& entry) { return "e" + SortKey(entry); }
std::string CampaignEntryOf(const RecordNo& campaign, const RecordNo& entry) {
  return "f" + SortKey(campaign) + SortKey(entry);
}
}  // namespace keys

namespace {

// An entry's delivery: "status" is the SPEC's (none, in progress, delivered, failed), "stage"
// tells a pending entry from one whose attempt has no outcome (delivery.h).
json DeliveryJson(const delivery::EntryState& d) {
  return {{"status", delivery::StageName(d.stage)},
          {"stage", delivery::StageKey(d.stage)},
          {"attempts", d.attempts},
          {"channel", d.attempts > 0 ? delivery::ChannelName(d.channel) : ""},
          {"message_id", d.message_id},
          {"reason", d.reason},
          {"document", d.document}};
}

constexpr uint8_t kInteractionRowVersion = 1;

template <typename Row>
auto InteractionTexts(Row& r) {
  return std::array{&r.company,         &r.interaction_template, &r.description,
                    &r.subject,         &r.language,             &r.attachment_name,
                    &r.attachment_sha256, &r.salesperson,        &r.evaluation};
}

// A record number as the JSON shows it: "" for none.
std::string NoText(const RecordNo& no) { return no.valid() ? no.ToString() : std::string(); }

// A flag that remembers whether it was ever set: 0 never, 1 false, 2 true.
uint8_t FlagByte(const std::optional<bool>& flag) { return flag ? (*flag ? 2 : 1) : 0; }
bool FlagOf(uint8_t b, std::optional<bool>* flag) {
  if (b > 2) return false;
  *flag = b == 0 ? std::nullopt : std::optional<bool>(b == 2);
  return true;
}

// An entry's cancellation in its row (two flag bytes) and in its JSON.
void PutCancellation(RowWriter* w, const Cancellation& c) {
  w->Byte(FlagByte(c.self));
  w->Byte(FlagByte(c.with_segment));
}
bool GetCancellation(RowReader* r, Cancellation* c) {
  uint8_t self = 0, with_segment = 0;
  return r->Byte(&self) && r->Byte(&with_segment) && FlagOf(self, &c->self) && FlagOf(with_segment, &c->with_segment);
}
void CancellationJson(const Cancellation& c, json* j) {
  (*j)["canceled"] = c.canceled();
  if (c.self) (*j)["canceled_self"] = *c.self;
  if (c.with_segment) (*j)["canceled_with_segment"] = *c.with_segment;
}

}  // namespace

std::string EncodeInteraction(const InteractionRow& row) {
  RowWriter w;
  w.Byte(kInteractionRowVersion);
  w.No(row.contact);
  w.No(row.campaign);
  w.No(row.logged_segment);
  for (const std::string* t : InteractionTexts(row)) w.Str(*t);
  w.I64(row.at.value());
  w.I64(row.cost.value());
  w.I64(row.duration);
  w.Byte(static_cast<uint8_t>(row.correspondence));
  w.Byte(static_cast<uint8_t>(row.information_flow));
  w.Byte(static_cast<uint8_t>(row.initiated_by));
  w.Bool(row.campaign_target);
  w.Bool(row.campaign_response);
  const delivery::EntryState& d = row.delivery;
  w.Byte(static_cast<uint8_t>(d.stage));
  w.I64(d.attempts);
  w.Byte(static_cast<uint8_t>(d.channel));
  w.Str(d.message_id);
  w.Str(d.reason);
  w.Str(d.document);
  PutCancellation(&w, row.cancel);
  return w.Take();
}

Result<InteractionRow> DecodeInteraction(const RecordNo& entry, std::string_view bytes) {
  RowReader r(bytes);
  InteractionRow row;
  row.entry = entry;
  uint8_t version = 0, correspondence = 0, flow = 0, initiated = 0, stage = 0, channel = 0;
  int64_t at = 0, cost = 0, attempts = 0;
  bool ok = r.Byte(&version) && version == kInteractionRowVersion && r.No(&row.contact) && r.No(&row.campaign) &&
            r.No(&row.logged_segment);
  for (std::string* t : InteractionTexts(row)) ok = ok && r.Str(t);
  delivery::EntryState& d = row.delivery;
  ok = ok && r.I64(&at) && r.I64(&cost) && r.I64(&row.duration) && r.Byte(&correspondence) && r.Byte(&flow) &&
       r.Byte(&initiated) && r.Bool(&row.campaign_target) && r.Bool(&row.campaign_response) && r.Byte(&stage) &&
       r.I64(&attempts) && r.Byte(&channel) && r.Str(&d.message_id) && r.Str(&d.reason) && r.Str(&d.document) &&
       GetCancellation(&r, &row.cancel) && r.done();
  ok = ok && correspondence <= static_cast<uint8_t>(fb::Correspondence::MAX) &&
       flow <= static_cast<uint8_t>(fb::InformationFlow::MAX) && initiated <= static_cast<uint8_t>(fb::InitiatedBy::MAX) &&
       stage <= static_cast<uint8_t>(delivery::Stage::kFailed) && channel <= static_cast<uint8_t>(fb::DeliveryChannel::MAX);
  if (!ok) return Status::Corruption("interaction row of " + entry.ToString() + " does not decode");
  row.at = Timestamp(at);
  row.cost = Money(cost);
  row.correspondence = static_cast<fb::Correspondence>(correspondence);
  row.information_flow = static_cast<fb::InformationFlow>(flow);
  row.initiated_by = static_cast<fb::InitiatedBy>(initiated);
  d.stage = static_cast<delivery::Stage>(stage);
  d.attempts = static_cast<int32_t>(attempts);
  d.channel = static_cast<fb::DeliveryChannel>(channel);
  d.exists = true;
  d.entry = entry;
  d.logged_segment = row.logged_segment;
  d.canceled = row.cancel.canceled();
  return row;
}

json InteractionJson(const InteractionRow& row) {
  json j = {{"entry", row.entry.ToString()},
            {"contact", NoText(row.contact)},
            {"company", row.company},
            {"at", FormatTimestamp(row.at)},
            {"interaction_template", row.interaction_template},
            {"description", row.description},
            {"subject", row.subject},
            {"correspondence", catalog::CorrespondenceName(row.correspondence)},
            {"language", row.language},
            {"attachment", {{"file_name", row.attachment_name}, {"sha256", row.attachment_sha256}}},
            {"cost", FormatMoney(row.cost)},
            {"duration", row.duration},
            {"information_flow", catalog::InformationFlowName(row.information_flow)},
            {"initiated_by", catalog::InitiatedByName(row.initiated_by)},
            {"campaign", NoText(row.campaign)},
            {"campaign_target", row.campaign_target},
            {"campaign_response", row.campaign_response},
            {"logged_segment", NoText(row.logged_segment)},
            {"salesperson", row.salesperson},
            {"evaluation", row.evaluation},
            {"delivery", DeliveryJson(row.delivery)}};
  CancellationJson(row.cancel, &j);
  return j;
}

namespace {

constexpr uint8_t kLoggedSegmentRowVersion = 1;
constexpr uint8_t kCampaignEntryRowVersion = 1;

}  // namespace

std::string EncodeLoggedSegment(const LoggedSegmentRow& row) {
  RowWriter w;
  w.Byte(kLoggedSegmentRowVersion);
  for (const RecordNo* no : {&row.segment, &row.campaign, &row.first_entry, &row.last_entry, &row.campaign_entry}) {
    w.No(*no);
  }
  for (const std::string* t : {&row.description, &row.interaction_template, &row.date, &row.logged_by,
                               &row.delivery_token}) {
    w.Str(*t);
  }
  w.I64(static_cast<int64_t>(row.lines));
  w.I64(row.logged_at.value());
  w.Bool(row.send);
  w.Bool(row.canceled);
  w.Count(row.steps.size());
  for (const LoggedSegmentRow::Step& step : row.steps) {
    w.Byte(static_cast<uint8_t>(step.kind));
    w.Str(step.criteria);
    w.Str(step.options);
    w.Strs(step.filter);
  }
  return w.Take();
}

Result<LoggedSegmentRow> DecodeLoggedSegment(const RecordNo& no, std::string_view bytes) {
  RowReader r(bytes);
  LoggedSegmentRow row;
  row.no = no;
  uint8_t version = 0;
  int64_t lines = 0, logged_at = 0;
  uint64_t steps = 0;
  bool ok = r.Byte(&version) && version == kLoggedSegmentRowVersion;
  for (RecordNo* n : {&row.segment, &row.campaign, &row.first_entry, &row.last_entry, &row.campaign_entry}) {
    ok = ok && r.No(n);
  }
  for (std::string* t : {&row.description, &row.interaction_template, &row.date, &row.logged_by, &row.delivery_token}) {
    ok = ok && r.Str(t);
  }
  ok = ok && r.I64(&lines) && r.I64(&logged_at) && r.Bool(&row.send) && r.Bool(&row.canceled) && r.Count(&steps);
  for (uint64_t i = 0; ok && i < steps; ++i) {
    LoggedSegmentRow::Step step;
    uint8_t kind = 0;
    ok = r.Byte(&kind) && kind <= static_cast<uint8_t>(fb::SegmentStepKind::MAX) && r.Str(&step.criteria) &&
         r.Str(&step.options) && r.Strs(&step.filter);
    step.kind = static_cast<fb::SegmentStepKind>(kind);
    row.steps.push_back(std::move(step));
  }
  if (!ok || !r.done()) return Status::Corruption("logged segment row of " + no.ToString() + " does not decode");
  row.lines = static_cast<uint64_t>(lines);
  row.logged_at = Timestamp(logged_at);
  return row;
}

json LoggedSegmentJson(const LoggedSegmentRow& row) {
  json steps = json::array();
  for (const LoggedSegmentRow::Step& s : row.steps) {
    steps.push_back({{"kind", segment::StepKindName(s.kind)},
                     {"criteria", s.criteria},
                     {"options", s.options},
                     {"filter", s.filter}});
  }
  json j{{"no", row.no.ToString()},
         {"segment", NoText(row.segment)},
         {"description", row.description},
         {"campaign", NoText(row.campaign)},
         {"interaction_template", row.interaction_template},
         {"date", row.date},
         {"steps", std::move(steps)},
         {"lines", row.lines},
         {"first_entry", NoText(row.first_entry)},
         {"last_entry", NoText(row.last_entry)},
         {"logged_at", FormatTimestamp(row.logged_at)},
         {"logged_by", row.logged_by},
         {"send", row.send},
         {"delivery_token", row.delivery_token},
         {"canceled", row.canceled}};
  if (row.campaign_entry.valid()) j["campaign_entry"] = row.campaign_entry.ToString();
  return j;
}

std::string EncodeCampaignEntry(const CampaignEntryRow& row) {
  RowWriter w;
  w.Byte(kCampaignEntryRowVersion);
  w.No(row.campaign);
  w.No(row.logged_segment);
  for (const std::string* t : {&row.description, &row.date, &row.interaction_template}) w.Str(*t);
  w.I64(row.cost.value());
  w.I64(row.duration);
  w.I64(static_cast<int64_t>(row.interactions));
  PutCancellation(&w, row.cancel);
  return w.Take();
}

Result<CampaignEntryRow> DecodeCampaignEntry(const RecordNo& entry, std::string_view bytes) {
  RowReader r(bytes);
  CampaignEntryRow row;
  row.entry = entry;
  uint8_t version = 0;
  int64_t cost = 0, interactions = 0;
  bool ok = r.Byte(&version) && version == kCampaignEntryRowVersion && r.No(&row.campaign) && r.No(&row.logged_segment);
  for (std::string* t : {&row.description, &row.date, &row.interaction_template}) ok = ok && r.Str(t);
  ok = ok && r.I64(&cost) && r.I64(&row.duration) && r.I64(&interactions) && GetCancellation(&r, &row.cancel) && r.done();
  if (!ok) return Status::Corruption("campaign entry row of " + entry.ToString() + " does not decode");
  row.cost = Money(cost);
  row.interactions = static_cast<uint64_t>(interactions);
  return row;
}

json CampaignEntryJson(const CampaignEntryRow& row) {
  json j{{"entry", row.entry.ToString()},
         {"campaign", NoText(row.campaign)},
         {"logged_segment", NoText(row.logged_segment)},
         {"description", row.description},
         {"date", row.date},
         {"interaction_template", row.interaction_template},
         {"cost", FormatMoney(row.cost)},
         {"duration", row.duration},
         {"interactions", row.interactions}};
  CancellationJson(row.cancel, &j);
  return j;
}

}  // namespace crm
