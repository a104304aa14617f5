#include "projections/interaction_rows.h"

#include <array>

#include "aggregates/catalog.h"
#include "aggregates/common.h"
#include "aggregates/delivery.h"
#include "aggregates/logging.h"
#include "aggregates/segment.h"
#include "projections/row_codec.h"
#include "projections/rows.h"
#include "projections/stats_rows.h"

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

Result<RecordNo> NoIn(const flatbuffers::String* s, const char* what) {
  if (s == nullptr) return Status::Corruption(std::string("event lacks its ") + what);
  return RecordNo::Parse(s->string_view());
}

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

// The row InteractionLogged writes.
Result<InteractionRow> RowOf(const fb::InteractionLogged& e, const fb::Envelope& env) {
  InteractionRow row;
  CRM_ASSIGN_OR_RETURN(row.entry, NoIn(e.entry(), "entry number"));
  CRM_ASSIGN_OR_RETURN(row.contact, NoIn(e.contact(), "contact"));
  CRM_ASSIGN_OR_RETURN(row.campaign, RecordNo::ParseOptional(Str(e.campaign())));
  CRM_ASSIGN_OR_RETURN(row.logged_segment, RecordNo::ParseOptional(Str(e.logged_segment())));
  row.company = Str(e.company());
  row.at = Timestamp(e.at());
  row.interaction_template = Str(e.interaction_template());
  row.description = Str(e.description());
  row.subject = Str(e.subject());
  row.correspondence = e.correspondence();
  row.language = Str(e.language());
  row.attachment_name = Str(e.attachment_name());
  row.attachment_sha256 = Str(e.attachment_sha256());
  row.cost = Money(e.cost());
  row.duration = e.duration();
  row.information_flow = e.information_flow();
  row.initiated_by = e.initiated_by();
  row.campaign_target = e.campaign_target();
  row.campaign_response = e.campaign_response();
  row.salesperson = Str(e.salesperson());
  row.evaluation = Str(e.evaluation());
  row.delivery = delivery::Evolve({}, env);
  return row;
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

uint8_t FlagByte(const std::optional<bool>& flag) { return flag ? (*flag ? 2 : 1) : 0; }
bool FlagOf(uint8_t b, std::optional<bool>* flag) {
  if (b > 2) return false;
  *flag = b == 0 ? std::nullopt : std::optional<bool>(b == 2);
  return true;
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
  w.Byte(FlagByte(row.canceled_self));
  w.Byte(FlagByte(row.canceled_with_segment));
  return w.Take();
}

Result<InteractionRow> DecodeInteraction(const RecordNo& entry, std::string_view bytes) {
  RowReader r(bytes);
  InteractionRow row;
  row.entry = entry;
  uint8_t version = 0, correspondence = 0, flow = 0, initiated = 0, stage = 0, channel = 0, self = 0, with_segment = 0;
  int64_t at = 0, cost = 0, attempts = 0;
  bool ok = r.Byte(&version) && version == kInteractionRowVersion && r.No(&row.contact) && r.No(&row.campaign) &&
            r.No(&row.logged_segment);
  for (std::string* t : InteractionTexts(row)) ok = ok && r.Str(t);
  delivery::EntryState& d = row.delivery;
  ok = ok && r.I64(&at) && r.I64(&cost) && r.I64(&row.duration) && r.Byte(&correspondence) && r.Byte(&flow) &&
       r.Byte(&initiated) && r.Bool(&row.campaign_target) && r.Bool(&row.campaign_response) && r.Byte(&stage) &&
       r.I64(&attempts) && r.Byte(&channel) && r.Str(&d.message_id) && r.Str(&d.reason) && r.Str(&d.document) &&
       r.Byte(&self) && r.Byte(&with_segment) && r.done();
  ok = ok && correspondence <= static_cast<uint8_t>(fb::Correspondence::MAX) &&
       flow <= static_cast<uint8_t>(fb::InformationFlow::MAX) && initiated <= static_cast<uint8_t>(fb::InitiatedBy::MAX) &&
       stage <= static_cast<uint8_t>(delivery::Stage::kFailed) && channel <= static_cast<uint8_t>(fb::DeliveryChannel::MAX) &&
       FlagOf(self, &row.canceled_self) && FlagOf(with_segment, &row.canceled_with_segment);
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
  d.canceled = row.canceled();
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
            {"delivery", DeliveryJson(row.delivery)},
            {"canceled", row.canceled()}};
  if (row.canceled_self) j["canceled_self"] = *row.canceled_self;
  if (row.canceled_with_segment) j["canceled_with_segment"] = *row.canceled_with_segment;
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
  w.Byte(FlagByte(row.canceled_self));
  w.Byte(FlagByte(row.canceled_with_segment));
  return w.Take();
}

Result<CampaignEntryRow> DecodeCampaignEntry(const RecordNo& entry, std::string_view bytes) {
  RowReader r(bytes);
  CampaignEntryRow row;
  row.entry = entry;
  uint8_t version = 0, self = 0, with_segment = 0;
  int64_t cost = 0, interactions = 0;
  bool ok = r.Byte(&version) && version == kCampaignEntryRowVersion && r.No(&row.campaign) && r.No(&row.logged_segment);
  for (std::string* t : {&row.description, &row.date, &row.interaction_template}) ok = ok && r.Str(t);
  ok = ok && r.I64(&cost) && r.I64(&row.duration) && r.I64(&interactions) && r.Byte(&self) && r.Byte(&with_segment) &&
       r.done() && FlagOf(self, &row.canceled_self) && FlagOf(with_segment, &row.canceled_with_segment);
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
         {"interactions", row.interactions},
         {"canceled", row.canceled()}};
  if (row.canceled_self) j["canceled_self"] = *row.canceled_self;
  if (row.canceled_with_segment) j["canceled_with_segment"] = *row.canceled_with_segment;
  return j;
}

namespace {

// What each event's rows are written with.
struct Rows {
  Store* store;
  Store::Txn* txn;
  rocksdb::ColumnFamilyHandle* cf;
  const fb::Envelope* env;
};

// Reads an interaction's row, lets `change` edit it, writes it back and moves its campaign's
// figures (projections/stats_rows.h); a missing row is left alone.
// The row of `no` at `key`, decoded; nullopt when there is none.
template <typename Row>
Result<std::optional<Row>> ReadRow(const Rows& rows, const std::string& key, const RecordNo& no,
                                   Result<Row> (*decode)(const RecordNo&, std::string_view)) {
  auto bytes = rows.txn->Get(rows.cf, key);
  if (!bytes.ok()) {
    if (bytes.status().code() == StatusCode::kNotFound) return std::optional<Row>();
    return bytes.status();
  }
  CRM_ASSIGN_OR_RETURN(Row row, decode(no, *bytes));
  return std::optional<Row>(std::move(row));
}

// Reads the row, lets `change` edit it and writes it back when it changed; a missing row is left
// alone. Returns the row as it was (nullopt: none, or unchanged) and `*after` as it is.
template <typename Row>
Result<std::optional<Row>> UpdateRow(const Rows& rows, const std::string& key, const RecordNo& no,
                                     Result<Row> (*decode)(const RecordNo&, std::string_view),
                                     std::string (*encode)(const Row&), const std::function<void(Row*)>& change,
                                     Row* after) {
  CRM_ASSIGN_OR_RETURN(std::optional<Row> before, ReadRow(rows, key, no, decode));
  if (!before) return before;
  *after = *before;
  change(after);
  std::string now = encode(*after);
  if (now == encode(*before)) return std::optional<Row>();
  rows.txn->Put(rows.cf, key, now);
  return before;
}

Status UpdateInteraction(const Rows& rows, const RecordNo& entry, const std::function<void(InteractionRow*)>& change) {
  InteractionRow after;
  CRM_ASSIGN_OR_RETURN(const std::optional<InteractionRow> before,
                       UpdateRow(rows, keys::Interaction(entry), entry, DecodeInteraction, EncodeInteraction, change,
                                 &after));
  return before ? ChangeInteractionFigures(rows.store, rows.txn, &*before, &after) : Status::Ok();
}

// The canceled flags of an interaction or campaign entry (`self`: canceled by itself, else with
// its logged segment); an entry is canceled while either holds.
Status MarkCanceled(const Rows& rows, const RecordNo& entry, bool self, bool canceled) {
  if (entry.kind() == RecordKind::kInteraction) {
    return UpdateInteraction(rows, entry, [&](InteractionRow* row) {
      (self ? row->canceled_self : row->canceled_with_segment) = canceled;
    });
  }
  CampaignEntryRow after;
  return UpdateRow<CampaignEntryRow>(
             rows, keys::CampaignEntry(entry), entry, DecodeCampaignEntry, EncodeCampaignEntry,
             [&](CampaignEntryRow* row) { (self ? row->canceled_self : row->canceled_with_segment) = canceled; },
             &after)
      .status();
}

Status Apply(const Rows& rows, const fb::LoggedSegmentCreated* e) {
  LoggedSegmentRow row;
  CRM_ASSIGN_OR_RETURN(row.no, NoIn(e->no(), "logged segment number"));
  CRM_ASSIGN_OR_RETURN(row.segment, RecordNo::ParseOptional(Str(e->segment())));
  CRM_ASSIGN_OR_RETURN(row.campaign, RecordNo::ParseOptional(Str(e->campaign())));
  CRM_ASSIGN_OR_RETURN(row.first_entry, RecordNo::ParseOptional(Str(e->first_entry())));
  CRM_ASSIGN_OR_RETURN(row.last_entry, RecordNo::ParseOptional(Str(e->last_entry())));
  row.description = Str(e->description());
  row.interaction_template = Str(e->interaction_template());
  row.date = Str(e->date());
  if (e->steps() != nullptr) {
    for (const auto* s : *e->steps()) {
      LoggedSegmentRow::Step step{s->kind(), Str(s->criteria()), Str(s->options()), {}};
      if (s->filter() != nullptr) {
        for (const auto* f : *s->filter()) step.filter.push_back(Str(f));
      }
      row.steps.push_back(std::move(step));
    }
  }
  row.lines = e->lines();
  row.logged_at = Timestamp(rows.env->recorded_at());
  row.logged_by = Str(rows.env->actor());
  row.send = e->send();
  row.delivery_token = Str(e->delivery_token());
  rows.txn->Put(rows.cf, keys::LoggedSegment(row.no), EncodeLoggedSegment(row));
  return Status::Ok();
}

Status Apply(const Rows& rows, const fb::InteractionLogged* e) {
  CRM_ASSIGN_OR_RETURN(const InteractionRow row, RowOf(*e, *rows.env));
  rows.txn->Put(rows.cf, keys::Interaction(row.entry), EncodeInteraction(row));
  rows.txn->Put(rows.cf, keys::ContactInteraction(row.contact, row.entry), "");
  if (row.campaign.valid()) rows.txn->Put(rows.cf, keys::CampaignInteraction(row.campaign, row.entry), "");
  return ChangeInteractionFigures(rows.store, rows.txn, nullptr, &row);
}

Status Apply(const Rows& rows, const fb::CampaignEntryLogged* e) {
  CampaignEntryRow row;
  CRM_ASSIGN_OR_RETURN(row.entry, NoIn(e->entry(), "campaign entry number"));
  CRM_ASSIGN_OR_RETURN(row.campaign, NoIn(e->campaign(), "campaign"));
  CRM_ASSIGN_OR_RETURN(row.logged_segment, NoIn(e->logged_segment(), "logged segment"));
  row.description = Str(e->description());
  row.date = Str(e->date());
  row.interaction_template = Str(e->interaction_template());
  row.cost = Money(e->cost());
  row.duration = e->duration();
  row.interactions = e->interactions();
  rows.txn->Put(rows.cf, keys::CampaignEntry(row.entry), EncodeCampaignEntry(row));
  rows.txn->Put(rows.cf, keys::CampaignEntryOf(row.campaign, row.entry), "");
  LoggedSegmentRow after;
  return UpdateRow<LoggedSegmentRow>(
             rows, keys::LoggedSegment(row.logged_segment), row.logged_segment, DecodeLoggedSegment,
             EncodeLoggedSegment, [&](LoggedSegmentRow* ls) { ls->campaign_entry = row.entry; }, &after)
      .status();
}

Status Apply(const Rows& rows, const fb::LoggedSegmentCanceled* e) {
  CRM_ASSIGN_OR_RETURN(RecordNo logged, NoIn(e->no(), "logged segment"));
  const bool canceled = !e->undo();
  CRM_ASSIGN_OR_RETURN(std::optional<LoggedSegmentRow> ls,
                       ReadRow(rows, keys::LoggedSegment(logged), logged, DecodeLoggedSegment));
  if (!ls) return Status::Ok();
  ls->canceled = canceled;
  rows.txn->Put(rows.cf, keys::LoggedSegment(logged), EncodeLoggedSegment(*ls));
  if (ls->first_entry.valid() && ls->last_entry.valid()) {
    for (uint64_t n = ls->first_entry.counter(); n <= ls->last_entry.counter(); ++n) {
      CRM_RETURN_IF_ERROR(MarkCanceled(rows, RecordNo(RecordKind::kInteraction, n), /*self=*/false, canceled));
    }
  }
  if (ls->campaign_entry.valid()) CRM_RETURN_IF_ERROR(MarkCanceled(rows, ls->campaign_entry, /*self=*/false, canceled));
  return Status::Ok();
}

Status Apply(const Rows& rows, const fb::EntryCanceled* e) {
  CRM_ASSIGN_OR_RETURN(RecordNo entry, NoIn(e->entry(), "entry"));
  return MarkCanceled(rows, entry, /*self=*/true, !e->undo());
}

// An entry's delivery follows its attempts and outcomes.
template <typename DeliveryEvent>
Status ApplyDelivery(const Rows& rows, const DeliveryEvent* e) {
  CRM_ASSIGN_OR_RETURN(RecordNo entry, NoIn(e->entry(), "entry"));
  return UpdateInteraction(rows, entry, [&](InteractionRow* row) {
    row->delivery = delivery::Evolve(std::move(row->delivery), *rows.env);
  });
}
Status Apply(const Rows& rows, const fb::DeliveryAttempted* e) { return ApplyDelivery(rows, e); }
Status Apply(const Rows& rows, const fb::DeliveryCompleted* e) { return ApplyDelivery(rows, e); }

Status Apply(const Rows& rows, const fb::EntryDeleted* e) {
  CRM_ASSIGN_OR_RETURN(RecordNo entry, NoIn(e->entry(), "entry"));
  if (entry.kind() == RecordKind::kLoggedSegment) {
    rows.txn->Delete(rows.cf, keys::LoggedSegment(entry));
    return Status::Ok();
  }
  if (entry.kind() == RecordKind::kInteraction) {
    CRM_ASSIGN_OR_RETURN(const std::optional<InteractionRow> row,
                         ReadRow(rows, keys::Interaction(entry), entry, DecodeInteraction));
    if (!row) return Status::Ok();
    rows.txn->Delete(rows.cf, keys::Interaction(entry));
    if (row->campaign.valid()) rows.txn->Delete(rows.cf, keys::CampaignInteraction(row->campaign, entry));
    if (row->contact.valid()) rows.txn->Delete(rows.cf, keys::ContactInteraction(row->contact, entry));
    return ChangeInteractionFigures(rows.store, rows.txn, &*row, nullptr);
  }
  CRM_ASSIGN_OR_RETURN(const std::optional<CampaignEntryRow> row,
                       ReadRow(rows, keys::CampaignEntry(entry), entry, DecodeCampaignEntry));
  if (!row) return Status::Ok();
  rows.txn->Delete(rows.cf, keys::CampaignEntry(entry));
  if (row->campaign.valid()) rows.txn->Delete(rows.cf, keys::CampaignEntryOf(row->campaign, entry));
  return Status::Ok();
}

}  // namespace

Status ApplyInteractionEvent(Store* store, Store::Txn* txn, const fb::Envelope& env) {
  const Rows rows{store, txn, store->Cf(kCfInteractions), &env};
  Status s;
  Visit(JoinedEvents<logging::OwnEvents, delivery::OwnEvents>{}, env, [&](const auto* e) { s = Apply(rows, e); });
  return s;
}

}  // namespace crm
