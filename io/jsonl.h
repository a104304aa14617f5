// JSON Lines files (one JSON object per line; what `crmctl export --format jsonl` writes, and
// what many tools emit as "NDJSON"), read as a table for import.
//
// The columns are every key the file's objects have, in the order first seen (opening reads the
// file once for them, keeping only the keys). A cell is the value as text, as the CSV and XLSX
// exports write it: strings as they are, true/false as yes/no, numbers as JSON writes them,
// arrays as their items joined by ", ", null and missing keys as empty. Blank lines are not
// rows; a line that is not a JSON object, or not UTF-8, is InvalidArgument "FILE:LINE: what".
#pragma once

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "io/rows.h"

namespace crm::io {

Result<std::unique_ptr<RowSource>> OpenJsonl(const std::string& path);

// A JSON value as one table cell (the rule above); exports write cells with it too.
std::string CellText(const nlohmann::json& value);

}  // namespace crm::io
