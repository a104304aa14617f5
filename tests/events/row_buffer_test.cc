// RowBuffer (events/row_buffer.h) against a std::map doing the same: random puts (empty, small,
// and values larger than a quarter block), overwrites, deletes, buffers merged into a cache
// (TakeFrom) and swapped; every key's row and the sorted order must match the map's, and views
// taken before a merge must still read the same bytes after it.
#include "events/row_buffer.h"

#include <doctest/doctest.h>

#include <map>
#include <optional>
#include <random>
#include <string>

namespace crm {
namespace {

using Model = std::map<std::string, std::optional<std::string>>;

void CheckSame(const RowBuffer& buffer, const Model& model) {
  REQUIRE(buffer.size() == model.size());
  for (const auto& [key, value] : model) {
    const RowBuffer::Row* row = buffer.Find(key);
    REQUIRE(row != nullptr);
    CHECK(row->deleted == !value.has_value());
    if (value) CHECK(row->value == *value);
  }
  const auto sorted = buffer.Sorted();
  auto it = model.begin();
  for (const RowBuffer::Entry* e : sorted) CHECK(e->first == (it++)->first);
}

std::string Value(std::mt19937& rng) {
  switch (rng() % 8) {
    case 0: return {};
    case 1: return std::string(300 << 10, static_cast<char>('a' + rng() % 26));  // its own block
    default: return std::string(1 + rng() % 200, static_cast<char>('a' + rng() % 26));
  }
}

void RandomWrites(std::mt19937& rng, int n, RowBuffer* buffer, Model* model) {
  for (int i = 0; i < n; ++i) {
    std::string key(4, '\0');
    key[0] = static_cast<char>(rng() % 3);  // a column family id
    key += "key/" + std::to_string(rng() % 2000);
    if (rng() % 5 == 0) {
      buffer->Put(key, std::nullopt);
      (*model)[key] = std::nullopt;
    } else {
      const std::string v = Value(rng);
      buffer->Put(key, v);
      (*model)[key] = v;
    }
  }
}

TEST_CASE("a row buffer holds the last write of each key, in key order") {
  std::mt19937 rng(7);
  RowBuffer buffer;
  Model model;
  CHECK(buffer.empty());
  CHECK(buffer.Find("absent") == nullptr);
  RandomWrites(rng, 5000, &buffer, &model);  // more than a block of bytes: several blocks
  CheckSame(buffer, model);
  buffer.Clear();
  CHECK(buffer.empty());
  CHECK(buffer.Find(model.begin()->first) == nullptr);
}

TEST_CASE("rows taken into a cache keep their bytes; the newer write wins") {
  std::mt19937 rng(11);
  RowBuffer cache;
  Model cache_model;
  for (int chunk = 0; chunk < 6; ++chunk) {
    RowBuffer pending;
    Model pending_model;
    RandomWrites(rng, 800, &pending, &pending_model);
    // A view into the chunk, read again once its block belongs to the cache.
    const auto& [key, row] = *pending.rows().begin();
    const std::string_view view = row.value;
    const std::string bytes(view);
    cache.TakeFrom(&pending);
    CHECK(pending.empty());
    CHECK(view == bytes);
    CHECK(cache.Find(key)->value == bytes);
    for (auto& [k, v] : pending_model) cache_model[k] = v;
    CheckSame(cache, cache_model);
    // The cache goes on taking writes of its own into its arena.
    RandomWrites(rng, 50, &cache, &cache_model);
    CheckSame(cache, cache_model);
  }
  RowBuffer other;
  other.Swap(cache);
  CHECK(cache.empty());
  CheckSame(other, cache_model);
}

}  // namespace
}  // namespace crm
