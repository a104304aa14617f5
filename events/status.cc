#include "events/status.h"

#include "events/quote.h"

#include <algorithm>
#include <cstdio>

namespace crm {
namespace {

// Appends `text` with control characters escaped; returns how many input bytes it took, at most
// `budget` output bytes (never splitting a UTF-8 character or an escape).
size_t AppendEscaped(std::string* out, std::string_view text, size_t budget) {
  size_t i = 0;
  const size_t start = out->size();
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::string piece;
    size_t taken = 1;
    if (c == '\n') {
      piece = "\\n";
    } else if (c == '\t') {
      piece = "\\t";
    } else if (c == '\r') {
      piece = "\\r";
    } else if (c < 0x20 || c == 0x7f) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02x", c);
      piece = hex;
    } else if (c == 0xc2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) < 0xa0 &&
               static_cast<unsigned char>(text[i + 1]) >= 0x80) {
      char hex[8];  // a C1 control (U+0080..U+009F): CSI and friends
      std::snprintf(hex, sizeof hex, "\\u%04x", static_cast<unsigned char>(text[i + 1]));
      piece = hex;
      taken = 2;
    } else if (c < 0x80) {
      piece = std::string(1, static_cast<char>(c));
    } else {
      // A UTF-8 character is copied whole only when its continuation bytes are there; any other
      // byte is shown as \xNN, so that no control character hides behind a bad lead byte.
      const size_t want = c >= 0xf0 && c < 0xf8 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 ? 2 : 0;
      bool whole = want > 0 && i + want <= text.size();
      for (size_t k = 1; whole && k < want; ++k) whole = (static_cast<unsigned char>(text[i + k]) & 0xc0) == 0x80;
      if (whole) {
        taken = want;
        piece = std::string(text.substr(i, taken));
      } else {
        char hex[8];
        std::snprintf(hex, sizeof hex, "\\x%02x", c);
        piece = hex;
      }
    }
    if (out->size() - start + piece.size() > budget) break;
    out->append(piece);
    i += taken;
  }
  return i;
}

}  // namespace

std::string Quote(std::string_view input) {
  constexpr size_t kShown = 40;
  std::string out = "'";
  const size_t taken = AppendEscaped(&out, input, kShown);
  out.push_back('\'');
  if (taken < input.size()) out += "... (" + std::to_string(input.size()) + " bytes)";
  return out;
}

std::string OneLine(std::string_view text, size_t max_bytes) {
  std::string out;
  const size_t taken = AppendEscaped(&out, text, max_bytes);
  if (taken < text.size()) out += "... (" + std::to_string(text.size() - taken) + " more bytes)";
  return out;
}

std::string_view StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return "ok";
    case StatusCode::kInvalidArgument: return "invalid argument";
    case StatusCode::kNotFound: return "not found";
    case StatusCode::kAlreadyExists: return "already exists";
    case StatusCode::kFailedPrecondition: return "failed precondition";
    case StatusCode::kAborted: return "aborted";
    case StatusCode::kUnavailable: return "unavailable";
    case StatusCode::kCorruption: return "corruption";
    case StatusCode::kInternal: return "internal";
    case StatusCode::kPermissionDenied: return "permission denied";
  }
  return "unknown";
}

std::string Status::ToString() const {
  if (ok()) return "ok";
  return std::string(StatusCodeName(code_)) + ": " + message_;
}

Status Status::WithContext(std::string_view context) const {
  if (ok()) return *this;
  return Status(code_, std::string(context) + ": " + message_);
}

}  // namespace crm
