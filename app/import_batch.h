// The batches every import is cut into (Handler::Import in handler_import.cc, and
// Handler::ImportInBatches in handler_import_batches.cc for campaigns and members): batch n is
// command "ID#n", the last "ID" itself, every record with correlation id ID, so that `crmctl undo
// ID` finds the whole import; each batch's answer is the totals so far. Internal to app/.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "aggregates/import.h"
#include "app/handler.h"
#include "io/rows.h"

namespace crm::import_batch {

// The outcome counts of `results` (rows, created, updated, unchanged, skipped, failed).
nlohmann::json Count(const std::vector<import::RowResult>& results);
// `from`'s counts added to `to`'s.
void AddCounts(nlohmann::json* to, const nlohmann::json& from);
// The reference data, once the actor may write and the data set is initialised: what makes every
// row of an import fail is refused before the first.
Result<reference::State> ImportReference(ReadModel& rm, const Actor& actor);
// Batch n of import `r`: command "ID#n", the last "ID" itself, each with correlation id ID.
Request BatchRequest(const Request& r, uint64_t n, bool last);
// The next `n` rows of `rows` (fewer at the end).
Status ReadBatch(io::RowSource* rows, size_t n, std::vector<io::TableRow>* into);
// What every import does once a batch is decided and appended (`answer`, the totals so far, or
// how it failed): an error says where the import stopped and how to go on; otherwise each row is
// reported (a batch an earlier run of the command appended, as one row saying so: its stored
// answer counts them), `done_rows` advances, `totals` becomes the answer and `progress` (if any)
// hears of it.
struct Progress {
  const ProgressFn* report = nullptr;  // the handler's progress bar
  uint64_t total_rows = 0;
};
Status ReportBatch(const Result<nlohmann::json>& answer, const std::vector<io::TableRow>& batch,
                   const std::vector<import::RowResult>& results, const std::string& file, const CommandId& id,
                   const ImportRowFn& on_row, const Progress& progress, uint64_t* done_rows, nlohmann::json* totals);

}  // namespace crm::import_batch
