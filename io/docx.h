// Word documents (.docx, Office Open XML) as mail-merge templates: letters are Word documents in
// the source products (Business Central's "Word" attachments, Zoho's mail-merge templates).
//
// MergeDocx replaces every {{field}} in the document's text (body, headers and footers) with its
// value, keeping the document's formatting: Word splits a paragraph's text into runs wherever
// formatting, spelling marks or editing history change, often in the middle of a placeholder, so
// a placeholder is found in the paragraph's text as a whole and its value written into the run
// where it begins (and so in that run's formatting), the rest of the placeholder's text removed
// from the runs it spilled into. A field not in `fields` merges as empty, as in text documents.
// Sections ({{#field}}...{{/field}}) are for text documents; in a Word document they are refused
// (FailedPrecondition naming the tag). Values are text: XML escaping is pugixml's.
//
// Runs in the docx plugin (io/docx_plugin.h; libzip and pugixml), loaded on first use.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "events/status.h"

namespace crm::io {

// Whether `file_name` names a Word document (.docx, any case).
bool IsDocxName(std::string_view file_name);

// The merged document. InvalidArgument when `docx` is not a Word document (not a ZIP archive, no
// word/document.xml, XML that does not parse); FailedPrecondition for a section tag.
Result<std::string> MergeDocx(std::string_view docx, const std::map<std::string, std::string>& fields);

// The document's text: its paragraphs, one per line (tabs and breaks as \t and \n).
Result<std::string> DocxText(std::string_view docx);

}  // namespace crm::io
