// Plugins (io/plugin.h): an entry point is found in a plugin built beside the binaries; a plugin
// that is not there, or a symbol it lacks, is an Internal error that says what and where.
#include "io/plugin.h"

#include <doctest/doctest.h>

#include <string>

#include "io/eml_plugin.h"

namespace crm {
namespace {

TEST_CASE("a plugin's entry point is found, and the same address every time") {
  auto first = PluginFunction<ParseEmailLeadFn>(kEmlPlugin, kParseEmailLeadSymbol);
  REQUIRE(first.ok());
  auto again = PluginFunction<ParseEmailLeadFn>(kEmlPlugin, kParseEmailLeadSymbol);
  REQUIRE(again.ok());
  const bool same = *first == *again;
  CHECK(same);
  auto lead = (*first)("x.eml", "From: Kari Nordmann <kari@example.org>\r\nSubject: Hi\r\n\r\nHello\r\n");
  REQUIRE(lead.ok());
  CHECK(lead->email == "kari@example.org");
}

TEST_CASE("a plugin that is not there is named, with where it was looked for") {
  auto r = PluginSymbol("missing", "Anything");
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == StatusCode::kInternal);
  CHECK(r.status().message().find("libcrm_missing.so") != std::string::npos);
  CHECK(r.status().message().find("does not exist") != std::string::npos);
}

TEST_CASE("a symbol the plugin lacks is refused") {
  auto r = PluginSymbol(kEmlPlugin, "CrmNoSuchEntry");
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == StatusCode::kInternal);
  CHECK(r.status().message().find("CrmNoSuchEntry") != std::string::npos);
}

}  // namespace
}  // namespace crm
