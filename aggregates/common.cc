#include "aggregates/common.h"

#include <algorithm>
#include <cctype>

namespace crm {

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

std::vector<std::string_view> SplitBars(std::string_view text) {
  std::vector<std::string_view> parts;
  for (size_t from = 0;;) {
    const size_t bar = text.find('|', from);
    parts.push_back(text.substr(from, bar == std::string_view::npos ? std::string_view::npos : bar - from));
    if (bar == std::string_view::npos) return parts;
    from = bar + 1;
  }
}

std::string Utf8Prefix(std::string_view s, size_t max) {
  if (s.size() <= max) return std::string(s);
  size_t end = max;
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  return std::string(s.substr(0, end));
}

Result<std::string> NormalizeCode(std::string_view text, std::string_view what) {
  std::string code = Upper(Trim(text));
  if (code.empty()) return Status::FailedPrecondition(std::string(what) + " must not be empty");
  if (code.size() > 20) {
    return Status::FailedPrecondition(std::string(what) + " '" + code + "' is longer than 20 characters");
  }
  for (char c : code) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' || c == '/' || c == '+')) {
      return Status::FailedPrecondition(std::string(what) + " '" + code +
                                        "' may only hold letters, digits and - _ . / +");
    }
  }
  return code;
}

size_t CodePoints(std::string_view s) {
  return static_cast<size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

Result<std::string> CheckText(std::string_view text, std::string_view what, size_t max, bool required) {
  std::string t = Trim(text);
  if (!IsValidUtf8(t)) return Status::FailedPrecondition(std::string(what) + " is not valid UTF-8");
  if (required && t.empty()) return Status::FailedPrecondition(std::string(what) + " is required");
  if (CodePoints(t) > max) {
    return Status::FailedPrecondition(std::string(what) + " is longer than " + std::to_string(max) + " characters");
  }
  for (unsigned char c : t) {
    if (c < 0x20 || c == 0x7f) {
      return Status::FailedPrecondition(std::string(what) + " contains a control character");
    }
  }
  return t;
}

Result<std::string> CheckLines(std::string_view text, std::string_view what, size_t max) {
  std::string lf;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') {
      lf += '\n';
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else {
      lf += text[i];
    }
  }
  // Each line is checked as a one-line text; the whole against the length.
  std::string out;
  size_t start = 0;
  for (;;) {
    const size_t nl = lf.find('\n', start);
    std::string line = lf.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
    for (char& c : line) {
      if (c == '\t') c = ' ';
    }
    CRM_ASSIGN_OR_RETURN(std::string checked, CheckText(line, what, max, false));
    out += (start == 0 ? "" : "\n") + checked;
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  out = Trim(out);
  if (CodePoints(out) > max) {
    return Status::FailedPrecondition(std::string(what) + " is longer than " + std::to_string(max) + " characters");
  }
  return out;
}

Status CheckEmail(std::string_view email) {
  if (email.empty()) return Status::Ok();
  const auto bad = [&](std::string_view why) {
    return Status::FailedPrecondition("email '" + std::string(email) + "' is not valid: " + std::string(why));
  };
  const size_t at = email.rfind('@');
  if (at == std::string_view::npos || at == 0) return bad("expected name@domain");
  if (email.size() > 254) return bad("longer than 254 characters");
  const auto local = email.substr(0, at), domain = email.substr(at + 1);
  if (local.size() > 64) return bad("the part before @ is longer than 64 characters");
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos) {
    return bad("misplaced dot before @");
  }
  for (unsigned char c : local) {
    if (!(std::isalnum(c) ||
          std::string_view("!#$%&'*+-/=?^_`{|}~.").find(static_cast<char>(c)) != std::string_view::npos)) {
      return bad("character not allowed before @");
    }
  }
  if (domain.find('.') == std::string_view::npos) return bad("the domain has no dot");
  size_t label = 0;
  for (size_t i = 0; i <= domain.size(); ++i) {
    if (i == domain.size() || domain[i] == '.') {
      if (label == 0 || label > 63) return bad("empty or overlong domain label");
      if (domain[i - 1] == '-' || domain[i - label] == '-') return bad("a domain label starts or ends with '-'");
      label = 0;
      continue;
    }
    const unsigned char c = static_cast<unsigned char>(domain[i]);
    if (!(std::isalnum(c) || c == '-' || c >= 0x80)) return bad("character not allowed in the domain");
    ++label;
  }
  return Status::Ok();
}

Result<Timestamp> ParseSourceTime(std::string_view text, std::string_view what) {
  const std::string t = Trim(text);
  auto refuse = [&] {
    return Status::InvalidArgument(std::string(what) + " '" + t +
                                   "' is not a time (like 2024-03-01 10:12:01 or 2024-03-01T10:12:01.000+0000)");
  };
  // Rewritten as ParseTimestamp reads it: date, 'T' or ' ', HH:MM:SS, fraction, zone.
  std::string iso = t.substr(0, std::min<size_t>(t.size(), 16));  // the date, the hours and minutes
  if (iso.size() > 10 && iso[10] == 't') iso[10] = 'T';
  if (t.size() > 10) {
    if (t.size() < 16) return refuse();
    size_t i = 16;
    if (i < t.size() && t[i] == ':') {
      if (i + 3 > t.size()) return refuse();
      iso += t.substr(i, 3);  // the seconds
      i += 3;
    } else {
      iso += ":00";
    }
    if (i < t.size() && t[i] == '.') {
      const size_t end = std::min(t.find_first_not_of("0123456789", i + 1), t.size());
      iso += t.substr(i, end - i);
      i = end;
    }
    std::string zone = Upper(Trim(t.substr(i)));
    if (zone.empty() || zone == "UTC" || zone == "GMT") zone = "Z";
    const bool offset = !zone.empty() && (zone[0] == '+' || zone[0] == '-');
    if (offset && zone.size() == 3) zone += ":00";        // +01
    if (offset && zone.size() == 5) zone.insert(3, ":");  // +0100
    iso += zone;
  }
  auto parsed = ParseTimestamp(iso);
  if (!parsed.ok()) return refuse();
  return *parsed;
}

std::string SourceIdAsKept(std::string_view source, std::string id) {
  if (source == "salesforce" && id.size() == 18 &&
      std::all_of(id.begin(), id.end(), [](unsigned char c) { return std::isalnum(c); })) {
    id.resize(15);
  }
  return id;
}

Status CheckSource(std::string* source, std::string* source_id, std::string* modified_at) {
  CRM_ASSIGN_OR_RETURN(*source, CheckText(Lower(*source), "source", 30, false));
  CRM_ASSIGN_OR_RETURN(*source_id, CheckText(*source_id, "source id", 100, false));
  *source_id = SourceIdAsKept(*source, std::move(*source_id));
  if (!modified_at->empty()) {
    CRM_ASSIGN_OR_RETURN(Timestamp modified, ParseSourceTime(*modified_at, "the time modified in the source"));
    *modified_at = FormatTimestamp(modified);
  }
  if (!source_id->empty() && source->empty()) {
    return Status::InvalidArgument("a source id needs its source (the product it is an id of: --source zoho)");
  }
  return Status::Ok();
}

Status CheckPhone(std::string_view phone, std::string_view what) {
  for (char c : phone) {
    if (!(std::isdigit(static_cast<unsigned char>(c)) ||
          std::string_view(" +()-./").find(c) != std::string_view::npos)) {
      return Status::FailedPrecondition(std::string(what) + " '" + std::string(phone) +
                                        "' may only hold digits, spaces and + ( ) - . /");
    }
  }
  if (phone.size() > 30) return Status::FailedPrecondition(std::string(what) + " is longer than 30 characters");
  return Status::Ok();
}

StreamId ReferenceStream() { return StreamId("reference"); }

std::string Str(const flatbuffers::String* s) { return s != nullptr ? s->str() : std::string(); }

std::vector<std::string> Strs(const flatbuffers::Vector<flatbuffers::Offset<flatbuffers::String>>* v) {
  std::vector<std::string> out;
  if (v != nullptr) {
    for (const auto* s : *v) out.push_back(s->str());
  }
  return out;
}

RecordNo NoOf(const flatbuffers::String* s) {
  if (s == nullptr) return RecordNo();
  auto no = RecordNo::Parse(s->string_view());
  return no.ok() ? *no : RecordNo();
}

}  // namespace crm
