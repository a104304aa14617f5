// The vcard plugin's interface (io/plugin.h): libcrm_vcard.so, built from io/vcard_belcard.cc,
// reads a vCard file with libbelcard. io/vcard.cc loads it; nothing else includes this header.
// The RowSource it returns runs the plugin's code, which stays loaded.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "io/vcard.h"

inline constexpr std::string_view kVcardPlugin = "vcard";
inline constexpr std::string_view kOpenVcardSymbol = "CrmOpenVcard";
using OpenVcardFn = crm::Result<std::unique_ptr<crm::io::RowSource>>(const std::string& path);

// OpenVcard's contract (io/vcard.h).
// C linkage only for an unmangled symbol name: both sides are C++ (clang warns of the return type).
#if defined(__clang__)
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wreturn-type-c-linkage"
#endif
extern "C" OpenVcardFn CrmOpenVcard;
#if defined(__clang__)
#pragma clang diagnostic pop
#endif
