// Files crmctl writes for people (letters, exports): complete or absent, never half-written.
#pragma once

#include <string>
#include <string_view>

#include "events/status.h"

namespace crm::cli {

// Writes `content` to a temporary file beside `path`, syncs it, renames it over `path` and
// syncs the directory; creates missing parent directories.
Status WriteFileAtomically(const std::string& path, std::string_view content);

}  // namespace crm::cli
