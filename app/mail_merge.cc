#include "app/mail_merge.h"

#include <algorithm>
#include <vector>

#include <mstch/mstch.hpp>

#include "aggregates/common.h"

namespace crm {

bool IsTextDocument(std::string_view content) {
  return content.find('\0') == std::string_view::npos && IsValidUtf8(content);
}

bool IsHtmlName(std::string_view file_name) {
  const std::string lower = Lower(file_name);
  return lower.ends_with(".html") || lower.ends_with(".htm");
}

namespace {

// mstch renders a broken template without complaint; check that sections open and close in
// order so a typo is an error rather than a silently wrong letter to every contact.
Status CheckSections(std::string_view document) {
  std::vector<std::string> open;
  size_t pos = 0;
  while ((pos = document.find("{{", pos)) != std::string_view::npos) {
    const size_t end = document.find("}}", pos + 2);
    if (end == std::string_view::npos) {
      return Status::FailedPrecondition("the template has an unclosed '{{' at byte " + std::to_string(pos));
    }
    std::string_view tag = document.substr(pos + 2, end - pos - 2);
    if (!tag.empty() && (tag[0] == '#' || tag[0] == '^')) {
      open.push_back(Trim(tag.substr(1)));
    } else if (!tag.empty() && tag[0] == '/') {
      const std::string name = Trim(tag.substr(1));
      if (open.empty() || open.back() != name) {
        return Status::FailedPrecondition(
            "the template closes section '" + name + "' at byte " + std::to_string(pos) +
            (open.empty() ? " that is not open" : " while '" + open.back() + "' is open"));
      }
      open.pop_back();
    }
    pos = end + 2;
  }
  if (!open.empty()) return Status::FailedPrecondition("the template never closes section '" + open.back() + "'");
  return Status::Ok();
}

std::string EscapeHtml(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += ch;
    }
  }
  return out;
}

}  // namespace

Result<std::string> Merge(std::string_view document, const MergeFields& fields, bool html) {
  CRM_RETURN_IF_ERROR(CheckSections(document));
  mstch::map context;
  // An empty field is false in a section, so {{#phone}}Tel. {{phone}}{{/phone}} vanishes.
  for (const auto& [name, value] : fields) context.emplace(name, value);
  // mstch escapes through one process-wide function: set it for this render and restore it.
  const auto saved = mstch::config::escape;
  mstch::config::escape = html ? std::function<std::string(const std::string&)>(EscapeHtml)
                               : [](const std::string& s) { return s; };
  std::string out;
  std::string failed;
  try {
    out = mstch::render(std::string(document), context);
  } catch (const std::exception& e) {  // mstch throws on what its parser cannot take
    failed = e.what();
  }
  mstch::config::escape = saved;
  if (!failed.empty()) return Status::FailedPrecondition("the template does not render: " + failed);
  return out;
}

}  // namespace crm
