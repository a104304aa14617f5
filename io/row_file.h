// Rows (JSON objects) written to a file: CSV or XLSX under the given columns, cells as a
// spreadsheet shows them (CellText), or JSON Lines, the rows whole. The file appears whole or not
// at all (FileDraft): nothing is at `path` until Finish commits it.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "events/status.h"
#include "io/files.h"

namespace crm::io {

class RowFile {
 public:
  // `format` is csv, xlsx or jsonl (the caller checks it; anything else is taken as xlsx).
  static Result<std::unique_ptr<RowFile>> Open(const std::string& path, const std::string& format,
                                               const std::vector<std::string>& columns);
  explicit RowFile(std::unique_ptr<FileDraft> draft) : draft_(std::move(draft)) {}
  virtual ~RowFile() = default;
  virtual void Add(const nlohmann::json& row) = 0;
  // Commits the file, or reports the write that failed.
  Status Finish();

 protected:
  // Completes what a library writes by the partial file's name.
  virtual Status Close() { return Status::Ok(); }

  std::unique_ptr<FileDraft> draft_;
  bool ok_ = true;
};

}  // namespace crm::io
