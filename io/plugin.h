// Plugins: the libraries only a few commands need, loaded when first used.
//
// GMime (email messages), libbelcard (vCards) and libcurl (SMTP) bring about forty shared
// libraries with them (GLib, GIO, gpgme, GnuTLS, Kerberos, LDAP, SSH, mbedTLS, ...). Linked into
// crmctl, every command paid for mapping and relocating them before main: most of a small
// command's time. Each lives instead in a plugin, a shared object of its own built beside the
// binaries (libcrm_NAME.so: `eml`, `vcard`, `smtp`), loaded on the first call that needs it and
// never unloaded. A plugin holds the code that calls its library and exports one entry point;
// its interface is plain C++ declared in this tree (io/eml_plugin.h, ...), so it is built with
// the same compiler and standard library as the binary that loads it.
//
// Where plugins are found: $CRM_PLUGIN_DIR when set, else DIR/../lib/crmledger and DIR itself,
// where DIR holds the running executable (build/cmd/crmctl finds build/lib/crmledger).
// Thread-safe.
#pragma once

#include <string_view>

#include "events/status.h"

namespace crm {

// The address of `symbol` in plugin `name`, loading the plugin on first use. Internal, naming
// the places searched and the loader's reason, when the plugin cannot be loaded (an incomplete
// installation, or its library missing), or when it lacks the symbol.
Result<void*> PluginSymbol(std::string_view name, std::string_view symbol);

// The same, as a function of type Fn (the type the plugin's header declares for it).
template <typename Fn>
Result<Fn*> PluginFunction(std::string_view name, std::string_view symbol) {
  CRM_ASSIGN_OR_RETURN(void* address, PluginSymbol(name, symbol));
  return reinterpret_cast<Fn*>(address);
}

}  // namespace crm
