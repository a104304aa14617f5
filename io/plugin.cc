#include "io/plugin.h"

#include <dlfcn.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <system_error>
#include <vector>

namespace crm {
namespace {

std::vector<std::filesystem::path> SearchPath() {
  if (const char* dir = std::getenv("CRM_PLUGIN_DIR"); dir != nullptr && *dir != '\0') return {dir};
  std::error_code ec;
  const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return {};
  const std::filesystem::path dir = exe.parent_path();
  return {dir / ".." / "lib" / "crmledger", dir};
}

struct Loaded {
  std::mutex mu;
  std::map<std::string, void*, std::less<>> handles;  // by plugin name; never closed
};

Loaded& Plugins() {
  static Loaded* loaded = new Loaded;  // never destroyed: plugin code may run until exit
  return *loaded;
}

Result<void*> Open(std::string_view name) {
  const std::string file = "libcrm_" + std::string(name) + ".so";
  std::string reasons;
  for (const std::filesystem::path& dir : SearchPath()) {
    const std::filesystem::path path = (dir / file).lexically_normal();
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
      reasons += (reasons.empty() ? "" : ", ") + path.string() + " does not exist";
      continue;
    }
    if (void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL); handle != nullptr) return handle;
    const char* why = dlerror();
    reasons += (reasons.empty() ? "" : ", ") + std::string(why != nullptr ? why : path.string() + " does not load");
  }
  if (reasons.empty()) reasons = "the running executable's directory is unknown and CRM_PLUGIN_DIR is not set";
  return Status::Internal("the " + std::string(name) + " plugin (" + file + ") cannot be loaded: " + reasons +
                             " (reinstall crmledger, or set CRM_PLUGIN_DIR)");
}

}  // namespace

Result<void*> PluginSymbol(std::string_view name, std::string_view symbol) {
  Loaded& plugins = Plugins();
  std::lock_guard<std::mutex> lock(plugins.mu);
  auto it = plugins.handles.find(name);
  if (it == plugins.handles.end()) {
    CRM_ASSIGN_OR_RETURN(void* handle, Open(name));
    it = plugins.handles.emplace(std::string(name), handle).first;
  }
  dlerror();
  void* address = dlsym(it->second, std::string(symbol).c_str());
  if (address == nullptr) {
    return Status::Internal("the " + std::string(name) + " plugin has no " + std::string(symbol) +
                            " (a plugin from another build of crmledger?)");
  }
  return address;
}

}  // namespace crm
