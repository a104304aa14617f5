// Mail merge (SPEC 4.6): a document template merged with one contact's fields through Mustache
// (libmstch). Placeholders are the merge fields' names: {{name}}, {{email}}, {{company_name}},
// {{subject}}, {{salesperson_name}}, ... (docs/design.md lists them); sections ({{#phone}}...
// {{/phone}}) show text only when a field is set. HTML documents escape the values; text
// documents take them as they are.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "events/status.h"

namespace crm {

using MergeFields = std::map<std::string, std::string>;

// A document merge can read: valid UTF-8 without NUL bytes (text, HTML, Markdown). Anything else
// (PDF, images) is attached as it is.
bool IsTextDocument(std::string_view content);
// .html or .htm (any case).
bool IsHtmlName(std::string_view file_name);

// The merged document; FailedPrecondition names the first unbalanced section of a broken
// template.
Result<std::string> Merge(std::string_view document, const MergeFields& fields, bool html);

}  // namespace crm
