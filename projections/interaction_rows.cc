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

json StepsJson(const flatbuffers::Vector<flatbuffers::Offset<fb::SavedSegmentStep>>* steps) {
  json out = json::array();
  if (steps == nullptr) return out;
  for (const auto* s : *steps) {
    json filter = json::array();
    if (s->filter() != nullptr) {
      for (const auto* f : *s->filter()) filter.push_back(Str(f));
    }
    out.push_back({{"kind", segment::StepKindName(s->kind())}, {"criteria", Str(s->criteria())},
                   {"options", Str(s->options())}, {"filter", filter}});
  }
  return out;
}

// Reads a JSON row, lets `change` edit it and writes it back; a missing row is left alone.
Status UpdateRow(Store::Txn* txn, rocksdb::ColumnFamilyHandle* cf, const std::string& key,
                 const std::function<void(json*)>& change) {
  auto row = txn->Get(cf, key);
  if (!row.ok()) return row.status().code() == StatusCode::kNotFound ? Status::Ok() : row.status();
  CRM_ASSIGN_OR_RETURN(json j, Parse(*row));
  change(&j);
  txn->Put(cf, key, Dump(j));
  return Status::Ok();
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
  auto text = [](const RecordNo& no) { return no.valid() ? no.ToString() : std::string(); };
  json j = {{"entry", row.entry.ToString()},
            {"contact", text(row.contact)},
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
            {"campaign", text(row.campaign)},
            {"campaign_target", row.campaign_target},
            {"campaign_response", row.campaign_response},
            {"logged_segment", text(row.logged_segment)},
            {"salesperson", row.salesperson},
            {"evaluation", row.evaluation},
            {"delivery", DeliveryJson(row.delivery)},
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
Result<std::optional<InteractionRow>> ReadInteraction(const Rows& rows, const RecordNo& entry) {
  auto bytes = rows.txn->Get(rows.cf, keys::Interaction(entry));
  if (!bytes.ok()) {
    if (bytes.status().code() == StatusCode::kNotFound) return std::optional<InteractionRow>();
    return bytes.status();
  }
  CRM_ASSIGN_OR_RETURN(InteractionRow row, DecodeInteraction(entry, *bytes));
  return std::optional<InteractionRow>(std::move(row));
}

Status UpdateInteraction(const Rows& rows, const RecordNo& entry, const std::function<void(InteractionRow*)>& change) {
  CRM_ASSIGN_OR_RETURN(const std::optional<InteractionRow> before, ReadInteraction(rows, entry));
  if (!before) return Status::Ok();
  InteractionRow after = *before;
  change(&after);
  std::string now = EncodeInteraction(after);
  if (now == EncodeInteraction(*before)) return Status::Ok();
  rows.txn->Put(rows.cf, keys::Interaction(entry), now);
  return ChangeInteractionFigures(rows.store, rows.txn, &*before, &after);
}

// The canceled flags of an interaction or campaign entry (`self`: canceled by itself, else with
// its logged segment); an entry is canceled while either holds.
Status MarkCanceled(const Rows& rows, const RecordNo& entry, bool self, bool canceled) {
  if (entry.kind() == RecordKind::kInteraction) {
    return UpdateInteraction(rows, entry, [&](InteractionRow* row) {
      (self ? row->canceled_self : row->canceled_with_segment) = canceled;
    });
  }
  return UpdateRow(rows.txn, rows.cf, keys::CampaignEntry(entry), [&](json* row) {
    (*row)[self ? "canceled_self" : "canceled_with_segment"] = canceled;
    (*row)["canceled"] = row->value("canceled_self", false) || row->value("canceled_with_segment", false);
  });
}

Status Apply(const Rows& rows, const fb::LoggedSegmentCreated* e) {
  CRM_ASSIGN_OR_RETURN(RecordNo no, NoIn(e->no(), "logged segment number"));
  json row{{"no", no.ToString()},
           {"segment", Str(e->segment())},
           {"description", Str(e->description())},
           {"campaign", Str(e->campaign())},
           {"interaction_template", Str(e->interaction_template())},
           {"date", Str(e->date())},
           {"steps", StepsJson(e->steps())},
           {"lines", e->lines()},
           {"first_entry", Str(e->first_entry())},
           {"last_entry", Str(e->last_entry())},
           {"logged_at", FormatTimestamp(Timestamp(rows.env->recorded_at()))},
           {"logged_by", Str(rows.env->actor())},
           {"send", e->send()},
           {"delivery_token", Str(e->delivery_token())},
           {"canceled", false}};
  rows.txn->Put(rows.cf, keys::LoggedSegment(no), Dump(row));
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
  CRM_ASSIGN_OR_RETURN(RecordNo entry, NoIn(e->entry(), "campaign entry number"));
  CRM_ASSIGN_OR_RETURN(RecordNo campaign, NoIn(e->campaign(), "campaign"));
  json row{{"entry", entry.ToString()},
           {"campaign", campaign.ToString()},
           {"logged_segment", Str(e->logged_segment())},
           {"description", Str(e->description())},
           {"date", Str(e->date())},
           {"interaction_template", Str(e->interaction_template())},
           {"cost", FormatMoney(Money(e->cost()))},
           {"duration", e->duration()},
           {"interactions", e->interactions()},
           {"canceled", false}};
  rows.txn->Put(rows.cf, keys::CampaignEntry(entry), Dump(row));
  rows.txn->Put(rows.cf, keys::CampaignEntryOf(campaign, entry), "");
  CRM_ASSIGN_OR_RETURN(RecordNo logged, NoIn(e->logged_segment(), "logged segment"));
  CRM_RETURN_IF_ERROR(UpdateRow(rows.txn, rows.cf, keys::LoggedSegment(logged), [&](json* ls) {
    (*ls)["campaign_entry"] = entry.ToString();
  }));
  return Status::Ok();
}

Status Apply(const Rows& rows, const fb::LoggedSegmentCanceled* e) {
  CRM_ASSIGN_OR_RETURN(RecordNo logged, NoIn(e->no(), "logged segment"));
  const bool canceled = !e->undo();
  json ls;
  CRM_RETURN_IF_ERROR(UpdateRow(rows.txn, rows.cf, keys::LoggedSegment(logged), [&](json* row) {
    (*row)["canceled"] = canceled;
    ls = *row;
  }));
  if (ls.is_null()) return Status::Ok();
  CRM_ASSIGN_OR_RETURN(RecordNo first, RecordNo::Parse(ls.value("first_entry", "")));
  CRM_ASSIGN_OR_RETURN(RecordNo last, RecordNo::Parse(ls.value("last_entry", "")));
  for (uint64_t n = first.counter(); n <= last.counter(); ++n) {
    CRM_RETURN_IF_ERROR(MarkCanceled(rows, RecordNo(RecordKind::kInteraction, n), /*self=*/false, canceled));
  }
  if (auto ce = RecordNo::Parse(ls.value("campaign_entry", "")); ce.ok()) {
    CRM_RETURN_IF_ERROR(MarkCanceled(rows, *ce, /*self=*/false, canceled));
  }
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
    CRM_ASSIGN_OR_RETURN(const std::optional<InteractionRow> found, ReadInteraction(rows, entry));
    if (!found) return Status::Ok();
    const InteractionRow& row = *found;
    rows.txn->Delete(rows.cf, keys::Interaction(entry));
    if (row.campaign.valid()) rows.txn->Delete(rows.cf, keys::CampaignInteraction(row.campaign, entry));
    if (row.contact.valid()) rows.txn->Delete(rows.cf, keys::ContactInteraction(row.contact, entry));
    return ChangeInteractionFigures(rows.store, rows.txn, &row, nullptr);
  }
  const std::string key = keys::CampaignEntry(entry);
  json row;
  CRM_RETURN_IF_ERROR(UpdateRow(rows.txn, rows.cf, key, [&](json* r) { row = *r; }));
  if (row.is_null()) return Status::Ok();
  rows.txn->Delete(rows.cf, key);
  if (auto cp = RecordNo::Parse(row.value("campaign", "")); cp.ok()) {
    rows.txn->Delete(rows.cf, keys::CampaignEntryOf(*cp, entry));
  }
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
