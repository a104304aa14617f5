#include "io/jsonl.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <vector>

namespace crm::io {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;  // a line's keys in the file's order

template <typename Json>
std::string Cell(const Json& v) {
  if (v.is_null()) return "";
  if (v.is_string()) return v.template get<std::string>();
  if (v.is_boolean()) return v.template get<bool>() ? "yes" : "no";
  if (v.is_array()) {
    std::string s;
    for (const auto& item : v) s += (s.empty() ? "" : ", ") + Cell(item);
    return s;
  }
  return v.dump();
}

class JsonlSource final : public RowSource {
 public:
  JsonlSource(std::string file, uint64_t size) : file_(std::move(file)), size_(size) {}

  // Reads the file once for its columns (every key, in the order first seen).
  Status Open() {
    CRM_RETURN_IF_ERROR(Rewind());
    ordered_json object;
    uint64_t line = 0;
    while (true) {
      CRM_ASSIGN_OR_RETURN(bool more, NextObject(&object, &line));
      if (!more) break;
      for (const auto& [key, value] : object.items()) {
        if (column_.emplace(key, header_.size()).second) header_.push_back(key);
      }
    }
    if (header_.empty()) return Status::InvalidArgument(file_ + ": no JSON objects with keys");
    return Rewind();
  }

  const std::string& file() const override { return file_; }
  const std::vector<std::string>& header() const override { return header_; }
  uint64_t position() const override { return position_; }
  uint64_t size() const override { return size_; }

  Result<bool> Next(TableRow* row) override {
    ordered_json object;
    CRM_ASSIGN_OR_RETURN(bool more, NextObject(&object, &row->line));
    if (!more) return false;
    row->cells.assign(header_.size(), std::string());
    for (const auto& [key, value] : object.items()) {
      auto it = column_.find(key);
      if (it == column_.end()) {
        return Status::InvalidArgument(file_ + ":" + std::to_string(row->line) + ": the file changed while read");
      }
      row->cells[it->second] = Cell(value);
    }
    return true;
  }

 private:
  Status Rewind() {
    in_ = std::ifstream(file_, std::ios::binary);
    if (!in_) return Status::InvalidArgument(file_ + ": cannot open: " + std::strerror(errno));
    line_ = 0;
    position_ = 0;
    return Status::Ok();
  }

  // The next non-blank line's object; false at the end.
  Result<bool> NextObject(ordered_json* object, uint64_t* line) {
    std::string text;
    while (std::getline(in_, text)) {
      ++line_;
      position_ += text.size() + 1;
      if (!text.empty() && text.back() == '\r') text.pop_back();
      if (line_ == 1 && text.starts_with("\xEF\xBB\xBF")) text.erase(0, 3);
      if (text.find_first_not_of(" \t") == std::string::npos) continue;
      *line = line_;
      try {
        *object = ordered_json::parse(text);
      } catch (const ordered_json::exception& e) {  // a syntax error, or a number out of range
        std::string what = e.what();
        if (const size_t colon = what.rfind(": "); colon != std::string::npos) what = what.substr(colon + 2);
        return Status::InvalidArgument(file_ + ":" + std::to_string(line_) + ": not JSON (" + what + ")");
      }
      if (!object->is_object()) {
        return Status::InvalidArgument(file_ + ":" + std::to_string(line_) + ": a line must be a JSON object");
      }
      return true;
    }
    if (in_.bad()) return Status::Unavailable(file_ + ": read error");
    return false;
  }

  std::string file_;
  uint64_t size_;
  std::ifstream in_;
  uint64_t line_ = 0, position_ = 0;
  std::vector<std::string> header_;
  std::map<std::string, size_t> column_;
};

}  // namespace

std::string CellText(const json& value) { return Cell(value); }

Result<std::unique_ptr<RowSource>> OpenJsonl(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return Status::InvalidArgument(path + ": is a directory, not a file");
  const uintmax_t size = std::filesystem::file_size(path, ec);
  if (ec) return Status::InvalidArgument(path + ": cannot open: " + ec.message());
  auto source = std::make_unique<JsonlSource>(path, size);
  CRM_RETURN_IF_ERROR(source->Open());
  return std::unique_ptr<RowSource>(std::move(source));
}

}  // namespace crm::io
