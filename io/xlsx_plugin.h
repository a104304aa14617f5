// The xlsx plugin's interface (io/plugin.h): libcrm_xlsx.so, built from io/xlsx_zip.cc, reads
// and writes workbooks with libzip, pugixml and libxlsxwriter. io/xlsx.cc loads it; nothing else
// includes this header but the fuzz target. What it returns runs the plugin's code, which stays
// loaded.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "io/xlsx.h"

inline constexpr std::string_view kXlsxPlugin = "xlsx";
inline constexpr std::string_view kOpenXlsxSymbol = "CrmOpenXlsx";
inline constexpr std::string_view kOpenXlsxWriterSymbol = "CrmOpenXlsxWriter";
using OpenXlsxFn = crm::Result<std::unique_ptr<crm::io::RowSource>>(const std::string& path);
using OpenXlsxWriterFn = crm::Result<std::unique_ptr<crm::io::XlsxWriter>>(const std::string& path);

// OpenXlsx's and XlsxWriter::Open's contracts (io/xlsx.h).
// C linkage only for an unmangled symbol name: both sides are C++ (clang warns of the return type).
#if defined(__clang__)
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wreturn-type-c-linkage"
#endif
extern "C" OpenXlsxFn CrmOpenXlsx;
extern "C" OpenXlsxWriterFn CrmOpenXlsxWriter;
#if defined(__clang__)
#pragma clang diagnostic pop
#endif
