// Store::Txn's two ways of committing (events/store.h): a write batch through WAL and memtables,
// and sorted table files ingested in one step (a rebuild, a replica far behind). The same
// writes, committed in the same chunks, must leave the same rows byte for byte, whichever way
// and whether a chunk is written in the background; rows of a chunk being written stay
// visible; a table file a crash left behind is cleared by the next writer; and a closing writer
// merges the small table files that pile up.
#include "events/store.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "tests/events/temp_store.h"

namespace crm {
namespace {

enum class Way { kBatch, kIngest, kIngestInBackground };

struct Temp : TempStore {
  Temp() : TempStore({"rows", "log"}) {}
  std::map<std::string, std::string> Dump(std::string_view cf) const {
    std::map<std::string, std::string> rows;
    std::unique_ptr<rocksdb::Iterator> it(store->db()->NewIterator(rocksdb::ReadOptions(), store->Cf(cf)));
    for (it->SeekToFirst(); it->Valid(); it->Next()) rows[it->key().ToString()] = it->value().ToString();
    return rows;
  }
};

std::string Key(int i) {
  std::string k = "row/";
  PutBigEndian64(&k, static_cast<uint64_t>(i));
  return k;
}

// Three chunks: puts, overwrites of earlier chunks' rows (read back first), deletes of rows
// committed before, write-once appends, a row put and deleted within one chunk.
void Write(Store* store, Way way) {
  Store::Txn txn(store);
  txn.KeepCommittedAsCache(1 << 20);
  if (way != Way::kBatch) txn.CommitByIngestion();
  auto* rows = store->Cf("rows");
  auto* log = store->Cf("log");
  int seq = 0;
  for (int chunk = 0; chunk < 3; ++chunk) {
    for (int i = 0; i < 500; ++i) {
      const std::string key = Key((i * 7 + chunk * 131) % 900);
      auto old = txn.Get(rows, key);
      txn.Put(rows, key, (old.ok() ? *old : std::string()) + "+" + std::to_string(chunk));
      if (i % 50 == 0) txn.Delete(rows, Key(i));
      std::string at;
      PutBigEndian64(&at, static_cast<uint64_t>(++seq));
      txn.Append(log, at, "record " + std::to_string(seq));
    }
    txn.Put(rows, "gone", "x");
    txn.Delete(rows, "gone");
    const Status s = way == Way::kIngestInBackground && chunk < 2 ? txn.CommitInBackground() : txn.Commit(true);
    REQUIRE(s.ok());
  }
}

TEST_CASE("ingested table files and write batches leave the same rows") {
  Temp batch, ingest, background;
  Write(batch.store.get(), Way::kBatch);
  Write(ingest.store.get(), Way::kIngest);
  Write(background.store.get(), Way::kIngestInBackground);
  for (const char* cf : {"rows", "log"}) {
    const auto expected = batch.Dump(cf);
    CHECK(expected.size() > 100);
    CHECK(ingest.Dump(cf) == expected);
    CHECK(background.Dump(cf) == expected);
  }
  CHECK(batch.Dump("rows").count("gone") == 0);
  // The ingested rows are durable table files: they are there after reopening.
  ingest.store.reset();
  ingest.Open();
  CHECK(ingest.Dump("rows") == batch.Dump("rows"));
  CHECK_FALSE(std::filesystem::exists(ingest.dir + "/ingest"));
}

TEST_CASE("rows being written in the background are read back, and scans wait for them") {
  Temp t;
  auto* rows = t.store->Cf("rows");
  Store::Txn txn(t.store.get());
  txn.CommitByIngestion();
  for (int i = 0; i < 2000; ++i) txn.Put(rows, Key(i), "v" + std::to_string(i));
  REQUIRE(txn.CommitInBackground().ok());
  CHECK(*txn.Get(rows, Key(1234)) == "v1234");
  int seen = 0;
  REQUIRE(txn.ScanPrefix(rows, "row/", [&](std::string_view, std::string_view) { ++seen; }).ok());
  CHECK(seen == 2000);
  txn.Delete(rows, Key(5));
  CHECK(txn.Get(rows, Key(5)).status().code() == StatusCode::kNotFound);
  REQUIRE(txn.Commit(true).ok());
  CHECK(t.Dump("rows").size() == 1999);
}

TEST_CASE("a table file left by a crash is cleared by the next writer, not ingested") {
  Temp t;
  t.store.reset();
  std::filesystem::create_directories(t.dir + "/ingest");
  { std::ofstream(t.dir + "/ingest/7.sst") << "half written"; }
  t.Open();
  CHECK_FALSE(std::filesystem::exists(t.dir + "/ingest"));
  CHECK(t.Dump("rows").empty());
}

}  // namespace
}  // namespace crm

namespace crm {

TEST_CASE("a closing writer merges the small table files that pile up; the rows stay the same") {
  // A process per command: open, append a few hundred ever-growing keys (as the ledger does),
  // close. Each close flushes its memtable (above 2 MB) into a small table file (the values
  // compress well); RocksDB moves such files down a level without merging them, so forty
  // commands would leave forty files.
  TempStore t({"log"});
  int seq = 0;
  for (int command = 0; command < 40; ++command) {
    if (!t.store) t.Open();
    Store::Txn txn(t.store.get());
    for (int i = 0; i < 250; ++i) {
      std::string key;
      PutBigEndian64(&key, static_cast<uint64_t>(++seq));
      txn.Append(t.store->Cf("log"), key, std::string(10000, 'x'));
    }
    REQUIRE(txn.Commit(true).ok());
    t.store.reset();  // the close
  }
  t.Open();
  std::vector<rocksdb::LiveFileMetaData> files;
  t.store->db()->GetLiveFilesMetaData(&files);
  const auto in_log = std::count_if(files.begin(), files.end(), [](const auto& f) { return f.column_family_name == "log"; });
  INFO("table files of the column family after 40 commands: " << in_log);
  CHECK(in_log < 16);
  std::unique_ptr<rocksdb::Iterator> it(t.store->db()->NewIterator(rocksdb::ReadOptions(), t.store->Cf("log")));
  int n = 0;
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    std::string key;
    PutBigEndian64(&key, static_cast<uint64_t>(++n));
    if (it->key().ToString() != key) break;
  }
  CHECK(n == seq);
}

}  // namespace crm
