// Files crmctl writes for people (letters, exports): complete or absent, never half-written.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include "events/status.h"

namespace crm::cli {

// Writes `content` to a temporary file beside `path`, syncs it, renames it over `path` and
// syncs the directory; creates missing parent directories.
Status WriteFileAtomically(const std::string& path, std::string_view content);

// Bytes of the regular files below `dir`, each inode once (snapshots are hard links of the
// database's files); `seen` carries inodes across calls, so a second directory counts only
// what the first did not hold.
uint64_t DiskBytes(const std::string& dir, std::set<ino_t>* seen);

}  // namespace crm::cli
