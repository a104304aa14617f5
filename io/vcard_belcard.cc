#include "io/vcard_plugin.h"

#include <belcard/belcard.hpp>
#include <belcard/belcard_parser.hpp>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "events/values.h"

namespace crm::io {
namespace {

constexpr size_t kMaxCardBytes = 1 << 20;

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// The property name of an unfolded content line ("item1.EMAIL;TYPE=work:..." -> "EMAIL").
std::string PropertyName(const std::string& line) {
  const size_t end = line.find_first_of(";:");
  std::string name = Upper(line.substr(0, end));
  const size_t dot = name.find('.');
  return dot == std::string::npos ? name : name.substr(dot + 1);
}

std::string Unescape(std::string_view v) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) {
    if (v[i] == '\\' && i + 1 < v.size()) {
      const char n = v[++i];
      out += (n == 'n' || n == 'N') ? '\n' : n;
    } else {
      out += v[i];
    }
  }
  return out;
}

// The first component of a structured value ("Acme Ltd;Research" -> "Acme Ltd").
std::string FirstComponent(const std::string& v) {
  for (size_t i = 0; i < v.size(); ++i) {
    if (v[i] == '\\') {
      ++i;
    } else if (v[i] == ';') {
      return v.substr(0, i);
    }
  }
  return v;
}

// A TEL value may be a URI in 4.0 ("tel:+1-555-0100").
std::string Phone(const std::string& v) { return v.rfind("tel:", 0) == 0 ? v.substr(4) : v; }

class VcardSource final : public RowSource {
 public:
  VcardSource(std::string file, uint64_t size) : file_(std::move(file)), size_(size) {
    header_ = {"name", "email", "phone", "organization", "address", "post_code", "city", "country", "notes"};
  }

  Status Start() {
    in_.open(file_, std::ios::binary);
    if (!in_) return Status::InvalidArgument(file_ + ": cannot open: " + std::strerror(errno));
    return Status::Ok();
  }

  const std::string& file() const override { return file_; }
  const std::vector<std::string>& header() const override { return header_; }
  uint64_t position() const override { return position_; }
  uint64_t size() const override { return size_; }

  Result<bool> Next(TableRow* row) override {
    std::vector<std::string> lines;  // unfolded content lines of one card
    uint64_t begin = 0;
    std::string raw;
    while (std::getline(in_, raw)) {
      ++line_;
      position_ += raw.size() + 1;
      if (!raw.empty() && raw.back() == '\r') raw.pop_back();
      if (line_ == 1 && raw.rfind("\xEF\xBB\xBF", 0) == 0) raw.erase(0, 3);
      if (!IsValidUtf8(raw)) return Fail(line_, "text that is not UTF-8 (save the file as UTF-8)");
      if (begin == 0) {
        if (raw.empty()) continue;
        if (Upper(raw) != "BEGIN:VCARD") return Fail(line_, "expected BEGIN:VCARD, found '" + raw.substr(0, 40) + "'");
        begin = line_;
        lines.push_back("BEGIN:VCARD");
        continue;
      }
      if (!raw.empty() && (raw[0] == ' ' || raw[0] == '\t')) {  // a folded line continues the last
        if (lines.empty()) return Fail(line_, "a continuation line before any property");
        lines.back().append(raw, 1, std::string::npos);
      } else if (!raw.empty()) {
        lines.push_back(raw);
      }
      size_t bytes = 0;
      for (const auto& l : lines) bytes += l.size();
      if (bytes > kMaxCardBytes) return Fail(begin, "a card longer than 1 MiB (is END:VCARD missing?)");
      if (Upper(raw) == "END:VCARD") return Card(begin, lines, row);
    }
    if (in_.bad()) return Status::Unavailable(file_ + ": read error");
    if (begin != 0) return Fail(begin, "the card that begins here has no END:VCARD");
    if (!any_) return Fail(line_ == 0 ? 1 : line_, "no vCard in the file (BEGIN:VCARD ... END:VCARD)");
    return false;
  }

 private:
  Status Fail(uint64_t line, const std::string& what) const {
    return Status::InvalidArgument(file_ + ":" + std::to_string(line) + ": " + what);
  }

  Result<bool> Card(uint64_t begin, std::vector<std::string>& lines, TableRow* row) {
    any_ = true;
    std::string text;
    for (const std::string& l : lines) {
      const std::string name = PropertyName(l);
      if (name == "VERSION") {
        const std::string v = l.substr(l.find(':') + 1);
        if (v != "3.0" && v != "4.0") return Fail(begin, "vCard version " + v + " (3.0 and 4.0 are read)");
        text += "VERSION:4.0\r\n";
        continue;
      }
      // 3.0-only properties, and inline binary data, which the 4.0 grammar words differently.
      if (name == "LABEL" || name == "PHOTO" || name == "LOGO" || name == "SOUND" || name == "KEY" ||
          name == "AGENT" || name == "MAILER" || name == "NAME" || name == "PROFILE" || name == "SORT-STRING" ||
          name == "CLASS" || name.rfind("X-", 0) == 0) {
        continue;
      }
      // libbelcard's grammar refuses "\;" in a text value (RFC 6350 allows it); outside the
      // compound properties a semicolon needs no escape, and the value reads the same.
      if (name != "N" && name != "ADR" && name != "ORG" && name != "GENDER") {
        const size_t colon = l.find(':');
        std::string value = l.substr(colon + 1);
        for (size_t at = value.find("\\;"); at != std::string::npos; at = value.find("\\;", at)) {
          if (at > 0 && value[at - 1] == '\\') {
            at += 2;
            continue;
          }
          value.erase(at, 1);
        }
        text += l.substr(0, colon + 1) + value + "\r\n";
        continue;
      }
      text += l + "\r\n";
    }
    std::shared_ptr<belcard::BelCard> card = belcard::BelCardParser::getInstance()->parseOne(text);
    if (!card) return Fail(begin, "a vCard the parser does not accept (RFC 6350 syntax)");
    std::string name = card->getFullName() ? Unescape(card->getFullName()->getValue()) : "";
    if (name.empty() && card->getName()) {
      name = card->getName()->getGivenName() + " " + card->getName()->getFamilyName();
      while (!name.empty() && name.back() == ' ') name.pop_back();
      while (!name.empty() && name.front() == ' ') name.erase(0, 1);
      name = Unescape(name);
    }
    if (name.empty()) return Fail(begin, "a vCard without a name (no FN and no N)");
    row->line = begin;
    row->cells.assign(header_.size(), "");
    row->cells[0] = name;
    if (!card->getEmails().empty()) row->cells[1] = Unescape(card->getEmails().front()->getValue());
    if (!card->getPhoneNumbers().empty()) row->cells[2] = Phone(Unescape(card->getPhoneNumbers().front()->getValue()));
    if (!card->getOrganizations().empty()) {
      row->cells[3] = Unescape(FirstComponent(card->getOrganizations().front()->getValue()));
    }
    if (!card->getAddresses().empty()) {
      const auto& a = card->getAddresses().front();
      row->cells[4] = Unescape(a->getStreet());
      row->cells[5] = Unescape(a->getPostalCode());
      row->cells[6] = Unescape(a->getLocality());
      row->cells[7] = Unescape(a->getCountry());
    }
    if (!card->getNotes().empty()) row->cells[8] = Unescape(card->getNotes().front()->getValue());
    return true;
  }

  std::string file_;
  uint64_t size_ = 0, position_ = 0, line_ = 0;
  std::ifstream in_;
  std::vector<std::string> header_;
  bool any_ = false;
};

}  // namespace

Result<std::unique_ptr<RowSource>> OpenWithBelcard(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return Status::InvalidArgument(path + ": is a directory, not a file");
  const uint64_t size = std::filesystem::file_size(path, ec);
  auto source = std::make_unique<VcardSource>(path, ec ? 0 : size);
  CRM_RETURN_IF_ERROR(source->Start());
  return std::unique_ptr<RowSource>(std::move(source));
}

}  // namespace crm::io

extern "C" crm::Result<std::unique_ptr<crm::io::RowSource>> CrmOpenVcard(const std::string& path) {
  return crm::io::OpenWithBelcard(path);
}
