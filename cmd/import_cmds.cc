// crmctl import contacts|companies|leads|campaigns|members FILE (SPEC §4.9): reads the file twice: once to check it is
// well formed and count its rows (a malformed file is refused before anything is written), then to import it through
// Handler::Import, batch by batch. Answers the totals and every row that was not simply created (updated, unchanged,
// skipped, failed: file, line, reason); --report FILE writes every row's outcome as CSV. Rows that fail do not fail the
// command (exit 0, a warning on stderr); a refused import (bad options, unknown campaign, malformed file) is exit 1
// or 2.
#include <algorithm>
#include <cctype>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include "aggregates/import_campaigns.h"
#include "cmd/app.h"
#include "io/csv.h"
#include "io/files.h"
#include "io/rows.h"

namespace crm::cli {
namespace {

using nlohmann::json;

// Rows listed on stdout (and in --json) at most; --report FILE has them all.
constexpr size_t kListedRows = 1000;

struct ImportOpts {
  std::string file, format, duplicates = "skip", campaign, member_status, report, separator, encoding;
  std::string decimal = ".", source, from;
  std::vector<std::string> map, value_map;
  bool create_missing = false, add_missing_statuses = false;
  bool dry_run = false;
  size_t batch_rows = kImportBatchRows;
};

// A salesperson code from a name's initials ("Patricia Boyle" -> PB, an address's first letters),
// made unique with a number ("PB2") against `taken`.
std::string CodeFor(const std::string& owner, const std::set<std::string>& taken) {
  std::string base;
  const std::string name = owner.find('@') == std::string::npos ? owner : owner.substr(0, owner.find('@'));
  bool start = true;
  for (unsigned char c : name) {
    if (std::isalnum(c)) {
      if (start) base += static_cast<char>(std::toupper(c));
      start = false;
    } else {
      start = true;
    }
  }
  if (base.size() < 2) {
    for (unsigned char c : name) {
      if (std::isalnum(c) && base.size() < 3) base += static_cast<char>(std::toupper(c));
    }
  }
  if (base.empty()) base = "SP";
  base = base.substr(0, 16);
  std::string code = base;
  for (int n = 2; taken.contains(code); ++n) code = base + std::to_string(n);
  return code;
}

// The salespeople and lead statuses the file names and the data set lacks, added before the rows
// (--create-missing, --add-missing-statuses), each a command of its own whose id derives from the
// import's, so that the import run again adds nothing twice. Answers what was added. A dry run adds
// nothing and decides its rows as if it had (`opts` gets what it would add).
// A status rows name (case aside): its name as first written (a campaign status: its code), the
// source's wording, and (member statuses) whether any row says it counts as responded.
struct NamedStatus {
  std::string name, as_written;
  bool responded = false;
};

// What a row names that the data set may lack (its owner, its status), and how it is ordered.
struct RowNames {
  bool ok = false;  // the row reads (one that does not fails when it is decided)
  std::string owner;
  NamedStatus status;       // its name "" when the row names none
  bool company = false;     // a company (contacts)
  bool has_parent = false;  // a campaign with a parent
};
RowNames NamesIn(import::Target target, const import::Mapping& m, const std::vector<std::string>& cells) {
  RowNames n;
  switch (target) {
    case import::Target::kContacts:
    case import::Target::kLeads:
    case import::Target::kCompanies: {
      auto read = import::ReadRow(m, cells);
      if (!read.ok()) return n;
      n.owner = read->owner;
      n.status = {read->lead_status, read->lead_status};
      n.company = read->type == fb::ContactType::Company;
      break;
    }
    case import::Target::kCampaigns: {
      auto read = import::ReadCampaignRow(m, cells);
      if (!read.ok()) return n;
      n.owner = read->owner;
      n.status.name = read->f.status;
      for (size_t i = 0; i < cells.size() && i < m.fields.size(); ++i) {
        if (m.fields[i] == "status") n.status.as_written = import::CellAt(m, cells, i);
      }
      n.has_parent = !read->f.parent.empty();
      break;
    }
    case import::Target::kMembers: {
      auto read = import::ReadMemberRow(m, cells);
      if (!read.ok()) return n;
      const std::string status = Trim(read->status);
      n.status = {status, status, read->responded.value_or(false)};
      break;
    }
  }
  n.ok = true;
  return n;
}

Result<json> AddMissing(App* app, const ImportOpts& o, import::Target target,
                        const std::map<std::string, std::string>& owners_named,
                        const std::map<std::string, NamedStatus>& statuses_named, ImportOptions* opts) {
  catalog::State catalog;
  reference::State ref;
  {
    CRM_ASSIGN_OR_RETURN(Reader r, app->OpenReader());
    CRM_ASSIGN_OR_RETURN(catalog, r.rm->Catalog());
    CRM_ASSIGN_OR_RETURN(ref, r.rm->Reference());
  }
  json salespeople = json::array(), statuses = json::array();
  CRM_ASSIGN_OR_RETURN(auto h, app->OpenWriter());
  const Request base = app->MakeRequest();
  auto request = [&](const std::string& what) {
    Request rq = base;
    rq.command_id = CommandId(base.command_id.value() + "+" + what);
    return rq;
  };
  if (o.create_missing) {
    const import::Owners owners = import::OwnersOf(catalog);
    std::set<std::string> taken;
    for (const auto& [code, p] : catalog.salespeople) taken.insert(code);
    for (const auto& [code, p] : catalog.deleted_salespeople) taken.insert(code);
    for (const auto& [key, owner] : owners_named) {  // each owner once, case and spaces aside
      if (owners.contains(key)) continue;
      const std::string code = CodeFor(owner, taken);
      taken.insert(code);
      const bool address = owner.find('@') != std::string::npos;
      catalog::AddSalesperson add{code, address ? owner.substr(0, owner.find('@')) : owner, address ? owner : ""};
      if (o.dry_run) {
        opts->planned_owners[key] = code;
        salespeople.push_back(code + " " + add.name);
        continue;
      }
      CRM_RETURN_IF_ERROR(h->Catalog(request("salesperson-" + code), add).status().WithContext("owner " + owner));
      salespeople.push_back(code + " " + add.name);
    }
  }
  // Lead statuses, campaign status codes or member statuses, as the target has them.
  const bool campaigns = target == import::Target::kCampaigns, members = target == import::Target::kMembers;
  const std::string kind = campaigns ? "campaign-status-" : members ? "member-status-" : "lead-status-";
  if (o.add_missing_statuses) {
    for (const auto& [key, named] : statuses_named) {
      const std::string& status = named.name;
      const bool defined = campaigns ? ref.campaign_statuses.contains(status)
                           : members ? ref.FindStatus(status) != nullptr
                                     : ref.FindLeadStatus(status).has_value();
      if (defined) continue;
      statuses.push_back(status);
      if (o.dry_run) {
        opts->planned_statuses[status] = named.responded;
        continue;
      }
      Result<json> added = Status::Ok();
      if (campaigns) {
        added = h->Reference(request(kind + status), reference::AddCampaignStatus{status, named.as_written});
      } else if (members) {
        added = h->Reference(request(kind + status), reference::AddMemberStatus{status, named.responded, false, {}});
      } else {
        added = h->Reference(request(kind + status), reference::AddLeadStatus{status, {}});
      }
      CRM_RETURN_IF_ERROR(added.status().WithContext("status " + status));
    }
  }
  json answer{{"salespeople_added", salespeople}};
  answer[campaigns ? "campaign_statuses_added" : members ? "member_statuses_added" : "lead_statuses_added"] = statuses;
  return answer;
}

Result<Output> Import(App* app, import::Target target, const ImportOpts& o) {
  ImportOptions opts;
  opts.target = target;
  CRM_ASSIGN_OR_RETURN(opts.duplicates, import::ParseDuplicates(o.duplicates));
  if (!o.campaign.empty()) {
    CRM_ASSIGN_OR_RETURN(opts.campaign, ParseNo(o.campaign, RecordKind::kCampaign));
  }
  opts.member_status = o.member_status;
  opts.dry_run = o.dry_run;
  const bool members = target == import::Target::kMembers;
  if ((target == import::Target::kCampaigns && !o.campaign.empty()) ||
      ((target == import::Target::kCampaigns || members) && (!o.member_status.empty() || o.duplicates != "skip"))) {
    return Status::InvalidArgument(
        "--campaign, --member-status and --duplicates are for imports of contacts, "
        "companies and leads, and --campaign of members (a re-import of campaigns or "
        "members updates by source id)");
  }
  if (o.batch_rows == 0) return Status::InvalidArgument("--batch-rows must be at least 1");
  opts.batch_rows = o.batch_rows;

  if (o.decimal != "." && o.decimal != ",") {
    return Status::InvalidArgument("--decimal takes . or , (the file's decimal mark), not '" + o.decimal + "'");
  }
  // The custom fields columns may fill: the target's.
  std::vector<custom::FieldDef> custom_fields;
  {
    CRM_ASSIGN_OR_RETURN(Reader r, app->OpenReader());
    CRM_ASSIGN_OR_RETURN(reference::State ref, r.rm->Reference());
    const char* of = target == import::Target::kLeads       ? "lead"
                     : target == import::Target::kCampaigns ? "campaign"
                     : target == import::Target::kMembers   ? ""
                                                            : "contact";
    for (const custom::FieldDef* d : ref.CustomFields(of)) {
      custom_fields.push_back(*d);
    }
  }

  std::vector<import::ValueMap> value_maps;
  for (const std::string& v : o.value_map) {
    CRM_ASSIGN_OR_RETURN(import::ValueMap parsed, import::ParseValueMap(v));
    value_maps.push_back(std::move(parsed));
  }
  std::optional<import::Profile> from;
  if (!o.from.empty()) {
    CRM_ASSIGN_OR_RETURN(from, import::ParseProfile(o.from));
  }

  // Pass 1: the whole file must be well formed before a row is written. With --create-missing or
  // --add-missing-statuses it also gathers the owners and lead statuses the rows name.
  std::vector<std::string> header;
  std::map<std::string, std::string> owners_named;  // lower(trim(owner)) -> as first written
  std::map<std::string, NamedStatus> statuses_named;
  // A contact list with both kinds whose persons name companies (BC's): the companies first, so
  // that a person finds its company wherever it stands in the file. Campaigns: those without a
  // parent first, so that a parent is there before its children.
  bool first_part = false;
  auto in_first_part = [&opts, target](const io::TableRow& row) {
    const RowNames n = NamesIn(target, opts.mapping, row.cells);
    return target == import::Target::kCampaigns ? !n.has_parent : n.company;
  };
  {
    CRM_ASSIGN_OR_RETURN(auto check, io::OpenRows(o.file, o.format, o.separator, o.encoding));
    header = check->header();
    const import::Profile profile = from.value_or(import::DetectProfile(header));
    auto mapping = import::MapColumns(target, header, o.map, custom_fields, profile, value_maps);
    if (!mapping.ok()) return mapping.status().WithContext(o.file);
    if (members) {  // the campaign: a column, or --campaign for every row
      const bool column =
          std::find(mapping->fields.begin(), mapping->fields.end(), "campaign") != mapping->fields.end();
      if (column == !o.campaign.empty()) {
        return Status::InvalidArgument(column
                                           ? o.file +
                                                 ": --campaign gives every row's campaign, and the file has a "
                                                 "campaign column (--map COLUMN= drops it)"
                                           : o.file + ": no column gives the campaign (CampaignId; or --campaign CP)");
      }
    }
    opts.mapping = std::move(*mapping);
    opts.mapping.decimal_comma = o.decimal == ",";
    if (!o.source.empty()) opts.mapping.source = Lower(Trim(o.source));
    const bool gather = o.create_missing || o.add_missing_statuses;
    io::TableRow row;
    for (;;) {
      CRM_ASSIGN_OR_RETURN(bool more, check->Next(&row));
      if (!more) break;
      ++opts.total_rows;
      const bool ordered =
          (target == import::Target::kContacts && opts.mapping.company_column) || target == import::Target::kCampaigns;
      if (!gather && !ordered) continue;
      const RowNames n = NamesIn(target, opts.mapping, row.cells);
      if (!n.ok) continue;  // the row fails when it is decided
      if ((target == import::Target::kContacts && n.company) || n.has_parent) first_part = true;
      if (!n.owner.empty()) owners_named.emplace(Lower(Trim(n.owner)), Trim(n.owner));
      if (!n.status.name.empty()) {
        auto [it, fresh] = statuses_named.emplace(Lower(n.status.name), n.status);
        it->second.responded = it->second.responded || n.status.responded;  // rows saying otherwise fail, named
      }
    }
  }
  json added = json::object();
  if (o.create_missing || o.add_missing_statuses) {
    CRM_ASSIGN_OR_RETURN(added, AddMissing(app, o, target, owners_named, statuses_named, &opts));
  }
  CRM_ASSIGN_OR_RETURN(auto source, io::OpenRows(o.file, o.format, o.separator, o.encoding));
  if (first_part) {
    CRM_ASSIGN_OR_RETURN(auto again, io::OpenRows(o.file, o.format, o.separator, o.encoding));
    source = io::FirstThese(std::move(source), std::move(again), in_first_part);
  }

  std::unique_ptr<FileDraft> report;
  std::unique_ptr<io::CsvWriter> report_csv;
  if (!o.report.empty()) {
    CRM_ASSIGN_OR_RETURN(report, FileDraft::Open(o.report));
    report_csv = std::make_unique<io::CsvWriter>(report->file());
    report_csv->Write({"file", "line", "outcome", "record", "reason"});
  }
  json listed = json::array();
  std::string listed_text;  // the listed rows as the text answer shows them
  size_t unlisted = 0;
  const std::string file = source->file();
  auto on_row = [&](const import::RowResult& row) {
    const std::string outcome(import::OutcomeName(row.outcome));
    const std::string record = row.no.valid() ? row.no.ToString() : "";
    if (report_csv) report_csv->Write({file, std::to_string(row.line), outcome, record, row.reason});
    if (row.outcome == import::Outcome::kCreated && row.reason.empty()) return;
    if (listed.size() >= kListedRows) {
      ++unlisted;
      return;
    }
    listed.push_back(
        {{"file", file}, {"line", row.line}, {"outcome", outcome}, {"record", record}, {"reason", row.reason}});
    listed_text += file + ':' + std::to_string(row.line) + ": " + outcome + (record.empty() ? "" : " " + record) +
                   (row.reason.empty() ? "" : ": " + row.reason) + '\n';
  };

  CRM_ASSIGN_OR_RETURN(auto h, app->OpenWriter());
  h->SetProgress(Progress("import"));
  auto answer = h->Import(app->MakeRequest(), opts, source.get(), on_row);
  if (report) {
    // Written even when the import stopped: it accounts for the rows before the stop.
    if (Status w = report->Commit(); !w.ok()) std::cerr << "warning: no report: " << w.message() << '\n';
  }
  if (!answer.ok()) return answer.status();
  json out = *answer;
  out["ignored_columns"] = opts.mapping.ignored;
  out["from"] = std::string(import::ProfileSource(opts.mapping.profile));
  json columns = json::array();
  for (size_t i = 0; i < header.size() && i < opts.mapping.fields.size(); ++i) {
    columns.push_back({{"column", header[i]}, {"field", opts.mapping.fields[i]}});
  }
  out["columns"] = columns;
  for (const auto& [what, list] : added.items()) out[what] = list;
  const io::TextEncoding encoding = source->encoding();
  out["encoding"] = encoding.name;
  out["encoding_detected"] = encoding.detected;
  out["rows_listed"] = listed;
  if (unlisted > 0) out["rows_not_listed"] = unlisted;
  const uint64_t failed = out.value("failed", uint64_t{0});
  std::ostringstream text;
  if (!app->globals().quiet) {
    text << listed_text;
    if (unlisted > 0) text << "... and " << unlisted << " more rows (--report FILE lists every row)\n";
    text << (o.dry_run ? "dry run (nothing written): " : "") << out.value("rows", uint64_t{0}) << " rows from " << file
         << ": " << out.value("created", uint64_t{0}) << " created, " << out.value("updated", uint64_t{0})
         << " updated, " << out.value("unchanged", uint64_t{0}) << " unchanged, " << out.value("skipped", uint64_t{0})
         << " skipped, " << failed << " failed";
    if (opts.campaign) text << "; members of " << opts.campaign->ToString();
    text << '\n';
    if (encoding.name != "UTF-8") {
      text << "text read as " << encoding.name << (encoding.detected ? ", detected (--encoding chooses another)" : "")
           << '\n';
    }
    if (o.dry_run) {  // where every column goes
      for (const json& c : columns) {
        const std::string field = c["field"];
        text << "column " << c["column"].get<std::string>() << " -> " << (field.empty() ? "(not imported)" : field)
             << '\n';
      }
    }
    if (opts.mapping.profile != import::Profile::kNone) {
      text << "read as a " << import::ProfileSource(opts.mapping.profile) << " export"
           << (from ? "" : " (detected from its header; --from chooses)") << '\n';
    }
    for (const auto& [what, list] : added.items()) {
      if (list.empty()) continue;
      std::string names;
      for (const auto& n : list) names += (names.empty() ? "" : ", ") + n.get<std::string>();
      text << (what == "salespeople_added" ? "salespeople added: " : "lead statuses added: ") << names << '\n';
    }
    if (!opts.mapping.ignored.empty()) {
      std::string names;
      for (const auto& n : opts.mapping.ignored) names += (names.empty() ? "" : ", ") + n;
      text << "columns not imported: " << names << " (--map COLUMN=field to import one)\n";
    }
    const std::string id = out.value("command_id", "");
    if (!o.dry_run) text << "import " << id << " (crmctl undo " << id << " takes it back)\n";
  }
  Output answer_out = JsonOrText(std::move(out), text.str());
  if (failed > 0) answer_out.warning = std::to_string(failed) + " row(s) failed and were not imported (listed above)";
  return answer_out;
}

}  // namespace

void AddImportCommands(App* app) {
  auto* group = app->cli().add_subcommand(
      "import",
      "import contacts, companies, leads, campaigns or campaign members from a file (CSV, XLSX, XLS, vCard or JSON "
      "Lines)");
  group->require_subcommand(1);
  for (const auto target : {import::Target::kContacts, import::Target::kLeads, import::Target::kCompanies,
                            import::Target::kCampaigns, import::Target::kMembers}) {
    const std::string name(import::TargetName(target));
    const std::string help = target == import::Target::kCompanies
                                 ? "import companies (the accounts of Zoho or Salesforce)"
                             : target == import::Target::kMembers
                                 ? "import campaign members (Salesforce's CampaignMember: campaigns, contacts and "
                                   "leads imported before)"
                                 : "import " + name;
    auto* sub = group->add_subcommand(name, help);
    if (target == import::Target::kCompanies) sub->alias("accounts");
    auto o = std::make_shared<ImportOpts>();
    sub->add_option("FILE", o->file, "the file")->required();
    sub->add_option("--format", o->format, "csv, xlsx, xls, vcf or jsonl (default: from the file name)");
    sub->add_option("--map", o->map, "COLUMN=field: fill a field from a column ('COLUMN=' ignores it); repeatable");
    sub->add_option("--campaign", o->campaign,
                    "make every imported record a member of this campaign (import members: every row's campaign)");
    sub->add_option("--member-status", o->member_status, "with this member status (default: the default status)");
    sub->add_option("--duplicates", o->duplicates, "a row whose email exists: skip (default), overwrite or create");
    sub->add_flag("--dry-run", o->dry_run, "decide and report every row, write nothing");
    sub->add_option("--report", o->report, "write every row's outcome to this CSV file");
    sub->add_option("--separator", o->separator, "CSV separator (default: detected from the header line)");
    sub->add_option("--encoding", o->encoding,
                    "the CSV file's text encoding: utf-8, windows-1252, iso-8859-1, utf-16, ... (default: detected)");
    sub->add_option("--source", o->source,
                    "the product the file comes from (zoho, salesforce, ...): kept with each record, whose "
                    "source_id column makes a re-import update it");
    sub->add_option("--from", o->from, "whose export the file is: zoho, salesforce or bc (default: detected)");
    sub->add_option("--value-map", o->value_map,
                    "COLUMN:FROM=TO: a value of a column read as another (\"Lead Status:Not Contacted=New\"); "
                    "repeatable");
    sub->add_flag("--create-missing", o->create_missing,
                  "add the owners the file names and no salesperson is (codes from their initials)");
    sub->add_flag("--add-missing-statuses", o->add_missing_statuses,
                  "add the lead statuses the file names and the catalogue lacks");
    sub->add_option("--decimal", o->decimal, "the decimal mark of numbers in custom fields: . (default) or ,");
    sub->add_option("--batch-rows", o->batch_rows,
                    "rows per appended batch (default " + std::to_string(kImportBatchRows) + ")");
    app->On(sub, [app, o, target] { return Import(app, target, *o); });
  }
}

}  // namespace crm::cli
