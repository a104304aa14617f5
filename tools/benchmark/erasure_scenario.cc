// What sealing personal data costs (issue 5, erasure by crypto-shredding): the same contacts
// (1 million; 100,000 with --quick) written sealed, as the product stores them, and in the
// clear, the design it replaced (no erasure possible), side by side in one run: appending them
// through the handler's ledger with the projections (batches of 10,000: each batch makes its
// people's keys in one write), and rebuilding the projections from them (every record opened
// with its key). Then, on the sealed data set, as whole crmctl processes: `contact erase`
// (median of three people) and the `compact` that removes the old values from disk.
#include <algorithm>
#include <cstdio>

#include "projections/rebuild.h"
#include "tools/benchmark/bench.h"
#include "tools/benchmark/data.h"

namespace crm::bench {

void ErasureScenario(const Config& c, std::vector<Result>* out) {
  const uint64_t n = c.quick ? 100000 : 1000000;
  double append_s[2] = {0, 0};
  double rebuild_s[2] = {0, 0};
  std::string sealed_dir;
  for (const bool sealed : {true, false}) {
    const std::string dir = Fresh(c, sealed ? "erasure-sealed" : "erasure-plain");
    auto h = OpenHandler(dir);
    Generator gen(h.get(), 10000);
    gen.set_sealing(sealed);
    Check(gen.Basics(), "basics");
    auto start = std::chrono::steady_clock::now();
    Check(gen.Contacts(n), "contacts");
    append_s[sealed] = Since(start);
    start = std::chrono::steady_clock::now();
    Check(Rebuild(h->store(), h->ledger(), nullptr).status(), "rebuild");
    rebuild_s[sealed] = Since(start);
    Check(h->store()->Flush(true), "compact");
    if (sealed) sealed_dir = dir;
  }
  const std::vector<std::string> env{"CRM_DATA=" + sealed_dir};
  std::vector<double> erase_ms;
  for (const char* no : {"CT0001", "CT0002", "CT0003"}) {
    erase_ms.push_back(MedianProcessMillis({c.crmctl, "contact", "erase", no}, env, 1));
  }
  std::sort(erase_ms.begin(), erase_ms.end());
  const double show_ms = MedianProcessMillis({c.crmctl, "contact", "show", "CT0004", "--json"}, env, 5);
  const double compact_ms = MedianProcessMillis({c.crmctl, "compact"}, env, 1);

  const double rate_sealed = static_cast<double>(n) / append_s[1];
  const double rate_plain = static_cast<double>(n) / append_s[0];
  const double rebuild_sealed = static_cast<double>(n) / rebuild_s[1];
  const double rebuild_plain = static_cast<double>(n) / rebuild_s[0];
  std::fprintf(stderr,
               "bench: %llu contacts: append sealed %.0f/s, plain %.0f/s; rebuild sealed %.0f/s, plain %.0f/s; "
               "erase %.0f ms, show %.0f ms, compact %.0f ms\n",
               static_cast<unsigned long long>(n), rate_sealed, rate_plain, rebuild_sealed, rebuild_plain, erase_ms[1],
               show_ms, compact_ms);
  const std::string size = std::to_string(n / 1000) + "k_contacts";
  out->push_back({"append_sealed_" + size, rate_sealed, "contacts/s", rate_plain, rate_sealed / rate_plain,
                  "info (ratio = sealed/in the clear)", true});
  out->push_back({"rebuild_sealed_" + size, rebuild_sealed, "events/s", rebuild_plain, rebuild_sealed / rebuild_plain,
                  "info (ratio = sealed/in the clear)", true});
  out->push_back({"cli_erase_" + size, erase_ms[1], "ms", show_ms, erase_ms[1] / show_ms,
                  "info (baseline: contact show, a read)", true});
  out->push_back({"cli_compact_" + size, compact_ms, "ms", 0, 0, "info", true});
}

}  // namespace crm::bench
