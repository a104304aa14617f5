// Files crmctl writes for people (letters, exports): complete or absent, never half-written.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <cstdio>
#include <memory>
#include <set>
#include <string>
#include <string_view>

#include "events/status.h"

namespace crm {

// A file that appears whole or not at all: it is written at partial_path() (beside `path`, in a
// directory created when missing), and Commit() syncs it, renames it over `path` and syncs the
// directory. Dropped without a Commit, the partial file is removed.
class FileDraft {
 public:
  static Result<std::unique_ptr<FileDraft>> Open(const std::string& path);
  ~FileDraft();
  FileDraft(const FileDraft&) = delete;
  FileDraft& operator=(const FileDraft&) = delete;

  // A buffered stream on the partial file (or write partial_path() with a library of its own).
  std::FILE* file() { return file_; }
  const std::string& partial_path() const { return partial_; }
  Status Commit();

 private:
  FileDraft(std::string path, std::string partial, std::FILE* file)
      : path_(std::move(path)), partial_(std::move(partial)), file_(file) {}
  std::string path_, partial_;
  std::FILE* file_;
  bool committed_ = false;
};

// Writes `content` as one FileDraft.
Status WriteFileAtomically(const std::string& path, std::string_view content);

// Bytes of the regular files below `dir`, each inode once (snapshots are hard links of the
// database's files); `seen` carries inodes across calls, so a second directory counts only
// what the first did not hold.
uint64_t DiskBytes(const std::string& dir, std::set<ino_t>* seen);

}  // namespace crm
