// crmctl export contacts|leads|campaigns|roster CP|interactions|tasks|prices (SPEC §4.9): read models written as CSV
// (the columns `import` maps back), XLSX (the same columns) or JSON Lines (the rows as `--json`
// prints them), through io/row_file.h; rows stream from the read model to the file.
#include "cmd/app.h"
#include "io/row_file.h"
#include "projections/party_rows.h"
#include "projections/rows.h"

namespace crm::cli {
namespace {

using nlohmann::json;

const std::vector<std::string> kContactColumns = {
    "no", "type", "name", "company", "email", "phone", "address", "post_code", "city", "country", "language",
    "salesperson", "territory", "job_responsibility", "business_relation", "industry_group", "mailing_group",
    "exclude_from_segment", "consent", "consent_reason", "bounced", "created_at", "modified_at", "mobile", "source",
    "source_id", "source_modified_at", "company_name"};
const std::vector<std::string> kLeadColumns = {
    "no", "name", "company_name", "email", "phone", "address", "post_code", "city", "country", "language",
    "salesperson", "territory", "lead_status", "lead_source", "description", "consent", "consent_reason", "bounced",
    "created_at", "modified_at", "mobile", "source", "source_id", "source_modified_at"};
// A campaign's fields as `import campaigns` maps them back. Not its owner: a user of this data
// set (an import's owner column names a salesperson, as for contacts). Its parent is this data
// set's number.
const std::vector<std::string> kCampaignColumns = {
    "no",          "name",          "description",      "type",           "status",         "start_date",
    "end_date",    "salesperson",      "budgeted_cost",  "actual_cost",    "expected_revenue",
    "expected_response", "number_sent", "parent",       "created_at",     "modified_at",    "source",
    "source_id",   "source_modified_at"};
// A member's source and source id too: `import members --campaign CP` in another data set finds
// the member by them (--map contact= --map source_id=member).
const std::vector<std::string> kRosterColumns = {"contact",   "kind",       "name",     "status",
                                                 "responded", "added_at",   "added_by", "changed_at",
                                                 "responded_at", "source",  "source_id"};
const std::vector<std::string> kTaskColumns = {"no",          "type",     "description", "status",      "priority",
                                               "due",         "salesperson", "team",     "contact",
                                               "campaign",    "opportunity", "activity", "step",
                                               "created_at",  "modified_at"};
// A row per price line of every campaign (or one), with the campaign's dates and whether it is
// active: where and when the line applies.
const std::vector<std::string> kPriceColumns = {"campaign", "item",       "unit",     "min_qty", "discount",
                                                "price",    "start_date", "end_date", "active"};
const std::vector<std::string> kInteractionColumns = {
    "entry_no", "at", "contact", "template", "subject", "cost", "campaign", "campaign_target",
    "campaign_response", "logged_segment", "delivery_status", "canceled"};

struct ExportOpts {
  std::string what, campaign, contact, format, output;
  std::vector<std::string> filter;
};

Result<Output> Export(App* app, const ExportOpts& o) {
  if (o.output.empty()) return Status::InvalidArgument("--output FILE is required");
  if (o.format != "csv" && o.format != "xlsx" && o.format != "jsonl") {
    return Status::InvalidArgument("--format takes csv, xlsx or jsonl, not '" + o.format + "'");
  }
  const bool parties = o.what == "contacts" || o.what == "leads";
  const bool campaigns = o.what == "campaigns";
  const FieldSchema& schema = o.what == "roster" ? RosterSchema() : PartySchema();
  CRM_RETURN_IF_ERROR(Filter::CheckSyntax(o.filter, schema));
  if (!o.filter.empty() && !parties && o.what != "roster") {
    return Status::InvalidArgument("--filter applies to contacts, leads and roster exports");
  }

  RecordNo campaign, contact;
  if (!o.campaign.empty()) {
    CRM_ASSIGN_OR_RETURN(campaign, ParseNo(o.campaign, RecordKind::kCampaign));
  }
  if (!o.contact.empty()) {
    CRM_ASSIGN_OR_RETURN(contact, ParseMemberId(o.contact));
  }
  CRM_ASSIGN_OR_RETURN(Reader r, app->OpenReader());
  CRM_ASSIGN_OR_RETURN(Filter filter, r.rm->ParseFilter(o.filter, schema));
  std::vector<std::string> columns = o.what == "contacts" ? kContactColumns
                                     : o.what == "leads"  ? kLeadColumns
                                     : o.what == "roster" ? kRosterColumns
                                     : o.what == "tasks"  ? kTaskColumns
                                     : o.what == "prices" ? kPriceColumns
                                     : campaigns          ? kCampaignColumns
                                                          : kInteractionColumns;
  // Custom fields are columns after the record's own, named as defined (`import` maps them back);
  // JSON Lines keeps each row whole, its `custom` object in it.
  std::vector<std::string> custom_columns;
  if (parties || campaigns) {
    CRM_ASSIGN_OR_RETURN(reference::State ref, r.rm->Reference());
    for (const custom::FieldDef* d : ref.CustomFields(campaigns ? "campaign" : o.what == "contacts" ? "contact" : "lead")) {
      custom_columns.push_back(d->name);
    }
  }
  columns.insert(columns.end(), custom_columns.begin(), custom_columns.end());
  const bool flatten = o.format != "jsonl" && !custom_columns.empty();
  auto with_custom = [&](json row) {
    if (!flatten) return row;
    const json values = row.value("custom", json::object());
    for (const std::string& name : custom_columns) row[name] = values.value(name, "");
    row.erase("custom");
    return row;
  };
  if (o.what == "roster" || (o.what == "prices" && campaign.valid())) {
    CRM_ASSIGN_OR_RETURN(auto cp, r.rm->Campaign(campaign));
    if (!cp) return Status::NotFound("campaign " + campaign.ToString() + " does not exist");
  }
  CRM_ASSIGN_OR_RETURN(auto sink, io::RowFile::Open(o.output, o.format, columns));
  uint64_t rows = 0;
  std::map<RecordNo, std::string> company_names;  // a person's company's name, looked up once each
  auto add = [&](const json& row) {
    sink->Add(row);
    ++rows;
    return true;
  };
  if (parties) {
    CRM_RETURN_IF_ERROR(
        r.rm->ForEachPartyState(o.what == "contacts", o.what == "leads", [&](const RecordNo&, const PartyState& party) {
          if (HiddenByDeletion(party, filter) || !filter.Matches(PartyRecord(&party, &PartySchema()))) return true;
          json row = PartyToJson(party);
          // A person's company by name too: its number is this data set's own (an import elsewhere
          // links by name: --map company= --map company_name=company).
          if (const auto* person = std::get_if<contact::ContactState>(&party); person && !person->company.empty()) {
            auto company = RecordNo::Parse(person->company, RecordKind::kContact);
            auto it = company.ok() ? company_names.find(*company) : company_names.end();
            if (company.ok() && it == company_names.end()) {
              auto state = r.rm->Contact(*company);
              it = company_names.emplace(*company, state.ok() && *state ? (*state)->f.name : "").first;
            }
            if (it != company_names.end()) row["company_name"] = it->second;
          }
          return add(with_custom(std::move(row)));
        }));
  } else if (campaigns) {
    CRM_RETURN_IF_ERROR(r.rm->ForEachCampaign([&](const campaign::State& cp) {
      return cp.deleted || add(with_custom(ToJson(cp)));
    }));
  } else if (o.what == "roster") {
    CRM_RETURN_IF_ERROR(
        r.rm->ForEachMemberWithParty(campaign, RecordNo(), [&](const RosterRow& m, const PartyState* party) {
          if (!filter.Matches(PartyRecord(party, &RosterSchema(), &m.m))) return true;
          const std::optional<json> row = party ? std::optional<json>(PartyToJson(*party)) : std::nullopt;
          json member = RosterJson(m, row);
          member["source"] = row ? row->value("source", "") : "";
          member["source_id"] = row ? row->value("source_id", "") : "";
          return add(member);
        }));
  } else if (o.what == "tasks") {
    CRM_RETURN_IF_ERROR(r.rm->ForEachTask(campaign, [&](const TaskRow& t) { return add(TaskJson(t)); }));
  } else if (o.what == "prices") {
    CRM_RETURN_IF_ERROR(r.rm->ForEachCampaign([&](const campaign::State& cp) {
      if (campaign.valid() && cp.no != campaign) return true;
      for (const campaign::PriceLine& line : cp.prices) {
        json row = PriceLineJson(cp.no, line);
        row["start_date"] = cp.start ? FormatDate(*cp.start) : "";
        row["end_date"] = cp.end ? FormatDate(*cp.end) : "";
        row["active"] = cp.active;
        add(row);
      }
      return true;
    }));
  } else {
    ReadModel::InteractionQuery q;
    q.contact = contact;
    q.campaign = campaign;
    CRM_RETURN_IF_ERROR(r.rm->ForEachInteraction(q, [&](const InteractionRow& row) { return add(InteractionListJson(row)); }));
  }
  CRM_RETURN_IF_ERROR(sink->Finish());
  json out{{"exported", o.what}, {"rows", rows}, {"format", o.format}, {"output", o.output}};
  const std::string text = "exported " + std::to_string(rows) + ' ' + o.what + " rows to " + o.output + '\n';
  return JsonOrText(std::move(out), app->globals().quiet ? "" : text);
}

}  // namespace

void AddExportCommands(App* app) {
  auto* group = app->cli().add_subcommand("export", "write contacts, leads, campaigns, a roster, interactions, tasks or prices to a file");
  group->require_subcommand(1);
  for (const char* what : {"contacts", "leads", "campaigns", "roster", "interactions", "tasks", "prices"}) {
    auto* sub = group->add_subcommand(what, std::string("export ") + what);
    auto o = std::make_shared<ExportOpts>();
    o->what = what;
    o->format = "csv";
    sub->add_option("--format", o->format, "csv (default), xlsx or jsonl");
    sub->add_option("--output", o->output, "the file to write (replaced whole)")->required();
    if (o->what == "roster") sub->add_option("CAMPAIGN", o->campaign, "the campaign")->required();
    const bool by_campaign = o->what == "interactions" || o->what == "tasks" || o->what == "prices";
    if (by_campaign) sub->add_option("--campaign", o->campaign, "only this campaign's");
    if (o->what == "interactions") sub->add_option("--contact", o->contact, "only this contact's");
    if (!by_campaign) sub->add_option("--filter", o->filter, "FIELD=EXPR (repeatable; all must hold)");
    app->On(sub, [app, o] { return Export(app, *o); });
  }
}

}  // namespace crm::cli
