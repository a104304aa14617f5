// CommandHint (cmd/command_hint.h): a walk of argv over CLI11's command tree.
#include "cmd/command_hint.h"

#include <algorithm>

#include "aggregates/common.h"
#include "events/edit_distance.h"

namespace crm::cli {
namespace {

std::vector<std::string> Commands(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App* s) { return !s->get_name().empty(); })) {
    names.push_back(sub->get_name());
  }
  return names;
}

std::string Joined(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// The option `name` of `path`'s last command or of a command above it (options fall through).
const CLI::Option* FindOption(const std::vector<const CLI::App*>& path, const std::string& name) {
  for (auto it = path.rbegin(); it != path.rend(); ++it) {
    if (const CLI::Option* o = (*it)->get_option_no_throw(name)) return o;
  }
  return nullptr;
}

}  // namespace

std::vector<std::string> NearestNames(std::string_view word, const std::vector<std::string>& candidates) {
  const size_t limit = std::min<size_t>(2, std::max<size_t>(1, word.size() / 3));
  std::vector<std::pair<size_t, std::string>> near;
  std::vector<std::string> extending;
  for (const std::string& c : candidates) {
    if (!word.empty() && Lower(c).starts_with(Lower(word))) extending.push_back(c);
    if (const size_t d = EditDistance(word, c); d <= limit) near.emplace_back(d, c);
  }
  std::stable_sort(near.begin(), near.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> out;
  for (const auto& [d, c] : near) {
    if (d == near.front().first) out.push_back(c);
  }
  if (out.empty() && extending.size() == 1) out = extending;
  return out;
}

std::optional<std::string> CommandHint(const CLI::App& root, int argc, const char* const* argv) {
  std::vector<const CLI::App*> path = {&root};
  std::string where = root.get_name();
  for (int i = 1; i < argc; ++i) {
    const std::string word = argv[i];
    if (word == "--") return std::nullopt;
    if (word.size() > 1 && word[0] == '-') {
      const std::string name = word.substr(0, word.find('='));
      const CLI::Option* o = FindOption(path, name);
      if (o == nullptr) return std::nullopt;  // an unknown option: CLI11 says so
      const bool takes_value = o->get_items_expected_min() > 0 && word.find('=') == std::string::npos;
      if (takes_value && (name.starts_with("--") || name.size() == 2)) ++i;  // -n 5, not -n5
      continue;
    }
    const CLI::App* at = path.back();
    if (at->get_require_subcommand_min() == 0) return std::nullopt;  // a value, not a command
    const CLI::App* sub = nullptr;
    for (const CLI::App* s : at->get_subcommands([](const CLI::App*) { return true; })) {
      if (s->check_name(word)) sub = s;
    }
    if (sub != nullptr) {
      path.push_back(sub);
      where += " " + sub->get_name();
      continue;
    }
    const std::vector<std::string> names = Commands(*at);
    const std::vector<std::string> near = NearestNames(word, names);
    std::string what = path.size() == 1 ? "unknown command '" + word + "'"
                                        : "unknown command '" + word + "' for '" + where + "'";
    if (near.size() == 1) return what + " (did you mean '" + near.front() + "'?)";
    if (!near.empty()) return what + " (did you mean one of: " + Joined(near) + "?)";
    return what + " (commands: " + Joined(names) + ")";
  }
  const CLI::App* at = path.back();
  if (at->get_require_subcommand_min() == 0) return std::nullopt;
  if (path.size() == 1) return "a command is needed (see " + where + " --help)";
  return "'" + where + "' needs a command: " + Joined(Commands(*at));
}

}  // namespace crm::cli
