// The error line for a command line that names no command where one is needed: CLI11 says only
// "A subcommand is required" for a typo; this names the word it did not know, where, and the
// nearest valid command (`crmctl contct list` -> unknown command 'contct' (did you mean
// 'contact'?)), or the commands to choose from when the line stops before one.
//
// Pure: walks argv over the command tree as CLI11 would (options found in the tree, their values
// skipped), and answers nothing when the refusal is not about a missing or unknown command (an
// unknown option, a bad value): CLI11's own message stands then.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>

namespace crm::cli {

// The message (without "error: ") for `argv` refused by `root`, or nullopt.
std::optional<std::string> CommandHint(const CLI::App& root, int argc, const char* const* argv);

// The names among `candidates` nearest to `word` (case-insensitive edit distance, transpositions
// counting one, at most 2 and at most a third of the word's length; or the only name `word`
// begins), nearest first; empty when none is near.
std::vector<std::string> NearestNames(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace crm::cli
