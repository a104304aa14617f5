// The batches every import is cut into, and the batch loop of imports decided one batch at a
// time (campaigns, members). Contracts: app/import_batch.h, Handler::ImportInBatches (handler.h).
#include <algorithm>

#include "app/handler.h"
#include "app/handler_internal.h"
#include "app/import_batch.h"

namespace crm {

using nlohmann::json;

namespace import_batch {

namespace {

constexpr const char* kCounts[] = {"rows", "created", "updated", "unchanged", "skipped", "failed"};

}  // namespace

json Count(const std::vector<import::RowResult>& results) {
  json c = {{"rows", results.size()}};
  for (const char* k : kCounts) {
    if (std::string_view(k) != "rows") c[k] = 0;
  }
  for (const auto& r : results) {
    json& n = c[std::string(import::OutcomeName(r.outcome))];
    n = n.get<uint64_t>() + 1;
  }
  return c;
}

void AddCounts(json* to, const json& from) {
  for (const char* k : kCounts) (*to)[k] = to->value(k, uint64_t{0}) + from.value(k, uint64_t{0});
}

Result<reference::State> ImportReference(ReadModel& rm, const Actor& actor) {
  CRM_ASSIGN_OR_RETURN(access::State users, rm.Users());
  CRM_RETURN_IF_ERROR(access::Authorize(users, actor, access::Need::kWrite));
  return handler_internal::InitializedReference(rm);
}

Request BatchRequest(const Request& r, uint64_t n, bool last) {
  Request br = r;
  if (!last) br.command_id = CommandId(r.command_id.value() + "#" + std::to_string(n));
  br.correlation_id = r.command_id.value();
  return br;
}

Status ReadBatch(io::RowSource* rows, size_t n, std::vector<io::TableRow>* into) {
  into->clear();
  io::TableRow row;
  while (into->size() < n) {
    CRM_ASSIGN_OR_RETURN(bool more, rows->Next(&row));
    if (!more) break;
    into->push_back(std::move(row));
  }
  return Status::Ok();
}

Status ReportBatch(const Result<json>& answer, const std::vector<io::TableRow>& batch,
                   const std::vector<import::RowResult>& results, const std::string& file, const CommandId& id,
                   const ImportRowFn& on_row, const Progress& progress, uint64_t* done_rows, json* totals) {
  if (!answer.ok()) {
    return answer.status().WithContext("import stopped at the batch from " + file + " line " +
                                       std::to_string(batch.front().line) + " (" + std::to_string(*done_rows) +
                                       " rows before it are imported; run the same command again with --command-id " +
                                       id.value() + " to go on)");
  }
  if (results.empty() && !batch.empty()) {
    on_row(import::RowResult{
        batch.front().line, import::Outcome::kEarlierRun, RecordNo(),
        "rows up to line " + std::to_string(batch.back().line) + " were imported by an earlier run of this command"});
  }
  for (const auto& res : results) on_row(res);
  *done_rows += batch.size();
  *totals = *answer;
  if (progress.report != nullptr && *progress.report) {
    (*progress.report)(*done_rows, std::max(*done_rows, progress.total_rows));
  }
  return Status::Ok();
}

}  // namespace import_batch

Result<size_t> Handler::ImportBatchRows(const Request& r, const ImportOptions& o) {
  if (o.dry_run) return o.batch_rows;
  CRM_ASSIGN_OR_RETURN(auto first, ledger_->FindCommand(CommandId(r.command_id.value() + "#1")));
  if (!first) return o.batch_rows;
  CRM_ASSIGN_OR_RETURN(std::string opened, OpenAnswer(*first, keyring_.get()));
  const json earlier = json::parse(opened, nullptr, false);
  if (earlier.is_object() && earlier.value("rows", uint64_t{0}) > 0) return earlier["rows"].get<uint64_t>();
  return o.batch_rows;
}

Result<json> Handler::ImportInBatches(const Request& r, const ImportOptions& o, io::RowSource* rows,
                                      const ImportRowFn& on_row, const DecideRowsFn& decide) {
  if (!o.dry_run) {
    CRM_ASSIGN_OR_RETURN(auto finished, ledger_->FindCommand(r.command_id));
    if (finished) return Repeat(r);  // answered as the first time
  }
  {
    Store::Txn txn(store_.get());
    ReadModel rm(store_.get(), &txn);
    CRM_RETURN_IF_ERROR(import_batch::ImportReference(rm, r.actor).status());
  }
  const std::string file = rows->file();
  CRM_ASSIGN_OR_RETURN(const size_t batch_rows, ImportBatchRows(r, o));
  json totals = import_batch::Count({});
  totals["batches"] = 0;
  std::vector<io::TableRow> current, ahead;
  auto read_batch = [&](std::vector<io::TableRow>* into) { return import_batch::ReadBatch(rows, batch_rows, into); };
  CRM_RETURN_IF_ERROR(read_batch(&current));
  uint64_t done_rows = 0;
  for (uint64_t n = 1;; ++n) {
    CRM_RETURN_IF_ERROR(read_batch(&ahead));
    const bool last = ahead.empty();
    const Request br = import_batch::BatchRequest(r, n, last);
    std::vector<import::RowResult> results;
    auto decide_batch = [&](ReadModel& rm, AppendBatch* batch) -> Result<json> {
      CRM_ASSIGN_OR_RETURN(results, decide(rm, current, batch));
      json answer = totals;
      import_batch::AddCounts(&answer, import_batch::Count(results));
      answer["batches"] = totals["batches"].get<uint64_t>() + 1;
      answer["import"] = true;
      answer["file"] = file;
      answer["target"] = std::string(import::TargetName(o.target));
      if (o.dry_run) answer["dry_run"] = true;
      if (last) answer["done"] = true;  // the whole import's answer: `undo ID` undoes it all
      return answer;
    };
    Result<json> answer = Status::Ok();
    if (o.dry_run) {
      Store::Txn txn(store_.get());
      ReadModel rm(store_.get(), &txn);
      AppendBatch scratch;
      answer = decide_batch(rm, &scratch);
    } else {
      answer = Run(br, StreamId(), decide_batch);
    }
    CRM_RETURN_IF_ERROR(import_batch::ReportBatch(answer, current, results, file, r.command_id, on_row,
                                                  {&progress_, o.total_rows}, &done_rows, &totals));
    if (last) break;
    std::swap(current, ahead);
  }
  totals.erase("done");
  return totals;
}

}  // namespace crm
