// A writable Store in a fresh temporary directory, removed with it: the fixture of the tests of
// events/ that need RocksDB (ledger, store, keyring).
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "events/store.h"

namespace crm {

struct TempStore {
  std::string dir;
  std::vector<std::string> column_families;
  std::unique_ptr<Store> store;

  explicit TempStore(std::vector<std::string> cfs) : column_families(std::move(cfs)) {
    char tmpl[] = "/tmp/crm-events-test-XXXXXX";
    dir = ::mkdtemp(tmpl);
    Open();
  }
  // (Re)opens the store as its writer.
  void Open() {
    Store::Options o;
    o.mode = Store::Mode::kWrite;
    o.create_if_missing = true;
    store = std::move(Store::Open(dir, o, column_families).value());
  }
  ~TempStore() {
    store.reset();
    std::filesystem::remove_all(dir);
  }
};

}  // namespace crm
