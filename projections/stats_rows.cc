#include "projections/stats_rows.h"

#include "aggregates/task.h"
#include "projections/interaction_rows.h"
#include "projections/projector.h"
#include "projections/row_codec.h"
#include "projections/rows.h"

namespace crm {

namespace keys {
std::string CampaignFigures(const RecordNo& campaign) { return "s" + SortKey(campaign); }
std::string TargetInteractions(const RecordNo& campaign, const RecordNo& contact) {
  return "x" + SortKey(campaign) + SortKey(contact);
}
}  // namespace keys

namespace {

constexpr uint8_t kFiguresRowVersion = 1;

// One interaction row's share of its campaign: what the figures count while it is not canceled.
struct InteractionShare {
  RecordNo campaign, contact;
  bool target = false;
  CampaignFigures figures;
};

InteractionShare ShareOf(const InteractionRow* row) {
  InteractionShare s;
  if (row == nullptr || row->cancel.canceled() || !row->campaign.valid()) return s;
  s.campaign = row->campaign;
  s.figures.interactions = 1;
  s.figures.interaction_cost = row->cost.value();
  s.figures.duration = row->duration;
  if (row->campaign_target) {
    s.contact = row->contact;
    s.target = true;
  }
  return s;
}

// Counts a contact's live campaign-target interactions; the contact is among the campaign's
// targeted while the count is above zero. Returns the change of `targeted` (-1, 0 or +1).
Result<int64_t> CountTarget(Store::Txn* txn, rocksdb::ColumnFamilyHandle* cf, const RecordNo& campaign,
                            const RecordNo& contact, int64_t delta) {
  CRM_ASSIGN_OR_RETURN(uint64_t before, AddToCounter(txn, cf, keys::TargetInteractions(campaign, contact), delta));
  const uint64_t after = static_cast<uint64_t>(static_cast<int64_t>(before) + delta);
  return static_cast<int64_t>(after > 0) - static_cast<int64_t>(before > 0);
}

}  // namespace

CampaignFigures& CampaignFigures::operator+=(const CampaignFigures& other) {
  const auto to = Fields(*this);
  const auto from = Fields(other);
  for (size_t i = 0; i < to.size(); ++i) *to[i] += *from[i];
  return *this;
}

CampaignFigures& CampaignFigures::operator-=(const CampaignFigures& other) {
  const auto to = Fields(*this);
  const auto from = Fields(other);
  for (size_t i = 0; i < to.size(); ++i) *to[i] -= *from[i];
  return *this;
}

bool CampaignFigures::zero() const { return *this == CampaignFigures{}; }

std::string EncodeFigures(const CampaignFigures& f) {
  RowWriter w;
  w.Byte(kFiguresRowVersion);
  for (const int64_t* v : CampaignFigures::Fields(f)) w.I64(*v);
  return w.Take();
}

Result<CampaignFigures> DecodeFigures(std::string_view bytes) {
  RowReader r(bytes);
  CampaignFigures f;
  uint8_t version = 0;
  bool ok = r.Byte(&version) && version == kFiguresRowVersion;
  for (int64_t* v : CampaignFigures::Fields(f)) ok = ok && r.I64(v);
  if (!ok || !r.done()) return Status::Corruption("campaign figures row does not decode");
  return f;
}

CampaignFigures FiguresOf(const membership::Membership& m, RecordKind member_kind) {
  CampaignFigures f;
  if (!m.exists) return f;
  (member_kind == RecordKind::kLead ? f.leads : f.contacts) = 1;
  f.responded = m.responded;
  return f;
}

CampaignFigures FiguresOf(const opportunity::State& op) {
  CampaignFigures f;
  if (!op.exists) return f;
  f.opportunities = 1;
  f.open_opportunities = op.open();
  f.won = op.status == opportunity::kWon;
  f.lost = op.status == opportunity::kLost;
  f.estimated_value = op.estimated_value.value();
  f.won_amount = op.amount_won.value();
  return f;
}

CampaignFigures FiguresOf(const TaskRow& t) {
  CampaignFigures f;
  if (!t.no.valid()) return f;
  f.open_tasks = task::IsOpen(t.status);
  f.completed_tasks = t.status == task::kCompleted;
  f.canceled_tasks = t.status == task::kCanceled;
  return f;
}

Status ChangeFigures(Store* store, Store::Txn* txn, const RecordNo& campaign, const CampaignFigures& before,
                     const CampaignFigures& after) {
  if (!campaign.valid() || before == after) return Status::Ok();
  auto* cf = store->Cf(kCfCampaigns);
  const std::string key = keys::CampaignFigures(campaign);
  CampaignFigures f;
  if (auto row = txn->Get(cf, key); row.ok()) {
    CRM_ASSIGN_OR_RETURN(f, DecodeFigures(*row));
  } else if (row.status().code() != StatusCode::kNotFound) {
    return row.status();
  }
  f -= before;
  f += after;
  if (f.zero()) {
    txn->Delete(cf, key);
  } else {
    txn->Put(cf, key, EncodeFigures(f));
  }
  return Status::Ok();
}

Status MoveFigures(Store* store, Store::Txn* txn, const RecordNo& from, const CampaignFigures& before,
                   const RecordNo& to, const CampaignFigures& after) {
  if (from == to) return ChangeFigures(store, txn, to, before, after);
  CRM_RETURN_IF_ERROR(ChangeFigures(store, txn, from, before, CampaignFigures{}));
  return ChangeFigures(store, txn, to, CampaignFigures{}, after);
}

Status ChangeInteractionFigures(Store* store, Store::Txn* txn, const InteractionRow* before,
                                const InteractionRow* after) {
  InteractionShare was = ShareOf(before);
  InteractionShare is = ShareOf(after);
  auto* cf = store->Cf(kCfCampaigns);
  if (was.target) {
    CRM_ASSIGN_OR_RETURN(int64_t d, CountTarget(txn, cf, was.campaign, was.contact, -1));
    was.figures.targeted = -d;  // a contact no longer targeted leaves `targeted` by taking `was` away
  }
  if (is.target) {
    CRM_ASSIGN_OR_RETURN(is.figures.targeted, CountTarget(txn, cf, is.campaign, is.contact, +1));
  }
  return MoveFigures(store, txn, was.campaign, was.figures, is.campaign, is.figures);
}

}  // namespace crm
