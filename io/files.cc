#include "io/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace crm {
namespace {

Status Errno(const std::string& what, const std::string& path) {
  return Status::Unavailable(what + " " + path + ": " + std::strerror(errno));
}

}  // namespace

Result<std::unique_ptr<FileDraft>> FileDraft::Open(const std::string& path) {
  const std::filesystem::path target(path);
  const std::filesystem::path dir = target.has_parent_path() ? target.parent_path() : std::filesystem::path(".");
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status::Unavailable("cannot create " + dir.string() + ": " + ec.message());
  if (std::filesystem::is_directory(target, ec)) return Status::InvalidArgument(path + " is a directory");
  std::string partial = path + ".partial-" + std::to_string(::getpid());
  std::FILE* f = std::fopen(partial.c_str(), "wb");
  if (f == nullptr) return Errno("cannot write", partial);
  return std::unique_ptr<FileDraft>(new FileDraft(path, std::move(partial), f));
}

FileDraft::~FileDraft() {
  if (file_ != nullptr) std::fclose(file_);
  if (!committed_) ::unlink(partial_.c_str());
}

Status FileDraft::Commit() {
  if (std::fflush(file_) != 0 || std::ferror(file_)) return Errno("cannot write", partial_);
  const int closed = std::fclose(file_);
  file_ = nullptr;
  if (closed != 0) return Errno("cannot write", partial_);
  // Synced through a descriptor of its own: a library may have written the file by its name.
  const int fd = ::open(partial_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Errno("cannot open", partial_);
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!synced) return Errno("cannot sync", partial_);
  if (::rename(partial_.c_str(), path_.c_str()) != 0) return Errno("cannot rename into", path_);
  committed_ = true;
  const std::filesystem::path target(path_);
  const std::filesystem::path dir = target.has_parent_path() ? target.parent_path() : std::filesystem::path(".");
  const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) return Errno("cannot open", dir.string());
  const bool dir_synced = ::fsync(dfd) == 0;
  ::close(dfd);
  return dir_synced ? Status::Ok() : Errno("cannot sync", dir.string());
}

Status WriteFileAtomically(const std::string& path, std::string_view content) {
  CRM_ASSIGN_OR_RETURN(auto draft, FileDraft::Open(path));
  if (std::fwrite(content.data(), 1, content.size(), draft->file()) != content.size()) {
    return Errno("cannot write", draft->partial_path());
  }
  return draft->Commit();
}

uint64_t DiskBytes(const std::string& dir, std::set<ino_t>* seen) {
  uint64_t bytes = 0;
  std::error_code ec;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir, ec)) {
    struct stat st {};
    if (::lstat(e.path().c_str(), &st) == 0 && S_ISREG(st.st_mode) && seen->insert(st.st_ino).second) {
      bytes += static_cast<uint64_t>(st.st_size);
    }
  }
  return bytes;
}

}  // namespace crm
