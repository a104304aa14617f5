// Text encodings of the files people import: which one a file is written in, and its text
// converted to UTF-8. Spreadsheets saved as CSV in Danish, Norwegian or German locales are
// Windows-1252 or ISO-8859-1; Excel's "Unicode text" is UTF-16 with a byte-order mark.
//
// Detection (DetectEncoding): a byte-order mark decides (UTF-8, UTF-16LE/BE); text that is valid
// UTF-8 is UTF-8 (ASCII included); anything else is guessed by uchardet (Mozilla's detector).
// ISO-8859-1 is read as Windows-1252, as browsers do (WHATWG): they differ only in 0x80-0x9F,
// which are control characters in ISO-8859-1 and letters, quotes and the euro sign in Windows-1252.
// Conversion (TextDecoder) is iconv's, streaming: a sequence cut by the end of a block is kept
// for the next one.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "events/status.h"

namespace crm::io {

// The encoding the text beginning with `sample` is in, as iconv names it ("UTF-8",
// "WINDOWS-1252", "UTF-16LE", ...), or "" when it cannot be told. `more`: the text goes on after
// the sample (a UTF-8 sequence cut at the sample's end does not make it not UTF-8).
std::string DetectEncoding(std::string_view sample, bool more);

// The length of a byte-order mark at the start of `text` (0: none).
size_t ByteOrderMarkSize(std::string_view text);

class TextDecoder {
 public:
  // InvalidArgument when iconv does not know `encoding` (`iconv -l` lists those it knows).
  static Result<std::unique_ptr<TextDecoder>> Open(const std::string& encoding);
  ~TextDecoder();
  TextDecoder(const TextDecoder&) = delete;
  TextDecoder& operator=(const TextDecoder&) = delete;

  // Appends `in` converted to UTF-8 to *out and answers how many bytes of `in` it converted:
  // all, but for a sequence cut by the end of `in` when `last` is false. InvalidArgument for
  // bytes that are not text in the encoding (*out then holds the text before them).
  Result<size_t> Convert(std::string_view in, bool last, std::string* out);

  const std::string& encoding() const { return encoding_; }

 private:
  TextDecoder(void* cd, std::string encoding) : cd_(cd), encoding_(std::move(encoding)) {}
  void* cd_;  // iconv_t
  std::string encoding_;
};

}  // namespace crm::io
