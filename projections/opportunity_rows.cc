#include "projections/opportunity_rows.h"

#include <array>

#include "projections/keys.h"
#include "projections/projector.h"
#include "projections/row_codec.h"
#include "projections/stats_rows.h"

namespace crm {
namespace {

constexpr uint8_t kOpportunityRowVersion = 1;

// The fields the row and the aggregate's state share, by name, in row order.
template <typename From, typename To>
void CopyOpportunity(const From& f, To* t) {
  t->no = f.no;
  t->description = f.description;
  t->contact = f.contact;
  t->company = f.company;
  t->campaign = f.campaign;
  t->salesperson = f.salesperson;
  t->sales_cycle = f.sales_cycle;
  t->status = f.status;
  t->close_date = f.close_date;
  t->close_reason = f.close_reason;
  t->lead = f.lead;
  t->stage = f.stage;
  t->estimated_value = f.estimated_value;
  t->chance = f.chance;
  t->completed = f.completed;
  t->amount_won = f.amount_won;
  t->created_at = f.created_at;
  t->modified_at = f.modified_at;
}

template <typename Row>
auto TextFields(Row& r) {
  return std::array{&r.description, &r.contact,     &r.company,      &r.campaign, &r.salesperson,
                    &r.sales_cycle, &r.status,      &r.close_date,   &r.close_reason, &r.lead};
}

}  // namespace

std::string EncodeOpportunity(const OpportunityRow& row) {
  RowWriter w;
  w.Byte(kOpportunityRowVersion);
  w.I64(row.stage);
  for (const std::string* s : TextFields(row)) w.Str(*s);
  for (int64_t v : {row.estimated_value.value(), row.chance.value(), row.completed.value(), row.amount_won.value(),
                    row.created_at.value(), row.modified_at.value()}) {
    w.I64(v);
  }
  return w.Take();
}

Result<OpportunityRow> DecodeOpportunity(const RecordNo& no, std::string_view bytes) {
  RowReader r(bytes);
  OpportunityRow row;
  row.no = no;
  uint8_t version = 0;
  int64_t stage = 0, value = 0, chance = 0, completed = 0, won = 0, created = 0, modified = 0;
  bool ok = r.Byte(&version) && version == kOpportunityRowVersion && r.I64(&stage);
  for (std::string* s : TextFields(row)) ok = ok && r.Str(s);
  for (int64_t* v : {&value, &chance, &completed, &won, &created, &modified}) ok = ok && r.I64(v);
  if (!ok || !r.done()) return Status::Corruption("opportunity row of " + no.ToString() + " does not decode");
  row.stage = static_cast<int32_t>(stage);
  row.estimated_value = Money(value);
  row.chance = Percent(chance);
  row.completed = Percent(completed);
  row.amount_won = Money(won);
  row.created_at = Timestamp(created);
  row.modified_at = Timestamp(modified);
  return row;
}

opportunity::State StateOf(const OpportunityRow& row) {
  opportunity::State s;
  s.exists = true;
  CopyOpportunity(row, &s);
  return s;
}

OpportunityRow RowOf(const opportunity::State& state) {
  OpportunityRow row;
  CopyOpportunity(state, &row);
  return row;
}

nlohmann::json OpportunityJson(const OpportunityRow& op) {
  return {{"no", op.no.ToString()},
          {"description", op.description},
          {"contact", op.contact},
          {"company", op.company},
          {"campaign", op.campaign},
          {"salesperson", op.salesperson},
          {"sales_cycle", op.sales_cycle},
          {"stage", op.stage},
          {"status", op.status},
          {"estimated_value", FormatMoney(op.estimated_value)},
          {"chance", PercentAsDouble(op.chance)},
          {"completed", PercentAsDouble(op.completed)},
          {"close_date", op.close_date},
          {"close_reason", op.close_reason},
          {"amount_won", FormatMoney(op.amount_won)},
          {"lead", op.lead},
          {"created_at", FormatTimestamp(op.created_at)},
          {"modified_at", FormatTimestamp(op.modified_at)}};
}

Status ApplyOpportunityEvent(Store* store, Store::Txn* txn, const fb::Envelope& env) {
  auto* cf = store->Cf(kCfCampaigns);
  CRM_ASSIGN_OR_RETURN(RecordNo no, RecordNo::OfStream(StreamId(Str(env.stream()))));
  const std::string key = keys::Opportunity(no);
  opportunity::State before;
  if (env.payload_type() != fb::Event::OpportunityCreated) {
    CRM_ASSIGN_OR_RETURN(std::string bytes, txn->Get(cf, key));
    CRM_ASSIGN_OR_RETURN(OpportunityRow row, DecodeOpportunity(no, bytes));
    before = StateOf(row);
  }
  const opportunity::State state = opportunity::Evolve(before, env);
  txn->Put(cf, key, EncodeOpportunity(RowOf(state)));
  if (env.payload_type() == fb::Event::OpportunityCreated && !state.campaign.empty()) {
    CRM_ASSIGN_OR_RETURN(RecordNo cp, RecordNo::Parse(state.campaign));
    txn->Put(cf, keys::CampaignOpportunity(cp, no), "");
  }
  CRM_ASSIGN_OR_RETURN(RecordNo from, RecordNo::ParseOptional(before.campaign));
  CRM_ASSIGN_OR_RETURN(RecordNo to, RecordNo::ParseOptional(state.campaign));
  return MoveFigures(store, txn, from, FiguresOf(before), to, FiguresOf(state));
}

}  // namespace crm
