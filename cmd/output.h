// What a crmctl command answers, as data: its JSON (printed with --json), its text (printed
// otherwise), and a warning or a failure that comes after the answer (rows of an import that
// failed; a delivery run whose log stands but some sends failed; a verification that found a
// fault). Commands return Result<Output>; App::Run is the one place that prints an Output or
// turns an error into its `error:` line and exit code.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "cmd/table.h"
#include "events/status.h"

namespace crm::cli {

struct Output {
  std::optional<nlohmann::json> json;  // nullopt: nothing to print with --json
  std::string text;                    // printed as is without --json
  bool always_json = false;            // the JSON is the answer even without --json
  Status failure;                      // reported after the output, with its exit code
  std::string warning;                 // a `warning:` line on stderr after the output (exit 0)
};

// Text only (a streaming command that printed as it went returns Output{}).
Output TextOutput(std::string text);
// `json` with --json, else `text`.
Output JsonOrText(nlohmann::json json, std::string text);
// One record: as JSON with --json, else its fields one per line (values as text), in the record's
// natural order (RecordText).
Output ObjectOutput(nlohmann::json object);
// A list: `rows` as JSON with --json, else `table`.
Output ListOutput(nlohmann::json rows, const Table& table);
// JSON whatever --json says.
Output JsonOutput(nlohmann::json json);

// A JSON array of strings as text: "a, b, c".
std::string JoinText(const nlohmann::json& strings);

// A record's fields as "key: value" lines in its natural order: number, kind, name and status
// first, then how to reach it, the rest by name, and who made or changed it and when last.
std::string RecordText(std::vector<std::pair<std::string, std::string>> fields);
// "key: value" lines, keys aligned (PrintFields into a string), in the order given.
std::string FieldsText(const std::vector<std::pair<std::string, std::string>>& fields);

}  // namespace crm::cli
