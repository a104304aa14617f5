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

}  // namespace crm::io
