// The interaction log's read model applying its events (projections/interaction_rows.h
// ApplyInteractionEvent): the rows of LoggedSegmentCreated, InteractionLogged and
// CampaignEntryLogged, their cancellations, deletions and deliveries. The rows' encodings and
// JSON are in interaction_rows.cc.
#include <functional>
#include <optional>
#include <string>

#include "aggregates/common.h"
#include "aggregates/delivery.h"
#include "aggregates/logging.h"
#include "projections/interaction_rows.h"
#include "projections/keys.h"
#include "projections/rows.h"
#include "projections/stats_rows.h"

namespace crm {

namespace {

Result<RecordNo> NoIn(const flatbuffers::String* s, const char* what) {
  if (s == nullptr) return Status::Corruption(std::string("event lacks its ") + what);
  return RecordNo::Parse(s->string_view());
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

// What each event's rows are written with.
struct Rows {
  Store* store;
  Store::Txn* txn;
  rocksdb::ColumnFamilyHandle* cf;
  const fb::Envelope* env;
};

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

// Reads an interaction's row, lets `change` edit it, writes it back and moves its campaign's
// figures (projections/stats_rows.h); a missing row is left alone.
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
    return UpdateInteraction(rows, entry, [&](InteractionRow* row) { row->cancel.Set(self, canceled); });
  }
  CampaignEntryRow after;
  return UpdateRow<CampaignEntryRow>(
             rows, keys::CampaignEntry(entry), entry, DecodeCampaignEntry, EncodeCampaignEntry,
             [&](CampaignEntryRow* row) { row->cancel.Set(self, canceled); },
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
