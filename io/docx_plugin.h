// The docx plugin's interface (io/plugin.h): libcrm_docx.so, built from io/docx_zip.cc, merges
// Word documents with libzip and pugixml. io/docx.cc loads it; nothing else includes this header
// but the fuzz target.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "io/docx.h"

inline constexpr std::string_view kDocxPlugin = "docx";
inline constexpr std::string_view kMergeDocxSymbol = "CrmMergeDocx";
inline constexpr std::string_view kDocxTextSymbol = "CrmDocxText";
using MergeDocxFn = crm::Result<std::string>(std::string_view docx, const std::map<std::string, std::string>& fields);
using DocxTextFn = crm::Result<std::string>(std::string_view docx);

// MergeDocx's and DocxText's contracts (io/docx.h).
// C linkage only for an unmangled symbol name: both sides are C++ (clang warns of the return type).
#if defined(__clang__)
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wreturn-type-c-linkage"
#endif
extern "C" MergeDocxFn CrmMergeDocx;
extern "C" DocxTextFn CrmDocxText;
#if defined(__clang__)
#pragma clang diagnostic pop
#endif
