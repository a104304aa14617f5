// OpenVcard through the vcard plugin (io/vcard_plugin.h), loaded on first use.
#include "io/vcard.h"

#include "io/plugin.h"
#include "io/vcard_plugin.h"

namespace crm::io {

Result<std::unique_ptr<RowSource>> OpenVcard(const std::string& path) {
  CRM_ASSIGN_OR_RETURN(OpenVcardFn * open, PluginFunction<OpenVcardFn>(kVcardPlugin, kOpenVcardSymbol));
  return open(path);
}

}  // namespace crm::io
