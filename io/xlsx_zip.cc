#include "io/xlsx_plugin.h"

#include <xlsxwriter.h>
#include <zip.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <optional>

#include <pugixml.hpp>

#include "events/values.h"

namespace crm::io {
namespace {

constexpr size_t kChunk = 64 << 10;
constexpr uint32_t kMaxRows = 1048576;
constexpr size_t kMaxCellChars = 32767;

// "x:row" -> "row".
std::string_view LocalName(const char* name) {
  std::string_view n(name);
  const size_t colon = n.find(':');
  return colon == std::string_view::npos ? n : n.substr(colon + 1);
}

pugi::xml_node Child(pugi::xml_node node, std::string_view local) {
  for (pugi::xml_node c : node.children()) {
    if (LocalName(c.name()) == local) return c;
  }
  return {};
}

// An attribute by local name ("r:id" answers "id").
pugi::xml_attribute Attr(pugi::xml_node node, std::string_view local) {
  for (pugi::xml_attribute a : node.attributes()) {
    if (LocalName(a.name()) == local) return a;
  }
  return {};
}

// The text of every <t> below `node`, in order, except phonetic runs (<rPh>).
void AppendText(pugi::xml_node node, std::string* out) {
  for (pugi::xml_node c : node.children()) {
    const std::string_view name = LocalName(c.name());
    if (name == "t") {
      out->append(c.text().get());
    } else if (name != "rPh") {
      AppendText(c, out);
    }
  }
}

// Column index of a cell reference ("C7" -> 2), or -1.
int ColumnOf(std::string_view ref) {
  int col = 0;
  size_t i = 0;
  while (i < ref.size() && ref[i] >= 'A' && ref[i] <= 'Z') {
    col = col * 26 + (ref[i++] - 'A' + 1);
    if (col > 16384) return -1;  // past XFD, the last column (and before an int could overflow)
  }
  if (i == 0) return -1;
  return col - 1;
}

// Whether a number format shows a date or a time.
bool IsDateFormat(int id, const std::string& code) {
  if ((id >= 14 && id <= 22) || (id >= 45 && id <= 47)) return true;
  if (code.empty()) return false;
  bool quoted = false, bracket = false;
  for (size_t i = 0; i < code.size(); ++i) {
    const char c = code[i];
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (c == '\\') {
      ++i;
      continue;
    }
    if (c == '[') bracket = true;
    if (c == ']') bracket = false;
    if (bracket) continue;
    const char l = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (l == 'd' || l == 'm' || l == 'y' || l == 'h' || l == 's') return true;
  }
  return false;
}

// An Excel serial day number as ISO 8601: a date, and the time when it has one.
std::string SerialToIso(double serial, bool date1904) {
  if (!std::isfinite(serial) || serial < 0 || serial > 2958466) return "";
  int64_t days = static_cast<int64_t>(std::floor(serial));
  int64_t secs = std::llround((serial - static_cast<double>(days)) * 86400.0);
  if (secs >= 86400) {
    ++days;
    secs -= 86400;
  }
  // Days since 1970-01-01: the 1900 system counts a 29 February 1900 that never was (serial 60).
  int64_t z = date1904 ? days + 24107 : (days < 60 ? days - 25568 : days - 25569);
  z += 719468;  // H. Hinnant's civil_from_days
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const int64_t m = mp < 10 ? mp + 3 : mp - 9;
  const int64_t y = yoe + era * 400 + (m <= 2);
  char out[128];
  if (days == 0 && !date1904) {  // a time of day alone
    std::snprintf(out, sizeof out, "%02lld:%02lld:%02lld", static_cast<long long>(secs / 3600),
                  static_cast<long long>(secs / 60 % 60), static_cast<long long>(secs % 60));
  } else if (secs == 0) {
    std::snprintf(out, sizeof out, "%04lld-%02lld-%02lld", static_cast<long long>(y), static_cast<long long>(m),
                  static_cast<long long>(d));
  } else {
    std::snprintf(out, sizeof out, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lld", static_cast<long long>(y),
                  static_cast<long long>(m), static_cast<long long>(d), static_cast<long long>(secs / 3600),
                  static_cast<long long>(secs / 60 % 60), static_cast<long long>(secs % 60));
  }
  return out;
}

struct ZipCloser {
  void operator()(zip_t* z) const { zip_discard(z); }
};
struct ZipFileCloser {
  void operator()(zip_file_t* f) const { zip_fclose(f); }
};

class XlsxSource final : public RowSource {
 public:
  explicit XlsxSource(std::string file) : file_(std::move(file)) {}

  Status Start() {
    int err = 0;
    zip_.reset(zip_open(file_.c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &err));
    if (!zip_) {
      zip_error_t ze;
      zip_error_init_with_code(&ze, err);
      const std::string why = zip_error_strerror(&ze);
      zip_error_fini(&ze);
      return Fail("not an XLSX workbook (" + why + ")");
    }
    pugi::xml_document workbook, rels;
    CRM_RETURN_IF_ERROR(LoadXml("xl/workbook.xml", &workbook, true));
    CRM_RETURN_IF_ERROR(LoadXml("xl/_rels/workbook.xml.rels", &rels, false));
    const pugi::xml_node wb = workbook.first_child();
    const pugi::xml_node pr = Child(wb, "workbookPr");
    const std::string d1904 = Attr(pr, "date1904").value();
    date1904_ = d1904 == "1" || d1904 == "true";
    const pugi::xml_node sheet = Child(Child(wb, "sheets"), "sheet");
    if (!sheet) return Fail("the workbook has no sheet");
    const std::string rid = Attr(sheet, "id").value();
    std::string target = "xl/worksheets/sheet1.xml";
    for (pugi::xml_node r : rels.first_child().children()) {
      if (LocalName(r.name()) != "Relationship" || rid != r.attribute("Id").value()) continue;
      const std::string t = r.attribute("Target").value();
      target = !t.empty() && t[0] == '/' ? t.substr(1) : "xl/" + t;
    }
    CRM_RETURN_IF_ERROR(LoadSharedStrings());
    CRM_RETURN_IF_ERROR(LoadStyles());
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat(zip_.get(), target.c_str(), 0, &st) != 0) return Fail("the first sheet (" + target + ") is missing");
    size_ = (st.valid & ZIP_STAT_SIZE) ? st.size : 0;
    sheet_.reset(zip_fopen(zip_.get(), target.c_str(), 0));
    if (!sheet_) return Fail("cannot read the first sheet: " + std::string(zip_strerror(zip_.get())));
    TableRow header;
    CRM_ASSIGN_OR_RETURN(bool any, Next(&header));
    if (!any) return Fail("the first sheet is empty (a header row naming the columns comes first)");
    header_ = std::move(header.cells);
    return Status::Ok();
  }

  const std::string& file() const override { return file_; }
  const std::vector<std::string>& header() const override { return header_; }
  uint64_t position() const override { return consumed_; }
  uint64_t size() const override { return size_; }

  Result<bool> Next(TableRow* row) override {
    for (;;) {
      CRM_ASSIGN_OR_RETURN(std::optional<std::string> xml, NextRowXml());
      if (!xml) return false;
      CRM_RETURN_IF_ERROR(ParseRow(*xml, row));
      bool blank = true;
      for (const std::string& cell : row->cells) blank = blank && cell.empty();
      if (!blank) return true;
    }
  }

 private:
  Status Fail(const std::string& what) const { return Status::InvalidArgument(file_ + ": " + what); }

  Result<std::string> ReadEntry(const std::string& name, bool required, bool* found) {
    *found = false;
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat(zip_.get(), name.c_str(), 0, &st) != 0) {
      if (required) return Fail("not an XLSX workbook (no " + name + ")");
      return std::string();
    }
    std::unique_ptr<zip_file_t, ZipFileCloser> f(zip_fopen(zip_.get(), name.c_str(), 0));
    if (!f) return Fail("cannot read " + name + ": " + zip_strerror(zip_.get()));
    std::string out;
    char buf[kChunk];
    for (;;) {
      const zip_int64_t n = zip_fread(f.get(), buf, sizeof buf);
      if (n < 0) return Fail("cannot read " + name + " (truncated or damaged): " + zip_file_strerror(f.get()));
      if (n == 0) break;
      out.append(buf, static_cast<size_t>(n));
    }
    *found = true;
    return out;
  }

  Status LoadXml(const std::string& name, pugi::xml_document* doc, bool required) {
    bool found = false;
    CRM_ASSIGN_OR_RETURN(std::string text, ReadEntry(name, required, &found));
    if (!found) return Status::Ok();
    const pugi::xml_parse_result r = doc->load_buffer(text.data(), text.size(), pugi::parse_default | pugi::parse_ws_pcdata);
    if (!r) return Fail(name + ": " + r.description() + " at byte " + std::to_string(r.offset));
    return Status::Ok();
  }

  Status LoadSharedStrings() {
    pugi::xml_document doc;
    CRM_RETURN_IF_ERROR(LoadXml("xl/sharedStrings.xml", &doc, false));
    for (pugi::xml_node si : doc.first_child().children()) {
      if (LocalName(si.name()) != "si") continue;
      std::string text;
      AppendText(si, &text);
      strings_.push_back(std::move(text));
    }
    return Status::Ok();
  }

  Status LoadStyles() {
    pugi::xml_document doc;
    CRM_RETURN_IF_ERROR(LoadXml("xl/styles.xml", &doc, false));
    const pugi::xml_node root = doc.first_child();
    std::map<int, std::string> codes;
    for (pugi::xml_node f : Child(root, "numFmts").children()) {
      codes[f.attribute("numFmtId").as_int()] = f.attribute("formatCode").value();
    }
    for (pugi::xml_node xf : Child(root, "cellXfs").children()) {
      const int id = xf.attribute("numFmtId").as_int();
      date_style_.push_back(IsDateFormat(id, codes.count(id) ? codes[id] : ""));
    }
    return Status::Ok();
  }

  // The next <row> element of the sheet's data, or nullopt after the last.
  Result<std::optional<std::string>> NextRowXml() {
    for (;;) {
      if (prefix_.empty() && !in_data_) {
        const size_t at = pending_.find("sheetData");
        if (at != std::string::npos) {
          const size_t lt = pending_.rfind('<', at);
          if (lt != std::string::npos) {
            prefix_ = pending_.substr(lt + 1, at - lt - 1);  // "" or "x:"
            in_data_ = true;
          }
        }
      }
      if (in_data_) {
        const std::string open = "<" + prefix_ + "row", close = "</" + prefix_ + "row>";
        size_t start = pending_.find(open);
        while (start != std::string::npos && start + open.size() < pending_.size()) {
          const char next = pending_[start + open.size()];
          if (next == ' ' || next == '>' || next == '/' || next == '\t' || next == '\n' || next == '\r') break;
          start = pending_.find(open, start + 1);
        }
        if (start == std::string::npos && pending_.find("</" + prefix_ + "sheetData") != std::string::npos) {
          return std::optional<std::string>();
        }
        if (start != std::string::npos) {
          const size_t gt = pending_.find('>', start);
          size_t end = std::string::npos;
          if (gt != std::string::npos && pending_[gt - 1] == '/') {
            end = gt + 1;
          } else if (gt != std::string::npos) {
            const size_t c = pending_.find(close, gt);
            if (c != std::string::npos) end = c + close.size();
          }
          if (end != std::string::npos) {
            std::string xml = pending_.substr(start, end - start);
            pending_.erase(0, end);
            return std::optional<std::string>(std::move(xml));
          }
        }
      }
      if (eof_) {
        if (!in_data_) return Fail("the first sheet has no data (no <sheetData>)");
        return Fail("the first sheet ends inside a row (truncated?)");
      }
      char buf[kChunk];
      const zip_int64_t n = zip_fread(sheet_.get(), buf, sizeof buf);
      if (n < 0) return Fail("cannot read the first sheet (truncated or damaged): " + std::string(zip_file_strerror(sheet_.get())));
      if (n == 0) eof_ = true;
      consumed_ += static_cast<uint64_t>(n > 0 ? n : 0);
      pending_.append(buf, static_cast<size_t>(n > 0 ? n : 0));
      if (pending_.size() > (16u << 20)) return Fail("a sheet row longer than 16 MiB");
    }
  }

  Status ParseRow(const std::string& xml, TableRow* row) {
    row->cells.clear();
    ++rows_seen_;
    pugi::xml_document doc;
    const pugi::xml_parse_result r = doc.load_buffer(xml.data(), xml.size(), pugi::parse_default | pugi::parse_ws_pcdata);
    const pugi::xml_node e = doc.first_child();
    const uint64_t number = e.attribute("r").as_ullong(0);
    row->line = number > 0 ? number : rows_seen_;
    if (!r) return Fail("sheet row " + std::to_string(row->line) + ": " + r.description());
    int next_col = 0;
    for (pugi::xml_node c : e.children()) {
      if (LocalName(c.name()) != "c") continue;
      int col = next_col;
      if (const char* ref = c.attribute("r").value(); *ref != '\0') col = ColumnOf(ref);
      if (col < 0 || col < next_col) {
        return Fail("sheet row " + std::to_string(row->line) + ": a cell reference out of order ('" +
                    c.attribute("r").value() + "')");
      }
      next_col = col + 1;
      if (row->cells.size() < static_cast<size_t>(col)) row->cells.resize(static_cast<size_t>(col));
      CRM_ASSIGN_OR_RETURN(std::string text, CellText(c, row->line));
      if (!IsValidUtf8(text)) return Fail("sheet row " + std::to_string(row->line) + ": text that is not UTF-8");
      row->cells.push_back(std::move(text));
    }
    return Status::Ok();
  }

  Result<std::string> CellText(pugi::xml_node c, uint64_t line) {
    const std::string type = c.attribute("t").value();
    const pugi::xml_node v = Child(c, "v");
    if (type == "inlineStr") {
      std::string text;
      AppendText(Child(c, "is"), &text);
      return text;
    }
    const std::string value = v.text().get();
    if (type == "s") {
      const long long i = v.text().as_llong(-1);
      if (i < 0 || static_cast<size_t>(i) >= strings_.size()) {
        return Fail("sheet row " + std::to_string(line) + ": shared string " + value + " does not exist");
      }
      return strings_[static_cast<size_t>(i)];
    }
    if (type == "b") return std::string(value == "1" ? "true" : value.empty() ? "" : "false");
    if (type == "str" || type == "e" || value.empty()) return value;
    const long long style = c.attribute("s").as_llong(0);
    if (style >= 0 && static_cast<size_t>(style) < date_style_.size() && date_style_[static_cast<size_t>(style)]) {
      char* end = nullptr;
      const double serial = std::strtod(value.c_str(), &end);
      if (end != value.c_str() && *end == '\0') {
        std::string iso = SerialToIso(serial, date1904_);
        if (!iso.empty()) return iso;
      }
    }
    return value;
  }

  std::string file_;
  std::unique_ptr<zip_t, ZipCloser> zip_;
  std::unique_ptr<zip_file_t, ZipFileCloser> sheet_;
  std::vector<std::string> strings_, header_;
  std::vector<bool> date_style_;
  bool date1904_ = false, in_data_ = false, eof_ = false;
  std::string prefix_, pending_;
  uint64_t size_ = 0, consumed_ = 0, rows_seen_ = 0;
};

// The workbook writer: libxlsxwriter in constant-memory mode.
class LxwWriter final : public XlsxWriter {
 public:
  explicit LxwWriter(std::string path) : path_(std::move(path)) {}
  ~LxwWriter() override {
    if (workbook_ != nullptr) workbook_close(workbook_);  // abandoned: the caller discards the file
  }

  Status Start() {
    lxw_workbook_options options{};
    options.constant_memory = LXW_TRUE;
    workbook_ = workbook_new_opt(path_.c_str(), &options);
    if (workbook_ == nullptr) return Status::Unavailable("cannot write " + path_);
    sheet_ = workbook_add_worksheet(workbook_, nullptr);
    if (sheet_ == nullptr) return Status::Unavailable("cannot write " + path_);
    return Status::Ok();
  }

  Status Write(const std::vector<std::string>& cells) override {
    if (row_ >= kMaxRows) {
      return Status::InvalidArgument("an XLSX sheet holds at most 1,048,576 rows; export as csv or jsonl");
    }
    for (size_t col = 0; col < cells.size(); ++col) {
      if (cells[col].empty()) continue;
      size_t chars = 0;
      for (unsigned char ch : cells[col]) chars += (ch & 0xC0) != 0x80;
      if (chars > kMaxCellChars) {
        return Status::InvalidArgument("an XLSX cell holds at most 32,767 characters (row " + std::to_string(row_ + 1) +
                                       ")");
      }
      const lxw_error e = worksheet_write_string(sheet_, row_, static_cast<lxw_col_t>(col), cells[col].c_str(), nullptr);
      if (e != LXW_NO_ERROR) return Status::Unavailable("cannot write " + path_ + ": " + lxw_strerror(e));
    }
    ++row_;
    return Status::Ok();
  }

  Status Close() override {
    const lxw_error e = workbook_close(workbook_);
    workbook_ = nullptr;
    if (e != LXW_NO_ERROR) return Status::Unavailable("cannot write " + path_ + ": " + lxw_strerror(e));
    return Status::Ok();
  }

 private:
  std::string path_;
  lxw_workbook* workbook_ = nullptr;
  lxw_worksheet* sheet_ = nullptr;
  uint32_t row_ = 0;
};

}  // namespace
}  // namespace crm::io

extern "C" crm::Result<std::unique_ptr<crm::io::RowSource>> CrmOpenXlsx(const std::string& path) {
  auto source = std::make_unique<crm::io::XlsxSource>(path);
  CRM_RETURN_IF_ERROR(source->Start());
  return std::unique_ptr<crm::io::RowSource>(std::move(source));
}

extern "C" crm::Result<std::unique_ptr<crm::io::XlsxWriter>> CrmOpenXlsxWriter(const std::string& path) {
  auto writer = std::make_unique<crm::io::LxwWriter>(path);
  CRM_RETURN_IF_ERROR(writer->Start());
  return std::unique_ptr<crm::io::XlsxWriter>(std::move(writer));
}
