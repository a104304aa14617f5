// OpenXlsx and XlsxWriter::Open through the xlsx plugin (io/xlsx_plugin.h), loaded on first use.
#include "io/xlsx.h"

#include "io/plugin.h"
#include "io/xlsx_plugin.h"

namespace crm::io {

Result<std::unique_ptr<RowSource>> OpenXlsx(const std::string& path) {
  CRM_ASSIGN_OR_RETURN(OpenXlsxFn * open, PluginFunction<OpenXlsxFn>(kXlsxPlugin, kOpenXlsxSymbol));
  return open(path);
}

Result<std::unique_ptr<XlsxWriter>> XlsxWriter::Open(const std::string& path) {
  CRM_ASSIGN_OR_RETURN(OpenXlsxWriterFn * open, PluginFunction<OpenXlsxWriterFn>(kXlsxPlugin, kOpenXlsxWriterSymbol));
  return open(path);
}

}  // namespace crm::io
