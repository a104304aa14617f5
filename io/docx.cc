// MergeDocx and DocxText through the docx plugin (io/docx_plugin.h), loaded on first use.
#include "io/docx.h"

#include <cctype>

#include "io/docx_plugin.h"
#include "io/plugin.h"

namespace crm::io {

bool IsDocxName(std::string_view file_name) {
  if (file_name.size() < 5) return false;
  std::string ext(file_name.substr(file_name.size() - 5));
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext == ".docx";
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
