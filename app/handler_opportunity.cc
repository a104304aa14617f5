// The handler's commands of the lead lifecycle's end (SPEC §4.2 lead convert, §4.8
// opportunities): each loads what its aggregates need, and the conversion puts the decisions of
// four aggregates (contacts, opportunity, memberships, lead) into one atomic command.
#include "app/handler.h"

#include "app/handler_internal.h"

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

// What DecideCreate needs to know of the contact and campaign `c` names.
Result<opportunity::Context> OpportunityContext(ReadModel& rm, const catalog::State* catalog,
                                                const opportunity::Create& c) {
  opportunity::Context cx;
  cx.catalog = catalog;
  CRM_ASSIGN_OR_RETURN(auto contact, rm.Contact(c.contact));
  if (contact) {
    cx.contact_exists = true;
    cx.contact_erased = contact->erased;
    // The sale is with a company: the contact itself, or a person's company.
    cx.contact_company = contact->type == fb::ContactType::Company ? c.contact.ToString() : contact->company;
  }
  if (c.campaign) {
    CRM_ASSIGN_OR_RETURN(auto campaign, rm.Campaign(*c.campaign));
    cx.campaign_exists = campaign.has_value();
  }
  return cx;
}

// The existing company a conversion links by default (aggregates/lead.h ChooseCompany), from
// the read model's company index.
Result<std::optional<contact::FoundCompany>> FindCompany(ReadModel& rm, const contact::LeadState& lead) {
  CRM_ASSIGN_OR_RETURN(std::vector<RecordNo> by_name, rm.CompaniesNamed(lead.company_name));
  CRM_ASSIGN_OR_RETURN(std::vector<RecordNo> by_domain, rm.CompaniesAtDomainOf(lead.f.email));
  return contact::ChooseCompany(lead, by_name, by_domain);
}

Result<opportunity::State> ExistingOpportunity(ReadModel& rm, const RecordNo& no) {
  CRM_ASSIGN_OR_RETURN(auto op, rm.Opportunity(no));
  if (!op) return Status::NotFound("opportunity " + no.ToString() + " does not exist");
  return StateOf(*op);
}

}  // namespace

Result<json> Handler::ConvertLead(const Request& r, const LeadConversion& c) {
  return Run(r, c.lead.Stream(), [&](ReadModel& rm, AppendBatch* batch) -> Result<json> {
    CRM_ASSIGN_OR_RETURN(reference::State ref, InitializedReference(rm));
    CRM_ASSIGN_OR_RETURN(auto found, rm.Lead(c.lead));
    const contact::LeadState lead = found.value_or(contact::LeadState{});
    contact::ConvertContext cx{&ref, std::nullopt};
    contact::ConvertLead cmd;
    cmd.lead = c.lead;
    cmd.account = c.account;
    std::optional<contact::FoundCompany> found_company;
    if (!c.account && !c.new_account && lead.exists && !lead.converted()) {
      CRM_ASSIGN_OR_RETURN(found_company, FindCompany(rm, lead));
      if (found_company) cmd.account = found_company->company;
    }
    if (cmd.account) {
      CRM_ASSIGN_OR_RETURN(cx.account, rm.Contact(*cmd.account));
    }
    const bool new_account = contact::WantsNewAccount(lead, cmd.account.has_value(), c.new_account);
    CRM_ASSIGN_OR_RETURN(uint64_t first, NextNumbers(RecordKind::kContact, new_account ? 2 : 1, batch));
    if (new_account) cmd.new_account = RecordNo(RecordKind::kContact, first++);
    cmd.person = RecordNo(RecordKind::kContact, first);
    if (c.opportunity) {
      CRM_ASSIGN_OR_RETURN(cmd.opportunity, NextNumber(RecordKind::kOpportunity, batch));
    }
    CRM_ASSIGN_OR_RETURN(contact::Conversion conversion, contact::DecideConvert(lead, cx, cmd));
    Events events = std::move(conversion.events);

    CRM_ASSIGN_OR_RETURN(auto memberships, rm.CampaignsOf(c.lead));
    if (cmd.opportunity) {
      CRM_ASSIGN_OR_RETURN(catalog::State catalog, rm.Catalog());
      opportunity::Create create;
      create.no = *cmd.opportunity;
      create.description = *c.opportunity;
      create.contact = cmd.person;
      create.campaign = opportunity::ConversionCampaign(c.campaign, memberships);
      create.salesperson = opportunity::ConversionSalesperson(catalog, lead.f.salesperson);
      create.sales_cycle = c.sales_cycle;
      create.close_date = c.close_date;
      create.lead = c.lead;
      create.estimated_value = c.value;
      CRM_ASSIGN_OR_RETURN(opportunity::Context ox, OpportunityContext(rm, &catalog, create));
      ox.contact_exists = true;  // made by this command
      ox.contact_company = conversion.person.company;
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
                {"company_found_by",
                 found_company ? std::string(contact::CompanyMatchName(found_company->by)) : std::string()},
                {"opportunity", cmd.opportunity ? cmd.opportunity->ToString() : ""},
                {"memberships_moved", moved},
                {"changed", true}};
  });
}

Result<json> Handler::CreateOpportunity(const Request& r, opportunity::Create c) {
  return Run(r, StreamId(), [&](ReadModel& rm, AppendBatch* batch) -> Result<json> {
    CRM_RETURN_IF_ERROR(InitializedReference(rm).status());
    CRM_ASSIGN_OR_RETURN(catalog::State catalog, rm.Catalog());
    CRM_ASSIGN_OR_RETURN(c.no, NextNumber(RecordKind::kOpportunity, batch));
    CRM_ASSIGN_OR_RETURN(opportunity::Context cx, OpportunityContext(rm, &catalog, c));
    CRM_ASSIGN_OR_RETURN(Events events, opportunity::DecideCreate(opportunity::State{}, cx, c));
    json answer = OpportunityJson(RowOf(CreatedState<opportunity::State>(events, r, opportunity::Evolve)));
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
    // Entering a stage with an activity makes its tasks, for the opportunity's salesperson, due
    // from today, about its contact, campaign and the opportunity itself.
    const int32_t entered = answer.value("stage", 0);
    const std::string& activity = entered > 0 ? cycle->stages[static_cast<size_t>(entered - 1)].activity : "";
    if (!activity.empty() && state.salesperson.empty()) {
      answer["tasks_not_made"] = "stage " + std::to_string(entered) + "'s activity " + activity +
                                 " makes tasks for the opportunity's salesperson, and it has none";
    } else if (!activity.empty()) {
      task::Assign assign{activity, FormatDate(DateOf(r.now)), {state.salesperson, "", {}, {}, state.no}};
      if (!state.contact.empty()) {
        CRM_ASSIGN_OR_RETURN(assign.subject.contact, RecordNo::Parse(state.contact));
      }
      if (!state.campaign.empty()) {
        CRM_ASSIGN_OR_RETURN(assign.subject.campaign, RecordNo::Parse(state.campaign));
      }
      CRM_ASSIGN_OR_RETURN(Events tasks, ActivityTasks(rm, catalog, assign, batch));
      answer["tasks"] = TaskNumbers(tasks);
      for (auto& t : tasks) events.push_back(std::move(t));
    }
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
