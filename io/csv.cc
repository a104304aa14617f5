#include "io/csv.h"

#include "events/values.h"
#include "io/text_encoding.h"

#include <csv.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <deque>
#include <filesystem>

namespace crm::io {
namespace {

constexpr size_t kBlock = 1 << 20;
// A field longer than this is taken for a quote never closed (libcsv would buffer the rest of the
// file into it).
constexpr size_t kMaxField = 1 << 20;
// libcsv's parser state before the first byte of a row (ROW_NOT_BEGUN in libcsv.c; struct
// csv_parser is public, its state values are not).
constexpr int kRowNotBegun = 0;

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

char DetectSeparator(std::string_view head) {
  size_t counts[3] = {0, 0, 0};
  const char seps[3] = {',', ';', '\t'};
  bool quoted = false;
  for (char c : head) {
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (c == '\n' || c == '\r') break;
    for (int i = 0; i < 3; ++i) counts[i] += c == seps[i];
  }
  int best = 0;
  for (int i = 1; i < 3; ++i) {
    if (counts[i] > counts[best]) best = i;
  }
  return seps[best];
}

class CsvSource final : public RowSource {
 public:
  CsvSource(std::string file, std::FILE* f, uint64_t size) : file_(std::move(file)), f_(f), size_(size) {
    csv_init(&parser_, CSV_STRICT | CSV_STRICT_FINI);
    buf_.resize(kBlock);
  }
  ~CsvSource() override { csv_free(&parser_); }

  Status Start(char separator, const std::string& encoding) {
    CRM_RETURN_IF_ERROR(Refill());
    std::string_view head(buf_.data(), len_);
    // A byte-order mark says which Unicode encoding the text is in, and is not text: it decides
    // when no encoding is given or a Unicode one is ("UTF-16" alone would take a mark-less text
    // as big-endian); another encoding given reads the bytes as that one.
    const size_t bom = ByteOrderMarkSize(head);
    const bool unicode_given = EqualsIgnoreCase(std::string_view(encoding).substr(0, 3), "utf");
    const bool by_mark = bom > 0 && (encoding.empty() || unicode_given);
    encoding_ = encoding.empty() || by_mark ? DetectEncoding(head, !std::feof(f_.get())) : encoding;
    if (encoding_.empty()) {
      return Status::InvalidArgument(file_ + ": cannot tell which text encoding the file is in: give --encoding "
                                     "(windows-1252, iso-8859-1, ...) or save it as UTF-8");
    }
    detected_ = encoding.empty();
    at_ = by_mark ? bom : 0;
    if (!IsUtf8(encoding_)) {
      auto decoder = TextDecoder::Open(encoding_);
      if (!decoder.ok()) return decoder.status().WithContext("--encoding");
      decoder_ = std::move(*decoder);
      pending_.assign(head.substr(at_));  // the raw block, decoded from here on
      raw_read_ = read_;
      read_ = 0;
      CRM_RETURN_IF_ERROR(Decode());
      head = std::string_view(buf_.data(), len_);
    }
    csv_set_delim(&parser_, static_cast<unsigned char>(separator ? separator : DetectSeparator(head.substr(at_))));
    TableRow row;
    CRM_ASSIGN_OR_RETURN(bool any, Next(&row));
    if (!any) return Status::InvalidArgument(file_ + ": the file is empty (a header row naming the columns comes first)");
    for (std::string& name : row.cells) header_.push_back(std::move(name));
    return Status::Ok();
  }

  const std::string& file() const override { return file_; }
  const std::vector<std::string>& header() const override { return header_; }
  uint64_t position() const override {
    if (!decoder_) return read_ - (len_ - at_);
    // Raw bytes before the decoded block, and the part of its raw bytes read so far.
    return raw_read_ - pending_.size() - block_raw_ + (len_ == 0 ? 0 : block_raw_ * at_ / len_);
  }
  TextEncoding encoding() const override { return {encoding_, detected_}; }
  uint64_t size() const override { return size_; }

  Result<bool> Next(TableRow* row) override {
    while (ready_.empty()) {
      CRM_RETURN_IF_ERROR(error_);
      if (finished_) return false;
      CRM_RETURN_IF_ERROR(FeedSome());
    }
    *row = std::move(ready_.front());
    ready_.pop_front();
    return true;
  }

 private:
  Status Fail(uint64_t line, const std::string& what) {
    error_ = Status::InvalidArgument(file_ + ":" + std::to_string(line) + ": " + what);
    return error_;
  }

  static bool IsUtf8(std::string_view name) { return EqualsIgnoreCase(name, "UTF-8") || EqualsIgnoreCase(name, "UTF8"); }

  // The next block of text: the file's bytes, or their UTF-8 when the file is in another encoding.
  Status Refill() {
    if (decoder_) return Decode();
    len_ = std::fread(buf_.data(), 1, buf_.size(), f_.get());
    at_ = 0;
    read_ += len_;
    if (len_ == 0 && std::ferror(f_.get())) return Status::Unavailable(file_ + ": read error");
    return Status::Ok();
  }

  // Reads raw bytes behind what is pending and converts them into the next block of text (empty
  // only at the end of the file).
  Status Decode() {
    std::string text;
    while (text.empty()) {
      const size_t have = pending_.size();
      pending_.resize(have + kBlock);
      const size_t n = std::fread(pending_.data() + have, 1, kBlock, f_.get());
      pending_.resize(have + n);
      raw_read_ += n;
      if (n == 0 && std::ferror(f_.get())) return Status::Unavailable(file_ + ": read error");
      const bool last = n == 0;
      auto used = decoder_->Convert(pending_, last, &text);
      if (!used.ok()) {
        const auto line = line_ + static_cast<uint64_t>(std::count(text.begin(), text.end(), '\n'));
        return Fail(line, used.status().message() + " (give --encoding to read it as another)");
      }
      block_raw_ = *used;
      pending_.erase(0, *used);
      if (last) break;
    }
    buf_.assign(text.begin(), text.end());
    len_ = buf_.size();
    at_ = 0;
    return Status::Ok();
  }

  // Feeds the parser up to the end of one line (or of the block), so that each row and error is
  // placed on its line.
  Status FeedSome() {
    if (at_ == len_) {
      CRM_RETURN_IF_ERROR(Refill());
      if (len_ == 0) return Finish();
    }
    const char* begin = buf_.data() + at_;
    const char* nl = static_cast<const char*>(std::memchr(begin, '\n', len_ - at_));
    const size_t n = nl != nullptr ? static_cast<size_t>(nl - begin) + 1 : len_ - at_;
    if (parser_.pstate == kRowNotBegun && row_.cells.empty()) row_line_ = line_;
    const size_t done = csv_parse(&parser_, begin, n, &CsvSource::OnField, &CsvSource::OnRowEnd, this);
    at_ += n;
    CRM_RETURN_IF_ERROR(error_);
    if (done < n) {
      return Fail(line_, csv_error(&parser_) == CSV_EPARSE
                             ? "malformed CSV: a quote inside an unquoted field, or text after a closing quote "
                               "(quote the field and double its quotes: \"say \"\"hi\"\"\")"
                             : csv_strerror(csv_error(&parser_)));
    }
    if (parser_.entry_pos > kMaxField) {
      return Fail(row_line_, "a field longer than 1 MiB: is a quote never closed?");
    }
    if (nl != nullptr) ++line_;
    return Status::Ok();
  }

  Status Finish() {
    finished_ = true;
    if (csv_fini(&parser_, &CsvSource::OnField, &CsvSource::OnRowEnd, this) != 0) {
      return Fail(row_line_, "malformed CSV: a quoted field is never closed");
    }
    return error_;
  }

  static void OnField(void* s, size_t len, void* self) {
    auto* me = static_cast<CsvSource*>(self);
    me->row_.cells.emplace_back(s == nullptr ? "" : std::string(static_cast<const char*>(s), len));
  }

  static void OnRowEnd(int, void* self) {
    auto* me = static_cast<CsvSource*>(self);
    TableRow row = std::move(me->row_);
    me->row_ = TableRow();
    bool blank = true;
    for (const std::string& cell : row.cells) {
      if (!IsValidUtf8(cell) && me->error_.ok()) {
        (void)me->Fail(me->row_line_, std::string("text that is not UTF-8") +
                                          (me->detected_ ? ", though the file's first MiB is" : "") +
                                          " (give --encoding, e.g. --encoding windows-1252, or save the file as UTF-8)");
      }
      blank = blank && cell.empty();
    }
    if (blank) return;
    row.line = me->row_line_;
    me->ready_.push_back(std::move(row));
  }

  std::string file_;
  std::unique_ptr<std::FILE, FileCloser> f_;
  uint64_t size_ = 0, read_ = 0;
  csv_parser parser_;
  std::vector<char> buf_;
  size_t len_ = 0, at_ = 0;
  uint64_t line_ = 1, row_line_ = 1;
  TableRow row_;
  std::deque<TableRow> ready_;
  std::vector<std::string> header_;
  bool finished_ = false;
  Status error_;
  std::string encoding_;  // as iconv names it
  bool detected_ = false;
  std::unique_ptr<TextDecoder> decoder_;  // null: the file is UTF-8
  std::string pending_;                   // raw bytes not yet decoded
  uint64_t raw_read_ = 0;                 // raw bytes read from the file
  uint64_t block_raw_ = 0;                // raw bytes the current block was decoded from
};

bool NeedsQuotes(const std::string& cell, char separator) {
  if (cell.empty()) return false;
  if (cell.front() == ' ' || cell.front() == '\t' || cell.back() == ' ' || cell.back() == '\t') return true;
  if (cell.rfind("\xEF\xBB\xBF", 0) == 0) return true;
  for (char c : cell) {
    if (c == separator || c == '"' || c == '\n' || c == '\r') return true;
  }
  return false;
}

}  // namespace

Result<std::unique_ptr<RowSource>> OpenCsv(const std::string& path, char separator, const std::string& encoding) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return Status::InvalidArgument(path + ": is a directory, not a file");
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return Status::InvalidArgument(path + ": cannot open: " + std::strerror(errno));
  const uint64_t size = std::filesystem::file_size(path, ec);
  return OpenCsv(path, f, ec ? 0 : size, separator, encoding);
}

Result<std::unique_ptr<RowSource>> OpenCsv(std::string name, std::FILE* stream, uint64_t size, char separator,
                                           const std::string& encoding) {
  auto source = std::make_unique<CsvSource>(std::move(name), stream, size);
  CRM_RETURN_IF_ERROR(source->Start(separator, encoding));
  return std::unique_ptr<RowSource>(std::move(source));
}

bool CsvWriter::Write(const std::vector<std::string>& cells) {
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i > 0 && std::fputc(separator_, out_) == EOF) return false;
    const std::string& cell = cells[i];
    const bool ok = NeedsQuotes(cell, separator_) ? csv_fwrite(out_, cell.data(), cell.size()) == 0
                                                  : std::fwrite(cell.data(), 1, cell.size(), out_) == cell.size();
    if (!ok) return false;
  }
  return std::fputs("\r\n", out_) != EOF;
}

}  // namespace crm::io
