#include "events/rdkafka_api.h"

#include <dlfcn.h>

#include <string>

namespace crm {
namespace {

constexpr char kLibrary[] = "librdkafka.so.1";  // Debian's librdkafka1

Result<const RdKafkaApi*> Load() {
  void* lib = ::dlopen(kLibrary, RTLD_NOW | RTLD_LOCAL);  // never closed
  if (lib == nullptr) {
    const char* why = ::dlerror();
    return Status::Unavailable(std::string("Kafka mode needs librdkafka: ") + (why != nullptr ? why : kLibrary));
  }
  static RdKafkaApi api;
#define CRM_RDKAFKA_RESOLVE(fn)                                                                         \
  api.fn = reinterpret_cast<decltype(api.fn)>(::dlsym(lib, #fn));                                       \
  if (api.fn == nullptr) {                                                                              \
    return Status::Unavailable(std::string("Kafka mode needs librdkafka 2.0 or later: ") + kLibrary + \
                               " lacks " #fn);                                                          \
  }
  CRM_RDKAFKA_FUNCTIONS(CRM_RDKAFKA_RESOLVE)
#undef CRM_RDKAFKA_RESOLVE
  return &api;
}

}  // namespace

Result<const RdKafkaApi*> LoadRdKafka() {
  static const Result<const RdKafkaApi*> loaded = Load();  // thread-safe, once
  return loaded;
}

const RdKafkaApi& RdKafka() { return **LoadRdKafka(); }

}  // namespace crm
