// RowBuffer (events/row_buffer.h): a map of views into an arena of 1 MiB blocks.
#include "events/row_buffer.h"

#include <algorithm>
#include <cstring>
#include <utility>

namespace crm {

std::string_view RowBuffer::Copy(std::string_view bytes) {
  if (bytes.empty()) return {};
  if (bytes.size() > free_bytes_) {
    if (bytes.size() > kBlockBytes / 4) {  // a large value: a block of its own, the free end stays
      blocks_.push_back(std::make_unique_for_overwrite<char[]>(bytes.size()));
      std::memcpy(blocks_.back().get(), bytes.data(), bytes.size());
      return {blocks_.back().get(), bytes.size()};
    }
    blocks_.push_back(std::make_unique_for_overwrite<char[]>(kBlockBytes));
    free_ = blocks_.back().get();
    free_bytes_ = kBlockBytes;
  }
  char* at = free_;
  std::memcpy(at, bytes.data(), bytes.size());
  free_ += bytes.size();
  free_bytes_ -= bytes.size();
  return {at, bytes.size()};
}

void RowBuffer::Put(std::string_view key, std::optional<std::string_view> value) {
  const Row row{value ? Copy(*value) : std::string_view(), !value};
  auto it = rows_.find(key);
  if (it != rows_.end()) {
    it->second = row;
    return;
  }
  rows_.emplace(Copy(key), row);
}

const RowBuffer::Row* RowBuffer::Find(std::string_view key) const {
  auto it = rows_.find(key);
  return it == rows_.end() ? nullptr : &it->second;
}

void RowBuffer::TakeFrom(RowBuffer* other) {
  // Hand the nodes over instead of copying: merge moves those this buffer lacks, and only keys
  // it holds already (left behind in `other`) are assigned.
  rows_.merge(other->rows_);
  for (const auto& [key, row] : other->rows_) rows_[key] = row;
  // The blocks come along (their order does not matter); fill whichever has more room left.
  for (auto& block : other->blocks_) blocks_.push_back(std::move(block));
  if (other->free_bytes_ > free_bytes_) {
    free_ = other->free_;
    free_bytes_ = other->free_bytes_;
  }
  other->rows_.clear();
  other->blocks_.clear();
  other->free_ = nullptr;
  other->free_bytes_ = 0;
}

void RowBuffer::Clear() {
  rows_.clear();
  blocks_.clear();
  free_ = nullptr;
  free_bytes_ = 0;
}

void RowBuffer::Swap(RowBuffer& other) noexcept {
  rows_.swap(other.rows_);
  blocks_.swap(other.blocks_);
  std::swap(free_, other.free_);
  std::swap(free_bytes_, other.free_bytes_);
}

std::vector<const RowBuffer::Entry*> RowBuffer::Sorted() const {
  std::vector<const Entry*> entries;
  entries.reserve(rows_.size());
  for (const auto& e : rows_) entries.push_back(&e);
  std::sort(entries.begin(), entries.end(), [](const Entry* a, const Entry* b) { return a->first < b->first; });
  return entries;
}

}  // namespace crm
