// The handler's commands of the lead lifecycle's end (SPEC §4.2 lead convert, §4.8
// opportunities): each loads what its aggregates need, and the conversion puts the decisions of
// four aggregates (contacts, opportunity, memberships, lead) into one atomic command.
#include "aggregates/handler.h"

#include "aggregates/handler_internal.h"

namespace crm {

using namespace handler_internal;  // NOLINT: this file implements the handler
using nlohmann::json;

namespace {

// The opportunity's answer: what an opportunity command changed, as `opportunity show` reads.
json OpportunityAnswer(const opportunity::State& before, const Events& events) {
  json answer{{"no", before.no.ToString()}, {"changed", !events.empty()}};
  for (const auto& e : events) {
    if (const auto* moved = e.payload.AsOpportunityStageChanged()) {
      answer["from_stage"] = moved->from_stage;
      answer["stage"] = moved->stage;
    } else if (const auto* closed = e.payload.AsOpportunityClosed()) {
      answer["status"] = closed->won ? opportunity::kWon : opportunity::kLost;
      answer["amount_won"] = FormatMoney(Money(closed->amount));
    }
  }
  return answer;
}

Result<opportunity::State> ExistingOpportunity(ReadModel& rm, const RecordNo& no) {
  CRM_ASSIGN_OR_RETURN(auto op, rm.Opportunity(no));
  if (!op) return Status::NotFound("opportunity " + no.ToString() + " does not exist");
  return *op;
}

}  // namespace

Result<json> Handler::ConvertLead(const Request& r, const LeadConversion& c) {
  return Run(r, c.lead.Stream(), [&](ReadModel& rm, AppendBatch* batch) -> Result<json> {
    CRM_ASSIGN_OR_RETURN(reference::State ref, InitializedReference(rm));
    CRM_ASSIGN_OR_RETURN(auto found, rm.Lead(c.lead));
    const contact::LeadState lead = found.value_or(contact::LeadState{});
    contact::ConvertContext cx{&ref, std::nullopt};
    if (c.account) {
      CRM_ASSIGN_OR_RETURN(cx.account, rm.Contact(*c.account));
    }
    contact::ConvertLead cmd;
    cmd.lead = c.lead;
    cmd.account = c.account;
    const bool new_account = c.new_account || (!c.account && !Trim(lead.company_name).empty());
    CRM_ASSIGN_OR_RETURN(uint64_t first, NextNumbers(RecordKind::kContact, new_account ? 2 : 1, batch));
    if (new_account) cmd.new_account = RecordNo(RecordKind::kContact, first++);
    cmd.person = RecordNo(RecordKind::kContact, first);
    std::optional<RecordNo> op;
    if (c.opportunity) {
      CRM_ASSIGN_OR_RETURN(op, NextNumber(RecordKind::kOpportunity, batch));
      cmd.opportunity = op->ToString();
    }
    CRM_ASSIGN_OR_RETURN(contact::Conversion conversion, contact::DecideConvert(lead, cx, cmd));
    Events events = std::move(conversion.events);

    // The memberships, and the campaign the lead joined last (the opportunity's by default).
    CRM_ASSIGN_OR_RETURN(auto memberships, rm.CampaignsOf(c.lead));
    std::optional<RecordNo> last_joined;
    Timestamp joined_at(INT64_MIN);
    for (const auto& [cp, m] : memberships) {
      if (m.added_at.value() >= joined_at.value()) last_joined = cp, joined_at = m.added_at;
    }
    if (op) {
      CRM_ASSIGN_OR_RETURN(catalog::State catalog, rm.Catalog());
      opportunity::Create create;
      create.no = *op;
      create.description = *c.opportunity;
      create.contact = cmd.person.ToString();
      const std::optional<RecordNo> campaign = c.campaign ? c.campaign : last_joined;
      opportunity::Context ox{&catalog, true, conversion.person.company, false};
      if (campaign) {
        create.campaign = campaign->ToString();
        CRM_ASSIGN_OR_RETURN(auto cp, rm.Campaign(*campaign));
        ox.campaign_exists = cp.has_value();
      }
      // The lead's salesperson follows the sale, when it is one of the catalogue's.
      const std::string salesperson = Upper(Trim(lead.f.salesperson));
      if (catalog.salespeople.contains(salesperson)) create.salesperson = salesperson;
      create.sales_cycle = c.sales_cycle;
      create.close_date = c.close_date;
      create.lead = c.lead.ToString();
      create.estimated_value = c.value;
      CRM_ASSIGN_OR_RETURN(Events made, opportunity::DecideCreate(opportunity::State{}, ox, create));
      for (auto& e : made) events.push_back(std::move(e));
    }
    json moved = json::array();
    for (const auto& [cp, m] : memberships) {
      events.push_back(membership::MoveMember(cp, c.lead, m, cmd.person));
      moved.push_back(cp.ToString());
    }
    batch->events = std::move(events);
    return json{{"no", cmd.person.ToString()},
                {"lead", c.lead.ToString()},
                {"contact", cmd.person.ToString()},
                {"company", conversion.person.company},
                {"new_company", cmd.new_account.has_value()},
                {"opportunity", cmd.opportunity},
                {"memberships_moved", moved},
                {"changed", true}};
  });
}

Result<json> Handler::CreateOpportunity(const Request& r, opportunity::Create c) {
  return Run(r, StreamId(), [&](ReadModel& rm, AppendBatch* batch) -> Result<json> {
    CRM_RETURN_IF_ERROR(InitializedReference(rm).status());
    CRM_ASSIGN_OR_RETURN(catalog::State catalog, rm.Catalog());
    CRM_ASSIGN_OR_RETURN(c.no, NextNumber(RecordKind::kOpportunity, batch));
    opportunity::Context cx{&catalog, false, "", false};
    auto contact_no = RecordNo::Parse(Trim(c.contact), RecordKind::kContact);
    if (!contact_no.ok()) return Status::InvalidArgument("--contact takes a contact number (CTxxxx), not '" + c.contact + "'");
    c.contact = contact_no->ToString();
    CRM_ASSIGN_OR_RETURN(auto contact, rm.Contact(*contact_no));
    if (contact) {
      if (contact->erased) return Status::FailedPrecondition("contact " + c.contact + " was erased");
      cx.contact_exists = true;
      // The sale is with a company: the contact itself, or a person's company.
      cx.contact_company = contact->type == fb::ContactType::Company ? c.contact : contact->company;
    }
    if (!c.campaign.empty()) {
      auto cp = RecordNo::Parse(Trim(c.campaign), RecordKind::kCampaign);
      if (!cp.ok()) return Status::InvalidArgument("--campaign takes a campaign number (CPxxxx), not '" + c.campaign + "'");
      c.campaign = cp->ToString();
      CRM_ASSIGN_OR_RETURN(auto campaign, rm.Campaign(*cp));
      cx.campaign_exists = campaign.has_value();
    }
    CRM_ASSIGN_OR_RETURN(Events events, opportunity::DecideCreate(opportunity::State{}, cx, c));
    json answer = CreatedRecord<opportunity::State>(events, r, opportunity::Evolve);
    batch->events = std::move(events);
    return answer;
  });
}

Result<json> Handler::MoveOpportunity(const Request& r, const opportunity::ChangeStage& c) {
  return Run(r, c.no.Stream(), [&](ReadModel& rm, AppendBatch* batch) -> Result<json> {
    CRM_ASSIGN_OR_RETURN(opportunity::State state, ExistingOpportunity(rm, c.no));
    CRM_ASSIGN_OR_RETURN(catalog::State catalog, rm.Catalog());
    CRM_ASSIGN_OR_RETURN(const catalog::SalesCycle* cycle, catalog::FindSalesCycle(catalog, state.sales_cycle));
    CRM_ASSIGN_OR_RETURN(Events events, opportunity::DecideStage(state, *cycle, c));
    json answer = OpportunityAnswer(state, events);
    batch->events = std::move(events);
    return answer;
  });
}

Result<json> Handler::CloseOpportunity(const Request& r, const opportunity::Close& c) {
  return Run(r, c.no.Stream(), [&](ReadModel& rm, AppendBatch* batch) -> Result<json> {
    CRM_ASSIGN_OR_RETURN(opportunity::State state, ExistingOpportunity(rm, c.no));
    CRM_ASSIGN_OR_RETURN(Events events, opportunity::DecideClose(state, c));
    json answer = OpportunityAnswer(state, events);
    batch->events = std::move(events);
    return answer;
  });
}

}  // namespace crm
