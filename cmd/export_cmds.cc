// crmctl export contacts|leads|roster CP|interactions (SPEC §4.9): read models written as CSV
// (the columns `import` maps back), XLSX (the same columns) or JSON Lines (the rows as `--json` prints them). The
// file appears whole or not at all (FileDraft); rows stream from the read model to the file.
#include <iostream>

#include "cmd/app.h"
#include "io/files.h"
#include "io/csv.h"
#include "io/jsonl.h"
#include "io/xlsx.h"

namespace crm::cli {
namespace {

using nlohmann::json;

const std::vector<std::string> kContactColumns = {
    "no",          "type",      "name",       "company",  "email",    "phone",
    "address",     "post_code", "city",       "country",  "language", "salesperson",
    "territory",   "job_responsibility", "business_relation", "industry_group", "mailing_group",
    "exclude_from_segment", "consent", "consent_reason", "bounced", "created_at", "modified_at"};
const std::vector<std::string> kLeadColumns = {
    "no",       "name",        "company_name", "email",       "phone",       "address",     "post_code",
    "city",     "country",     "language",     "salesperson", "territory",   "lead_status", "lead_source",
    "description", "consent",  "consent_reason", "bounced",  "created_at",  "modified_at"};
const std::vector<std::string> kRosterColumns = {"contact", "kind",     "name",     "status",
                                                 "responded", "added_at", "added_by", "changed_at"};
const std::vector<std::string> kInteractionColumns = {
    "entry_no", "at", "contact", "template", "subject", "cost", "campaign", "campaign_target",
    "campaign_response", "logged_segment", "delivery_status", "canceled"};

// A cell as a spreadsheet shows it: lists joined with ", ", yes/no for flags.
// Rows into a FileDraft; Finish commits the file (or reports the write that failed).
class Sink {
 public:
  explicit Sink(std::unique_ptr<FileDraft> draft) : draft_(std::move(draft)) {}
  virtual ~Sink() = default;
  virtual void Add(const json& row) = 0;
  Status Finish() {
    CRM_RETURN_IF_ERROR(Close());
    if (!ok_) return Status::Unavailable("cannot write " + draft_->partial_path());
    return draft_->Commit();
  }

 protected:
  // Completes what a library writes by the partial file's name.
  virtual Status Close() { return Status::Ok(); }

 protected:
  std::unique_ptr<FileDraft> draft_;
  bool ok_ = true;
};

class CsvSink final : public Sink {
 public:
  CsvSink(std::unique_ptr<FileDraft> draft, std::vector<std::string> columns)
      : Sink(std::move(draft)), columns_(std::move(columns)), csv_(draft_->file()) {
    ok_ = csv_.Write(columns_);
  }
  void Add(const json& row) override {
    std::vector<std::string> cells;
    cells.reserve(columns_.size());
    for (const auto& c : columns_) cells.push_back(io::CellText(row.contains(c) ? row[c] : json()));
    ok_ = ok_ && csv_.Write(cells);
  }

 private:
  std::vector<std::string> columns_;
  io::CsvWriter csv_;
};

class XlsxSink final : public Sink {
 public:
  XlsxSink(std::unique_ptr<FileDraft> draft, std::unique_ptr<io::XlsxWriter> xlsx, std::vector<std::string> columns)
      : Sink(std::move(draft)), xlsx_(std::move(xlsx)), columns_(std::move(columns)) {
    error_ = xlsx_->Write(columns_);
  }
  void Add(const json& row) override {
    if (!error_.ok()) return;
    std::vector<std::string> cells;
    cells.reserve(columns_.size());
    for (const auto& c : columns_) cells.push_back(io::CellText(row.contains(c) ? row[c] : json()));
    error_ = xlsx_->Write(cells);
  }
  Status Close() override {
    CRM_RETURN_IF_ERROR(error_);
    return xlsx_->Close();
  }

 private:
  std::unique_ptr<io::XlsxWriter> xlsx_;
  std::vector<std::string> columns_;
  Status error_;
};

class JsonlSink final : public Sink {
 public:
  using Sink::Sink;
  void Add(const json& row) override {
    const std::string line = row.dump() + "\n";
    ok_ = ok_ && std::fwrite(line.data(), 1, line.size(), draft_->file()) == line.size();
  }
};

struct ExportOpts {
  std::string what, campaign, contact, format, output;
  std::vector<std::string> filter;
};

Result<std::unique_ptr<Sink>> OpenSink(const ExportOpts& o, const std::vector<std::string>& columns) {
  CRM_ASSIGN_OR_RETURN(auto draft, FileDraft::Open(o.output));
  if (o.format == "csv") return std::unique_ptr<Sink>(new CsvSink(std::move(draft), columns));
  if (o.format == "jsonl") return std::unique_ptr<Sink>(new JsonlSink(std::move(draft)));
  if (o.format == "xlsx") {
    CRM_ASSIGN_OR_RETURN(auto xlsx, io::XlsxWriter::Open(draft->partial_path()));
    return std::unique_ptr<Sink>(new XlsxSink(std::move(draft), std::move(xlsx), columns));
  }
  return Status::InvalidArgument("--format takes csv, xlsx or jsonl, not '" + o.format + "'");
}

int Export(App* app, const ExportOpts& o) {
  if (o.output.empty()) return app->Fail(Status::InvalidArgument("--output FILE is required"));
  if (o.format != "csv" && o.format != "xlsx" && o.format != "jsonl") {
    return app->Fail(Status::InvalidArgument("--format takes csv, xlsx or jsonl, not '" + o.format + "'"));
  }
  const bool parties = o.what == "contacts" || o.what == "leads";
  auto filter = Filter::Parse(o.filter, o.what == "roster" ? RosterSchema() : PartySchema());
  if (!filter.ok()) return app->Fail(filter.status());
  if (!o.filter.empty() && !parties && o.what != "roster") {
    return app->Fail(Status::InvalidArgument("--filter applies to contacts, leads and roster exports"));
  }
  RecordNo campaign, contact;
  if (!o.campaign.empty()) {
    auto cp = ParseNo(o.campaign, RecordKind::kCampaign);
    if (!cp.ok()) return app->Fail(cp.status());
    campaign = *cp;
  }
  if (!o.contact.empty()) {
    auto ct = ParseMemberId(o.contact);
    if (!ct.ok()) return app->Fail(ct.status());
    contact = *ct;
  }
  auto r = app->OpenReader();
  if (!r.ok()) return app->Fail(r.status());
  filter = r->rm->ParseFilter(o.filter, o.what == "roster" ? RosterSchema() : PartySchema());
  if (!filter.ok()) return app->Fail(filter.status());
  const std::vector<std::string>& columns = o.what == "contacts" ? kContactColumns
                                            : o.what == "leads"  ? kLeadColumns
                                            : o.what == "roster" ? kRosterColumns
                                                                 : kInteractionColumns;
  if (o.what == "roster") {
    auto cp = r->rm->Campaign(campaign);
    if (!cp.ok()) return app->Fail(cp.status());
    if (!*cp) return app->Fail(Status::NotFound("campaign " + campaign.ToString() + " does not exist"));
  }
  auto sink = OpenSink(o, columns);
  if (!sink.ok()) return app->Fail(sink.status());
  uint64_t rows = 0;
  Status inner;
  auto add = [&](const json& row) {
    (*sink)->Add(row);
    ++rows;
    return true;
  };
  Status s;
  if (parties) {
    s = r->rm->ForEachParty(o.what == "contacts", o.what == "leads", [&](const RecordNo&, const json& row) {
      if (!filter->Matches(JsonRecord(&row, &PartySchema()))) return true;
      return add(row);
    });
  } else if (o.what == "roster") {
    s = r->rm->ForEachMember(campaign, RecordNo(), [&](const RosterRow& m) {
      auto party = r->rm->PartyJson(m.member);
      if (!party.ok()) {
        inner = party.status();
        return false;
      }
      const json empty = json::object();
      if (!filter->Matches(JsonRecord(*party ? &**party : &empty, &RosterSchema(), &m.m))) return true;
      return add(RosterJson(m, *party));
    });
  } else {
    ReadModel::InteractionQuery q;
    q.contact = contact;
    q.campaign = campaign;
    s = r->rm->ForEachInteraction(q, [&](const json& row) {
      return add(InteractionJson(row));
    });
  }
  if (!s.ok()) return app->Fail(s);
  if (!inner.ok()) return app->Fail(inner);
  if (Status f = (*sink)->Finish(); !f.ok()) return app->Fail(f);
  json out{{"exported", o.what}, {"rows", rows}, {"format", o.format}, {"output", o.output}};
  if (app->globals().json) {
    app->PrintJson(out);
  } else if (!app->globals().quiet) {
    std::cout << "exported " << rows << ' ' << o.what << " rows to " << o.output << '\n';
  }
  return 0;
}

}  // namespace

void AddExportCommands(App* app) {
  auto* group = app->cli().add_subcommand("export", "write contacts, leads, a roster or interactions to a file");
  group->require_subcommand(1);
  for (const char* what : {"contacts", "leads", "roster", "interactions"}) {
    auto* sub = group->add_subcommand(what, std::string("export ") + what);
    auto o = std::make_shared<ExportOpts>();
    o->what = what;
    o->format = "csv";
    sub->add_option("--format", o->format, "csv (default), xlsx or jsonl");
    sub->add_option("--output", o->output, "the file to write (replaced whole)")->required();
    if (o->what == "roster") sub->add_option("CAMPAIGN", o->campaign, "the campaign")->required();
    if (o->what == "interactions") {
      sub->add_option("--campaign", o->campaign, "only this campaign's");
      sub->add_option("--contact", o->contact, "only this contact's");
    }
    if (o->what != "interactions") sub->add_option("--filter", o->filter, "FIELD=EXPR (repeatable; all must hold)");
    sub->callback([app, o] { app->SetAction([app, o] { return Export(app, *o); }); });
  }
}

}  // namespace crm::cli
