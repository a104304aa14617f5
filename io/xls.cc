#include "io/xls.h"

#include <freexl.h>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "events/values.h"

// Built with AddressSanitizer (the fuzz target): the reader child's death is what the parent
// reports, so the child's sanitizer must not run the fuzzer's crash handling.
#if defined(__SANITIZE_ADDRESS__)
#define CRM_XLS_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CRM_XLS_SANITIZED 1
#endif
#endif
#ifdef CRM_XLS_SANITIZED
#include <sanitizer/common_interface_defs.h>
#endif

namespace crm::io {
namespace {

// FreeXL's codes for why a workbook does not open, as a reader would put it.
std::string OpenError(int code) {
  switch (code) {
    case FREEXL_FILE_NOT_FOUND:
      return "cannot open the file";
    case FREEXL_INVALID_CFBF_HEADER:
    case FREEXL_CFBF_INVALID_SIGNATURE:
    case FREEXL_BIFF_INVALID_BOF:
    case FREEXL_BIFF_WORKBOOK_NOT_FOUND:
      return "not an Excel 97-2003 workbook (.xls; an .xlsx file is read as xlsx)";
    case FREEXL_UNSUPPORTED_CHARSET:
      return "the workbook's code page cannot be converted to UTF-8";
    case FREEXL_INSUFFICIENT_MEMORY:
      return "out of memory reading the workbook";
    default:
      return "a damaged workbook (FreeXL error " + std::to_string(code) + ")";
  }
}

// Whether `path` begins as a workbook does: a compound file (OLE2: every BIFF 5-8 workbook) or a
// bare BIFF 2-4 beginning-of-file record. FreeXL tells the rest of a text file only as a read error.
bool LooksLikeWorkbook(const std::string& path) {
  unsigned char head[8] = {};
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return true;  // FreeXL says why it cannot open it
  const size_t n = std::fread(head, 1, sizeof head, f);
  std::fclose(f);
  static constexpr unsigned char kCompoundFile[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
  if (n == sizeof head && std::equal(head, head + 8, kCompoundFile)) return true;
  return n >= 2 && head[0] == 0x09 && (head[1] == 0x00 || head[1] == 0x02 || head[1] == 0x04 || head[1] == 0x08);
}

// A cell as Excel's General format shows it; "" for an empty cell.
std::string CellText(const FreeXL_CellValue& v) {
  switch (v.type) {
    case FREEXL_CELL_INT:
      return std::to_string(v.value.int_value);
    case FREEXL_CELL_DOUBLE: {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.15g", v.value.double_value);
      return buf;
    }
    case FREEXL_CELL_DATETIME: {
      std::string text = v.value.text_value;  // "YYYY-MM-DD HH:MM:SS"
      if (text.size() > 10 && text[10] == ' ') text[10] = 'T';
      return text;
    }
    case FREEXL_CELL_TEXT:
    case FREEXL_CELL_SST_TEXT:
    case FREEXL_CELL_DATE:
    case FREEXL_CELL_TIME:
      return v.value.text_value != nullptr ? v.value.text_value : "";
    default:  // FREEXL_CELL_NULL, and no other type is defined
      return "";
  }
}

// The first sheet as FreeXL reads it, in this process: run only in the reader child.
class FreeXlSheet final : public RowSource {
 public:
  FreeXlSheet(std::string file, const void* handle, uint64_t size) : file_(std::move(file)), handle_(handle), size_(size) {}
  ~FreeXlSheet() override { freexl_close(handle_); }

  Status Start() {
    unsigned int sheets = 0;
    if (freexl_get_info(handle_, FREEXL_BIFF_SHEET_COUNT, &sheets) != FREEXL_OK || sheets == 0) {
      return Status::InvalidArgument(file_ + ": the workbook has no sheet");
    }
    unsigned int password = 0;
    if (freexl_get_info(handle_, FREEXL_BIFF_PASSWORD, &password) == FREEXL_OK && password == FREEXL_BIFF_OBFUSCATED) {
      return Status::InvalidArgument(file_ + ": the workbook is protected by a password; save it without one");
    }
    if (freexl_select_active_worksheet(handle_, 0) != FREEXL_OK ||
        freexl_worksheet_dimensions(handle_, &rows_, &columns_) != FREEXL_OK) {
      return Status::InvalidArgument(file_ + ": the first sheet cannot be read");
    }
    TableRow header;
    CRM_ASSIGN_OR_RETURN(bool any, Next(&header));
    if (!any) return Status::InvalidArgument(file_ + ": the first sheet is empty (a header row naming the columns comes first)");
    header_ = std::move(header.cells);
    return Status::Ok();
  }

  const std::string& file() const override { return file_; }
  const std::vector<std::string>& header() const override { return header_; }
  uint64_t position() const override { return rows_ == 0 ? size_ : size_ * row_ / rows_; }
  unsigned int rows() const { return rows_; }
  uint64_t size() const override { return size_; }

  Result<bool> Next(TableRow* out) override {
    while (row_ < rows_) {
      const unsigned int r = row_++;
      TableRow row;
      row.line = r + 1;
      bool blank = true;
      for (unsigned short c = 0; c < columns_; ++c) {
        FreeXL_CellValue v;
        if (freexl_get_cell_value(handle_, r, c, &v) != FREEXL_OK) {
          return Status::InvalidArgument(file_ + ": sheet row " + std::to_string(r + 1) + ": a cell cannot be read");
        }
        std::string text = CellText(v);
        if (!IsValidUtf8(text)) {
          return Status::InvalidArgument(file_ + ": sheet row " + std::to_string(r + 1) + ": text that is not UTF-8");
        }
        blank = blank && text.empty();
        row.cells.push_back(std::move(text));
      }
      if (blank) continue;
      while (!row.cells.empty() && row.cells.back().empty()) row.cells.pop_back();
      *out = std::move(row);
      return true;
    }
    return false;
  }

 private:
  std::string file_;
  const void* handle_;
  uint64_t size_;
  unsigned int rows_ = 0, row_ = 0;
  unsigned short columns_ = 0;
  std::vector<std::string> header_;
};

Result<std::unique_ptr<FreeXlSheet>> OpenInProcess(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return Status::InvalidArgument(path + ": is a directory, not a file");
  const uint64_t size = std::filesystem::file_size(path, ec);
  if (ec) return Status::InvalidArgument(path + ": cannot open: " + ec.message());
  if (!LooksLikeWorkbook(path)) return Status::InvalidArgument(path + ": " + OpenError(FREEXL_INVALID_CFBF_HEADER));
  const void* handle = nullptr;
  if (const int rc = freexl_open(path.c_str(), &handle); rc != FREEXL_OK) {
    if (handle != nullptr) freexl_close(handle);
    return Status::InvalidArgument(path + ": " + OpenError(rc));
  }
  auto source = std::make_unique<FreeXlSheet>(path, handle, size);
  CRM_RETURN_IF_ERROR(source->Start());
  return source;
}

// ---- The reader child and its frames ----
// Frames on the pipe: 'H' the header (u64 the sheet's row count, then the cells), 'R' a row (u64
// its line, then the cells), 'E' a refusal (its message), 'Z' the end. Cells: u32 count, then
// each as u32 length and bytes. Integers in host order: both ends are this program.

class FrameWriter {
 public:
  explicit FrameWriter(std::FILE* out) : out_(out) {}
  void Tag(char tag) { std::fputc(tag, out_); }
  template <typename T>
  void Int(T v) { std::fwrite(&v, sizeof v, 1, out_); }
  void Str(const std::string& s) {
    Int(static_cast<uint32_t>(s.size()));
    std::fwrite(s.data(), 1, s.size(), out_);
  }
  void Cells(const std::vector<std::string>& cells) {
    Int(static_cast<uint32_t>(cells.size()));
    for (const std::string& c : cells) Str(c);
  }

 private:
  std::FILE* out_;
};

// The child's whole life: read the sheet, write its frames, exit. Nothing returns from here.
[[noreturn]] void RunReader(const std::string& path, int fd) {
  // A crafted file must not keep a reader busy forever.
  const rlimit cpu{60, 61};
  setrlimit(RLIMIT_CPU, &cpu);
  alarm(120);  // nor keep crmctl waiting (a reader blocked, not computing)
#ifndef CRM_XLS_SANITIZED
  // Nor take the machine's memory (a sheet of 65,536 rows needs far less); a sanitizer's shadow
  // memory would not fit under this.
  const rlimit memory{2ull << 30, 2ull << 30};
  setrlimit(RLIMIT_AS, &memory);
#endif
  // The child speaks only through its frames (a library's or a sanitizer's complaint would land in
  // the middle of crmctl's output).
  if (const int null = open("/dev/null", O_WRONLY); null >= 0) dup2(null, STDERR_FILENO);
#ifdef CRM_XLS_SANITIZED
  __sanitizer_set_death_callback(nullptr);
#endif
  std::FILE* out = fdopen(fd, "wb");
  if (out == nullptr) _exit(3);
  FrameWriter w(out);
  auto fail = [&](const Status& status) {
    w.Tag('E');
    w.Str(status.message());
  };
  if (auto sheet = OpenInProcess(path); !sheet.ok()) {
    fail(sheet.status());
  } else {
    w.Tag('H');
    w.Int(static_cast<uint64_t>((*sheet)->rows()));
    w.Cells((*sheet)->header());
    TableRow row;
    for (;;) {
      auto more = (*sheet)->Next(&row);
      if (!more.ok()) {
        fail(more.status());
        break;
      }
      if (!*more) {
        w.Tag('Z');
        break;
      }
      w.Tag('R');
      w.Int(row.line);
      w.Cells(row.cells);
    }
  }
  _exit(std::fflush(out) == 0 ? 0 : 3);
}

// The sheet as the reader child sends it.
class IsolatedSheet final : public RowSource {
 public:
  IsolatedSheet(std::string file, uint64_t size, pid_t child, std::FILE* in)
      : file_(std::move(file)), size_(size), child_(child), in_(in) {}
  ~IsolatedSheet() override {
    std::fclose(in_);
    if (!done_ && child_ > 0) kill(child_, SIGKILL);  // abandoned: the reader's work is not wanted
    Reap();
  }

  Status Start() {
    CRM_ASSIGN_OR_RETURN(char tag, ReadTag());
    if (tag != 'H') return Damaged();
    uint64_t rows = 0;
    if (!ReadInt(&rows) || !ReadCells(&header_)) return Damaged();
    rows_ = rows;
    return Status::Ok();
  }

  const std::string& file() const override { return file_; }
  const std::vector<std::string>& header() const override { return header_; }
  uint64_t position() const override { return rows_ == 0 ? size_ : size_ * std::min(line_, rows_) / rows_; }
  uint64_t size() const override { return size_; }

  Result<bool> Next(TableRow* row) override {
    if (done_) return false;
    CRM_ASSIGN_OR_RETURN(char tag, ReadTag());
    if (tag == 'Z') {
      done_ = true;
      return false;
    }
    if (tag != 'R' || !ReadInt(&row->line) || !ReadCells(&row->cells)) return Damaged();
    line_ = row->line;
    return true;
  }

 private:
  // The next frame's tag; a refusal the child sent, or its death, as the error.
  Result<char> ReadTag() {
    const int tag = std::fgetc(in_);
    if (tag == 'E') {
      std::string message;
      if (!ReadStr(&message)) return Damaged();
      done_ = true;
      return Status::InvalidArgument(message);
    }
    if (tag == EOF) return Damaged(/*ended=*/true);
    return static_cast<char>(tag);
  }

  template <typename T>
  bool ReadInt(T* v) { return std::fread(v, sizeof *v, 1, in_) == 1; }
  // The child is the process that may have gone wrong: what it sends is bounded before it is
  // believed (a sheet has at most 256 columns in BIFF 8, 16,384 here to spare; a cell at most
  // 32,767 characters, four bytes each in UTF-8 at most; a message a few KiB).
  bool ReadStr(std::string* s, uint32_t max = 4 * 32767) {
    uint32_t n = 0;
    if (!ReadInt(&n) || n > max) return false;
    s->resize(n);
    return std::fread(s->data(), 1, n, in_) == n && IsValidUtf8(*s);
  }
  bool ReadCells(std::vector<std::string>* cells) {
    uint32_t n = 0;
    if (!ReadInt(&n) || n > 16384) return false;
    cells->resize(n);
    for (std::string& c : *cells) {
      if (!ReadStr(&c)) return false;
    }
    return true;
  }

  // A workbook the reader did not get through (FreeXL met bytes it could not handle). `ended`:
  // the stream ended (the child exited, closing it); else what came was not a frame, and a child
  // still there is stopped (it may be blocked writing into the pipe).
  Status Damaged(bool ended = false) {
    done_ = true;
    if (!ended && child_ > 0) kill(child_, SIGKILL);
    const int status = Reap();
    std::string why = "the reader stopped";
    if (!ended && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) {
      why = "the reader sent what it should not";
    } else if (WIFSIGNALED(status) && WTERMSIG(status) == SIGXCPU) {
      why = "the reader took over a minute of CPU";
    } else if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM) {
      why = "the reader took over two minutes";
    } else if (WIFSIGNALED(status)) {
      why += " on signal " + std::to_string(WTERMSIG(status));
    }
    return Status::InvalidArgument(file_ + ": a damaged workbook (" + why + ")");
  }

  int Reap() {
    if (child_ > 0) {
      while (waitpid(child_, &status_, 0) < 0 && errno == EINTR) {
      }
      child_ = -1;
    }
    return status_;
  }

  std::string file_;
  uint64_t size_;
  pid_t child_;
  std::FILE* in_;
  int status_ = 0;
  uint64_t rows_ = 0, line_ = 0;
  bool done_ = false;
  std::vector<std::string> header_;
};

}  // namespace

Result<std::unique_ptr<RowSource>> OpenXls(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return Status::InvalidArgument(path + ": is a directory, not a file");
  const uint64_t size = std::filesystem::file_size(path, ec);
  if (ec) return Status::InvalidArgument(path + ": cannot open: " + ec.message());
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return Status::Unavailable(std::string("pipe: ") + std::strerror(errno));
  const pid_t child = fork();
  if (child < 0) {
    close(fds[0]);
    close(fds[1]);
    return Status::Unavailable(std::string("fork: ") + std::strerror(errno));
  }
  if (child == 0) {
    close(fds[0]);
    RunReader(path, fds[1]);
  }
  close(fds[1]);
  std::FILE* in = fdopen(fds[0], "rb");
  if (in == nullptr) {
    close(fds[0]);
    kill(child, SIGKILL);
    waitpid(child, nullptr, 0);
    return Status::Unavailable(std::string("fdopen: ") + std::strerror(errno));
  }
  auto source = std::make_unique<IsolatedSheet>(path, size, child, in);
  CRM_RETURN_IF_ERROR(source->Start());
  return std::unique_ptr<RowSource>(std::move(source));
}

}  // namespace crm::io
