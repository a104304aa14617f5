#include "io/rows.h"

#include <filesystem>

#include "events/values.h"
#include "io/csv.h"
#include "io/jsonl.h"
#include "io/vcard.h"
#include "io/xls.h"
#include "io/xlsx.h"

namespace crm::io {

std::string FormatOf(const std::string& path, const std::string& format) {
  if (!format.empty()) return format;
  const std::string ext = Lower(std::filesystem::path(path).extension().string());
  if (ext == ".xlsx") return "xlsx";
  if (ext == ".xls") return "xls";
  if (ext == ".vcf" || ext == ".vcard") return "vcf";
  if (ext == ".jsonl" || ext == ".ndjson") return "jsonl";
  return "csv";
}

Result<std::unique_ptr<RowSource>> OpenRows(const std::string& path, const std::string& format_given,
                                            const std::string& separator, const std::string& encoding) {
  const std::string format = FormatOf(path, format_given);
  if (!encoding.empty() && format != "csv") {
    return Status::InvalidArgument("--encoding is for CSV files only (a file in format " + format + " says its own)");
  }
  if (format == "csv") {
    if (separator.size() > 1 && separator != "tab") {
      return Status::InvalidArgument("--separator takes one character (or 'tab'), not '" + separator + "'");
    }
    const char sep = separator == "tab" ? '\t' : (separator.empty() ? 0 : separator[0]);
    return OpenCsv(path, sep, encoding);
  }
  if (format == "xlsx") return OpenXlsx(path);
  if (format == "xls") return OpenXls(path);
  if (format == "vcf") return OpenVcard(path);
  if (format == "jsonl") return OpenJsonl(path);
  return Status::InvalidArgument("--format takes csv, xlsx, xls, vcf or jsonl, not '" + format + "'");
}

namespace {

class FirstTheseSource final : public RowSource {
 public:
  FirstTheseSource(std::unique_ptr<RowSource> a, std::unique_ptr<RowSource> b,
                   std::function<bool(const TableRow&)> first)
      : a_(std::move(a)), b_(std::move(b)), first_(std::move(first)) {}
  const std::string& file() const override { return a_->file(); }
  const std::vector<std::string>& header() const override { return a_->header(); }
  Result<bool> Next(TableRow* row) override {
    for (;;) {
      RowSource* from = second_part_ ? b_.get() : a_.get();
      CRM_ASSIGN_OR_RETURN(bool more, from->Next(row));
      if (!more && !second_part_) {
        second_part_ = true;
        continue;
      }
      if (!more) return false;
      if (first_(*row) != second_part_) return true;
    }
  }
  // Progress through both readings.
  uint64_t position() const override { return a_->position() + b_->position(); }
  uint64_t size() const override { return 2 * a_->size(); }
  TextEncoding encoding() const override { return a_->encoding(); }

 private:
  std::unique_ptr<RowSource> a_, b_;
  std::function<bool(const TableRow&)> first_;
  bool second_part_ = false;
};

}  // namespace

std::unique_ptr<RowSource> FirstThese(std::unique_ptr<RowSource> a, std::unique_ptr<RowSource> b,
                                      std::function<bool(const TableRow&)> first) {
  return std::make_unique<FirstTheseSource>(std::move(a), std::move(b), std::move(first));
}

}  // namespace crm::io
