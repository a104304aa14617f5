// MergeDocx and DocxText through the docx plugin (io/docx_plugin.h), loaded on first use.
#include "io/docx.h"

#include "events/values.h"
#include "io/docx_plugin.h"
#include "io/plugin.h"

namespace crm::io {

bool IsDocxName(std::string_view file_name) {
  return file_name.size() >= 5 && EqualsIgnoreCase(file_name.substr(file_name.size() - 5), ".docx");
}

Result<std::string> MergeDocx(std::string_view docx, const std::map<std::string, std::string>& fields) {
  CRM_ASSIGN_OR_RETURN(MergeDocxFn * merge, PluginFunction<MergeDocxFn>(kDocxPlugin, kMergeDocxSymbol));
  return merge(docx, fields);
}

Result<std::string> DocxText(std::string_view docx) {
  CRM_ASSIGN_OR_RETURN(DocxTextFn * text, PluginFunction<DocxTextFn>(kDocxPlugin, kDocxTextSymbol));
  return text(docx);
}

}  // namespace crm::io
