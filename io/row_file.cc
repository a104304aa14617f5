#include "io/row_file.h"

#include <cstdio>

#include "io/csv.h"
#include "io/jsonl.h"
#include "io/xlsx.h"

namespace crm::io {
namespace {

using nlohmann::json;

// A row's cells under `columns`, as a spreadsheet shows them (CellText).
std::vector<std::string> Cells(const std::vector<std::string>& columns, const json& row) {
  std::vector<std::string> cells;
  cells.reserve(columns.size());
  for (const auto& c : columns) cells.push_back(CellText(row.contains(c) ? row[c] : json()));
  return cells;
}

class CsvRowFile final : public RowFile {
 public:
  CsvRowFile(std::unique_ptr<FileDraft> draft, std::vector<std::string> columns)
      : RowFile(std::move(draft)), columns_(std::move(columns)), csv_(draft_->file()) {
    ok_ = csv_.Write(columns_);
  }
  void Add(const json& row) override { ok_ = ok_ && csv_.Write(Cells(columns_, row)); }

 private:
  std::vector<std::string> columns_;
  CsvWriter csv_;
};

class XlsxRowFile final : public RowFile {
 public:
  XlsxRowFile(std::unique_ptr<FileDraft> draft, std::unique_ptr<XlsxWriter> xlsx, std::vector<std::string> columns)
      : RowFile(std::move(draft)), xlsx_(std::move(xlsx)), columns_(std::move(columns)) {
    error_ = xlsx_->Write(columns_);
  }
  void Add(const json& row) override {
    if (error_.ok()) error_ = xlsx_->Write(Cells(columns_, row));
  }
  Status Close() override {
    CRM_RETURN_IF_ERROR(error_);
    return xlsx_->Close();
  }

 private:
  std::unique_ptr<XlsxWriter> xlsx_;
  std::vector<std::string> columns_;
  Status error_;
};

class JsonlRowFile final : public RowFile {
 public:
  using RowFile::RowFile;
  void Add(const json& row) override {
    const std::string line = row.dump() + "\n";
    ok_ = ok_ && std::fwrite(line.data(), 1, line.size(), draft_->file()) == line.size();
  }
};

}  // namespace

Result<std::unique_ptr<RowFile>> RowFile::Open(const std::string& path, const std::string& format,
                                               const std::vector<std::string>& columns) {
  CRM_ASSIGN_OR_RETURN(auto draft, FileDraft::Open(path));
  if (format == "csv") return std::unique_ptr<RowFile>(new CsvRowFile(std::move(draft), columns));
  if (format == "jsonl") return std::unique_ptr<RowFile>(new JsonlRowFile(std::move(draft)));
  CRM_ASSIGN_OR_RETURN(auto xlsx, XlsxWriter::Open(draft->partial_path()));
  return std::unique_ptr<RowFile>(new XlsxRowFile(std::move(draft), std::move(xlsx), columns));
}

Status RowFile::Finish() {
  CRM_RETURN_IF_ERROR(Close());
  if (!ok_) return Status::Unavailable("cannot write " + draft_->partial_path());
  return draft_->Commit();
}

}  // namespace crm::io
