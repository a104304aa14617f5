// The eml plugin's interface (io/plugin.h): libcrm_eml.so, built from io/eml_gmime.cc, parses an
// email message with GMime. io/eml.cc loads it; nothing else includes this header.
#pragma once

#include <string>
#include <string_view>

#include "io/eml.h"

inline constexpr std::string_view kEmlPlugin = "eml";
inline constexpr std::string_view kParseEmailLeadSymbol = "CrmParseEmailLead";
using ParseEmailLeadFn = crm::Result<crm::io::EmailLead>(const std::string& name, const std::string& bytes);

// ParseEmailLead's contract (io/eml.h).
// C linkage only for an unmangled symbol name: both sides are C++ (clang warns of the return type).
#if defined(__clang__)
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wreturn-type-c-linkage"
#endif
extern "C" ParseEmailLeadFn CrmParseEmailLead;
#if defined(__clang__)
#pragma clang diagnostic pop
#endif
