// crmctl import contacts|leads FILE (SPEC §4.9): reads the file twice: once to check it is well
// formed and count its rows (a malformed file is refused before anything is written), then to
// import it through Handler::Import, batch by batch. Answers the totals and every row that was not
// simply created (updated, unchanged, skipped, failed: file, line, reason); --report FILE writes
// every row's outcome as CSV. Rows that fail do not fail the command (exit 0, a warning on
// stderr); a refused import (bad options, unknown campaign, malformed file) is exit 1 or 2.
#include <iostream>
#include <sstream>

#include "cmd/app.h"
#include "io/files.h"
#include "io/csv.h"
#include "io/rows.h"

namespace crm::cli {
namespace {

using nlohmann::json;

// Rows listed on stdout (and in --json) at most; --report FILE has them all.
constexpr size_t kListedRows = 1000;

struct ImportOpts {
  std::string file, format, duplicates = "skip", campaign, member_status, report, separator, encoding, decimal = ".",
      source;
  std::vector<std::string> map;
  bool dry_run = false;
  size_t batch_rows = kImportBatchRows;
};

Result<Output> Import(App* app, import::Target target, const ImportOpts& o) {
  ImportOptions opts;
  opts.target = target;
  CRM_ASSIGN_OR_RETURN(opts.duplicates, import::ParseDuplicates(o.duplicates));
  if (!o.campaign.empty()) {
    CRM_ASSIGN_OR_RETURN(opts.campaign, ParseNo(o.campaign, RecordKind::kCampaign));
  }
  opts.member_status = o.member_status;
  opts.dry_run = o.dry_run;
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
    for (const custom::FieldDef* d : ref.CustomFields(target == import::Target::kContacts ? "contact" : "lead")) {
      custom_fields.push_back(*d);
    }
  }

  // Pass 1: the whole file must be well formed before a row is written.
  {
    CRM_ASSIGN_OR_RETURN(auto check, io::OpenRows(o.file, o.format, o.separator, o.encoding));
    auto mapping = import::MapColumns(target, check->header(), o.map, custom_fields);
    if (!mapping.ok()) return mapping.status().WithContext(o.file);
    opts.mapping = std::move(*mapping);
    opts.mapping.decimal_comma = o.decimal == ",";
    opts.mapping.source = Lower(Trim(o.source));
    io::TableRow row;
    for (;;) {
      CRM_ASSIGN_OR_RETURN(bool more, check->Next(&row));
      if (!more) break;
      ++opts.total_rows;
    }
  }
  CRM_ASSIGN_OR_RETURN(auto source, io::OpenRows(o.file, o.format, o.separator, o.encoding));

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
  auto* group = app->cli().add_subcommand("import", "import contacts or leads from a file (CSV, XLSX, XLS, vCard or JSON Lines)");
  group->require_subcommand(1);
  for (const bool contacts : {true, false}) {
    auto* sub = group->add_subcommand(contacts ? "contacts" : "leads", contacts ? "import contacts" : "import leads");
    auto o = std::make_shared<ImportOpts>();
    sub->add_option("FILE", o->file, "the file")->required();
    sub->add_option("--format", o->format, "csv, xlsx, xls, vcf or jsonl (default: from the file name)");
    sub->add_option("--map", o->map, "COLUMN=field: fill a field from a column ('COLUMN=' ignores it); repeatable");
    sub->add_option("--campaign", o->campaign, "make every imported record a member of this campaign");
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
    sub->add_option("--decimal", o->decimal, "the decimal mark of numbers in custom fields: . (default) or ,");
    sub->add_option("--batch-rows", o->batch_rows,
                    "rows per appended batch (default " + std::to_string(kImportBatchRows) + ")");
    const auto target = contacts ? import::Target::kContacts : import::Target::kLeads;
    app->On(sub, [app, o, target] { return Import(app, target, *o); });
  }
}

}  // namespace crm::cli
