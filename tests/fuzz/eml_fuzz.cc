// libFuzzer target for the email reader of `lead from-email` (io/eml.h): the bytes of a message.
// Properties checked (a violation traps): parsing never crashes; a failure is kInvalidArgument
// naming the input; a lead read has an address with an @ and UTF-8 fields.
#include <cstddef>
#include <cstdint>
#include <string>

#include "events/values.h"
#include "io/eml_plugin.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 1 << 16) return 0;
  auto lead = CrmParseEmailLead("in.eml", std::string(reinterpret_cast<const char*>(data), size));
  if (!lead.ok()) {
    if (lead.status().code() != crm::StatusCode::kInvalidArgument) __builtin_trap();
    if (lead.status().message().rfind("in.eml: ", 0) != 0) __builtin_trap();
    return 0;
  }
  if (lead->email.find('@') == std::string::npos) __builtin_trap();
  for (const std::string* s : {&lead->name, &lead->email, &lead->subject, &lead->company, &lead->phone}) {
    if (!crm::IsValidUtf8(*s)) __builtin_trap();
  }
  return 0;
}
