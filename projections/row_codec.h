// The pieces binary projection rows are made of (projections/rows.h, party_rows.h): varint
// lengths and counts (LEB128), strings as length + bytes, 64-bit integers big-endian, flags and
// small enums as one byte. A RowReader returns false at the first field that does not fit, so a
// decoder says Corruption once, at the end. Header-only; thread-compatible.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "events/ids.h"
#include "events/store.h"

namespace crm {

inline void PutVarint(std::string* out, uint64_t v) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

inline bool GetVarint(std::string_view* in, uint64_t* v) {
  *v = 0;
  for (int shift = 0; shift < 64 && !in->empty(); shift += 7) {
    const uint8_t b = static_cast<uint8_t>(in->front());
    in->remove_prefix(1);
    *v |= static_cast<uint64_t>(b & 0x7f) << shift;
    if ((b & 0x80) == 0) return true;
  }
  return false;
}

inline bool GetString(std::string_view* in, std::string* out) {
  uint64_t n = 0;
  if (!GetVarint(in, &n) || n > in->size()) return false;
  out->assign(in->substr(0, n));
  in->remove_prefix(n);
  return true;
}

class RowWriter {
 public:
  void Byte(uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void Bool(bool v) { Byte(v ? 1 : 0); }
  void I64(int64_t v) { PutBigEndian64(&out_, static_cast<uint64_t>(v)); }
  void Str(std::string_view s) {
    PutVarint(&out_, s.size());
    out_ += s;
  }
  void Count(uint64_t n) { PutVarint(&out_, n); }
  void Strs(const std::vector<std::string>& v) {
    PutVarint(&out_, v.size());
    for (const std::string& s : v) Str(s);
  }
  // A record number: its kind's index plus one (0: none) and its counter.
  void No(const RecordNo& no) {
    Byte(no.valid() ? static_cast<uint8_t>(no.kind()) + 1 : 0);
    if (no.valid()) PutVarint(&out_, no.counter());
  }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

class RowReader {
 public:
  explicit RowReader(std::string_view in) : in_(in) {}
  bool Byte(uint8_t* v) {
    if (in_.empty()) return false;
    *v = static_cast<uint8_t>(in_.front());
    in_.remove_prefix(1);
    return true;
  }
  bool Bool(bool* v) {
    uint8_t b = 0;
    if (!Byte(&b) || b > 1) return false;
    *v = b == 1;
    return true;
  }
  bool I64(int64_t* v) {
    if (in_.size() < 8) return false;
    *v = static_cast<int64_t>(GetBigEndian64(in_.substr(0, 8)));
    in_.remove_prefix(8);
    return true;
  }
  bool Str(std::string* s) { return GetString(&in_, s); }
  bool No(RecordNo* no) {
    uint8_t kind = 0;
    uint64_t counter = 0;
    if (!Byte(&kind)) return false;
    if (kind == 0) {
      *no = RecordNo();
      return true;
    }
    // RecordKind::kCampaignEntry is the last kind.
    if (kind - 1 > static_cast<uint8_t>(RecordKind::kCampaignEntry) || !GetVarint(&in_, &counter) || counter == 0) {
      return false;
    }
    *no = RecordNo(static_cast<RecordKind>(kind - 1), counter);
    return true;
  }
  // A count of what follows (each at least a byte: a count beyond the row is refused).
  bool Count(uint64_t* n) { return GetVarint(&in_, n) && *n <= in_.size(); }
  bool Strs(std::vector<std::string>* v) {
    uint64_t n = 0;
    if (!Count(&n)) return false;
    v->resize(n);
    for (std::string& s : *v) {
      if (!Str(&s)) return false;
    }
    return true;
  }
  bool done() const { return in_.empty(); }
  size_t left() const { return in_.size(); }

 private:
  std::string_view in_;
};

}  // namespace crm
