#include "io/text_encoding.h"

#include <iconv.h>
#include <uchardet/uchardet.h>

#include <cerrno>
#include <cstring>

#include "events/values.h"

namespace crm::io {
namespace {

// `text` without a UTF-8 sequence its end cuts short (at most three bytes).
std::string_view WithoutCutSequence(std::string_view text) {
  for (size_t back = 1; back <= 3 && back <= text.size(); ++back) {
    const auto c = static_cast<unsigned char>(text[text.size() - back]);
    if ((c & 0xC0) == 0x80) continue;  // a continuation byte: look further back
    const size_t length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    return length > back ? text.substr(0, text.size() - back) : text;
  }
  return text;
}

struct DetectorDeleter {
  void operator()(uchardet* d) const { uchardet_delete(d); }
};

}  // namespace

size_t ByteOrderMarkSize(std::string_view text) {
  using std::literals::string_view_literals::operator""sv;
  if (text.substr(0, 4) == "\xFF\xFE\x00\x00"sv || text.substr(0, 4) == "\x00\x00\xFE\xFF"sv) return 4;  // UTF-32
  if (text.substr(0, 3) == "\xEF\xBB\xBF") return 3;
  if (text.substr(0, 2) == "\xFF\xFE" || text.substr(0, 2) == "\xFE\xFF") return 2;
  return 0;
}

std::string DetectEncoding(std::string_view sample, bool more) {
  using std::literals::string_view_literals::operator""sv;
  if (sample.substr(0, 4) == "\xFF\xFE\x00\x00"sv) return "UTF-32LE";  // before UTF-16LE's mark, its prefix
  if (sample.substr(0, 4) == "\x00\x00\xFE\xFF"sv) return "UTF-32BE";
  if (sample.substr(0, 3) == "\xEF\xBB\xBF") return "UTF-8";
  if (sample.substr(0, 2) == "\xFF\xFE") return "UTF-16LE";
  if (sample.substr(0, 2) == "\xFE\xFF") return "UTF-16BE";
  if (IsValidUtf8(more ? WithoutCutSequence(sample) : sample)) return "UTF-8";
  std::unique_ptr<uchardet, DetectorDeleter> detector(uchardet_new());
  if (uchardet_handle_data(detector.get(), sample.data(), sample.size()) != 0) return "";
  uchardet_data_end(detector.get());
  std::string name = uchardet_get_charset(detector.get());
  if (name == "ISO-8859-1" || name == "ASCII") {
    // Windows-1252 leaves 0x81, 0x8D, 0x8F, 0x90 and 0x9D undefined: text with them stays Latin-1.
    return sample.find_first_of(std::string_view("\x81\x8D\x8F\x90\x9D", 5)) == std::string_view::npos ? "WINDOWS-1252"
                                                                                                        : "ISO-8859-1";
  }
  return name;
}

Result<std::unique_ptr<TextDecoder>> TextDecoder::Open(const std::string& encoding) {
  iconv_t cd = iconv_open("UTF-8", encoding.c_str());
  if (cd == reinterpret_cast<iconv_t>(-1)) {
    return Status::InvalidArgument("unknown text encoding '" + encoding +
                                   "' (windows-1252, iso-8859-1, utf-16, ...: `iconv -l` lists them)");
  }
  return std::unique_ptr<TextDecoder>(new TextDecoder(cd, encoding));
}

TextDecoder::~TextDecoder() { iconv_close(static_cast<iconv_t>(cd_)); }

Result<size_t> TextDecoder::Convert(std::string_view in, bool last, std::string* out) {
  char* from = const_cast<char*>(in.data());
  size_t left = in.size();
  char chunk[1 << 14];
  for (;;) {
    char* to = chunk;
    size_t room = sizeof chunk;
    const size_t done = iconv(static_cast<iconv_t>(cd_), left > 0 ? &from : nullptr, &left, &to, &room);
    out->append(chunk, static_cast<size_t>(to - chunk));
    if (done != static_cast<size_t>(-1)) {
      if (left == 0) break;
      continue;
    }
    if (errno == E2BIG) continue;
    if (errno == EINVAL && !last) return static_cast<size_t>(from - in.data());  // the next block completes it
    return Status::InvalidArgument(errno == EINVAL ? "the text ends inside a " + encoding_ + " character"
                                                   : "bytes that are not " + encoding_ + " text");
  }
  return in.size();
}

}  // namespace crm::io
