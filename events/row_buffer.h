// RowBuffer: the rows a Store::Txn has written and not yet committed (or keeps as its read
// cache), one per key, the last write winning.
//
// Keys and values are copied into blocks of an arena owned by the buffer: a write costs one map
// node and a copy of its bytes, not two strings of its own, and clearing frees a few blocks
// instead of every string. A value written over stays in the arena until the buffer is cleared
// (a transaction's rows live for one chunk). Views handed out stay valid until Clear, and across
// TakeFrom into the buffer that took them.
//
// Keys are as a Txn makes them: the column family's id (4 bytes), then the key. Not
// thread-safe; one owner at a time (a Txn hands a whole buffer to its background commit).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace crm {

class RowBuffer {
 public:
  // A row: its value, or a deletion.
  struct Row {
    std::string_view value;
    bool deleted = false;
  };
  using Entry = std::pair<const std::string_view, Row>;

  RowBuffer() = default;
  RowBuffer(const RowBuffer&) = delete;
  RowBuffer& operator=(const RowBuffer&) = delete;
  RowBuffer(RowBuffer&&) = default;
  RowBuffer& operator=(RowBuffer&&) = default;

  // Writes `value` under `key`, or a deletion when nullopt.
  void Put(std::string_view key, std::optional<std::string_view> value);
  // nullptr when this buffer holds no row for `key`.
  const Row* Find(std::string_view key) const;

  // Moves every row of `other` into this buffer (theirs win over ours), with the arena blocks
  // that hold them; `other` is left empty.
  void TakeFrom(RowBuffer* other);
  void Clear();
  // Swaps the contents, arenas included.
  void Swap(RowBuffer& other) noexcept;

  bool empty() const { return rows_.empty(); }
  size_t size() const { return rows_.size(); }
  // Every row, in no order.
  const std::unordered_map<std::string_view, Row>& rows() const { return rows_; }
  // The rows in key order (a table file and the memtable's skiplist take them so).
  std::vector<const Entry*> Sorted() const;

 private:
  static constexpr size_t kBlockBytes = 1 << 20;
  // `bytes` copied into the arena; the view of the copy.
  std::string_view Copy(std::string_view bytes);

  std::unordered_map<std::string_view, Row> rows_;
  std::vector<std::unique_ptr<char[]>> blocks_;
  char* free_ = nullptr;  // the unused end of the last block
  size_t free_bytes_ = 0;
};

}  // namespace crm
