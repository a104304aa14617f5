// ParseEmailLead through the eml plugin (io/eml_plugin.h), loaded on first use; the file is read
// here.
#include "io/eml.h"

#include <fstream>
#include <sstream>

#include "io/eml_plugin.h"
#include "io/plugin.h"

namespace crm::io {

Result<EmailLead> ParseEmailLead(const std::string& name, const std::string& bytes) {
  CRM_ASSIGN_OR_RETURN(ParseEmailLeadFn * parse, PluginFunction<ParseEmailLeadFn>(kEmlPlugin, kParseEmailLeadSymbol));
  return parse(name, bytes);
}

Result<EmailLead> ReadEmailLead(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::InvalidArgument(path + ": cannot open");
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (bytes.str().size() > (32u << 20)) return Status::InvalidArgument(path + ": a message over 32 MiB");
  return ParseEmailLead(path, bytes.str());
}

}  // namespace crm::io
