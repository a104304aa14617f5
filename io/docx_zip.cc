// The docx plugin (io/docx_plugin.h): Word documents opened from memory with libzip, their
// WordprocessingML parts parsed and changed with pugixml, and the archive written back to memory.
#include "io/docx_plugin.h"

#include <zip.h>

#include <cstdlib>
#include <cstring>
#include <deque>
#include <memory>
#include <vector>

#include <pugixml.hpp>

namespace crm::io {
namespace {

// A part larger than this is refused (a ZIP bomb would otherwise inflate into memory).
constexpr zip_uint64_t kMaxPart = 64u << 20;

std::string_view LocalName(const char* name) {
  std::string_view n(name);
  const size_t colon = n.find(':');
  return colon == std::string_view::npos ? n : n.substr(colon + 1);
}

// The parts whose text is merged: the body, headers and footers.
bool IsTextPart(std::string_view name) {
  if (name == "word/document.xml") return true;
  for (std::string_view prefix : {"word/header", "word/footer"}) {
    if (name.substr(0, prefix.size()) == prefix && name.size() > 4 && name.substr(name.size() - 4) == ".xml") return true;
  }
  return false;
}

struct ZipCloser {
  void operator()(zip_t* z) const { zip_discard(z); }
};
struct ZipFileCloser {
  void operator()(zip_file_t* f) const { zip_fclose(f); }
};
struct SourceFreer {
  void operator()(zip_source_t* s) const { zip_source_free(s); }
};

Status NotDocx(const std::string& why) { return Status::InvalidArgument("not a Word document (.docx): " + why); }

// The archive in `bytes`, opened in memory; `source` keeps what zip_close writes.
class Archive {
 public:
  Status Open(std::string_view bytes) {
    zip_error_t err;
    zip_error_init(&err);
    // libzip gets a copy it owns (malloc'd, freed by libzip): libzip 1.7 frees a buffer source's
    // original data with free() when a write into it fails, even data it does not own (found by
    // tests/fuzz/docx_fuzz.cc as an alloc-dealloc mismatch).
    if (bytes.empty()) return NotDocx("the file is empty");
    void* copy = std::malloc(bytes.size());
    if (copy == nullptr) return Status::Unavailable("out of memory opening a Word document");
    std::memcpy(copy, bytes.data(), bytes.size());
    source_.reset(zip_source_buffer_create(copy, bytes.size(), 1, &err));
    if (!source_) {
      std::free(copy);
      return NotDocx(zip_error_strerror(&err));
    }
    zip_source_keep(source_.get());  // the archive takes one reference; this keeps the other
    zip_.reset(zip_open_from_source(source_.get(), 0, &err));
    if (!zip_) {
      zip_source_free(source_.get());  // the archive's reference, which it did not take
      const std::string why = zip_error_strerror(&err);
      zip_error_fini(&err);
      return NotDocx(why);
    }
    return Status::Ok();
  }

  zip_int64_t entries() const { return zip_get_num_entries(zip_.get(), 0); }
  std::string name(zip_int64_t i) const {
    const char* n = zip_get_name(zip_.get(), static_cast<zip_uint64_t>(i), 0);
    return n == nullptr ? "" : n;
  }
  zip_int64_t Find(const char* name) const { return zip_name_locate(zip_.get(), name, 0); }

  Result<std::string> Read(zip_int64_t i) const {
    zip_stat_t st;
    if (zip_stat_index(zip_.get(), static_cast<zip_uint64_t>(i), 0, &st) != 0) return NotDocx("an unreadable part");
    if (st.size > kMaxPart) return NotDocx(name(i) + " is larger than 64 MiB");
    std::unique_ptr<zip_file_t, ZipFileCloser> f(zip_fopen_index(zip_.get(), static_cast<zip_uint64_t>(i), 0));
    if (!f) return NotDocx("cannot read " + name(i) + ": " + zip_strerror(zip_.get()));
    std::string out(st.size, '\0');
    zip_int64_t got = 0;
    while (static_cast<zip_uint64_t>(got) < st.size) {
      const zip_int64_t n = zip_fread(f.get(), out.data() + got, st.size - static_cast<zip_uint64_t>(got));
      if (n <= 0) return NotDocx("a damaged part " + name(i));
      got += n;
    }
    return out;
  }

  Status Replace(zip_int64_t i, std::string content) {
    kept_.push_back(std::move(content));  // libzip reads it when the archive is closed
    zip_source_t* s = zip_source_buffer(zip_.get(), kept_.back().data(), kept_.back().size(), 0);
    if (s == nullptr || zip_file_replace(zip_.get(), static_cast<zip_uint64_t>(i), s, ZIP_FL_ENC_UTF_8) != 0) {
      if (s != nullptr) zip_source_free(s);
      return Status::Internal("cannot replace " + name(i) + ": " + zip_strerror(zip_.get()));
    }
    return Status::Ok();
  }

  // Writes the archive and answers its bytes.
  Result<std::string> Close() {
    // The parts not merged are copied as they are: a damaged one fails here.
    if (zip_close(zip_.get()) != 0) return NotDocx(std::string("a damaged archive: ") + zip_strerror(zip_.get()));
    zip_.release();  // zip_close freed it
    zip_stat_t st;
    if (zip_source_stat(source_.get(), &st) != 0 || zip_source_open(source_.get()) != 0) {
      return Status::Internal("cannot read the written document");
    }
    std::string out(st.size, '\0');
    const zip_int64_t n = zip_source_read(source_.get(), out.data(), st.size);
    zip_source_close(source_.get());
    if (n != static_cast<zip_int64_t>(st.size)) return Status::Internal("cannot read the written document");
    return out;
  }

 private:
  std::unique_ptr<zip_source_t, SourceFreer> source_;
  std::unique_ptr<zip_t, ZipCloser> zip_;
  std::deque<std::string> kept_;
};

constexpr unsigned kParse = pugi::parse_default | pugi::parse_declaration | pugi::parse_ws_pcdata;

Result<pugi::xml_document*> Parse(const std::string& xml, const std::string& part, pugi::xml_document* doc) {
  const pugi::xml_parse_result r = doc->load_buffer(xml.data(), xml.size(), kParse, pugi::encoding_utf8);
  if (!r) return NotDocx(part + ": " + r.description());
  return doc;
}

// Every paragraph (w:p) under `node`, nested ones (in text boxes, tables) too, in document order.
void Paragraphs(pugi::xml_node node, std::vector<pugi::xml_node>* out) {
  for (pugi::xml_node c : node.children()) {
    if (c.type() != pugi::node_element) continue;
    if (LocalName(c.name()) == "p") out->push_back(c);
    Paragraphs(c, out);
  }
}

// The text elements (w:t) of one paragraph, not of paragraphs nested in it.
void TextsOf(pugi::xml_node node, std::vector<pugi::xml_node>* out) {
  for (pugi::xml_node c : node.children()) {
    if (c.type() != pugi::node_element) continue;
    const std::string_view local = LocalName(c.name());
    if (local == "p") continue;
    if (local == "t") {
      out->push_back(c);
      continue;
    }
    TextsOf(c, out);
  }
}

// Sets a w:t's text, spaces kept; a line break in it becomes a w:br between w:t elements of the
// same run.
void SetText(pugi::xml_node t, const std::string& text) {
  size_t nl = text.find('\n');
  const auto set = [](pugi::xml_node node, const std::string& s) {
    if (!node.attribute("xml:space")) node.append_attribute("xml:space") = "preserve";
    node.text().set(s.c_str());
  };
  set(t, text.substr(0, nl));
  pugi::xml_node at = t;
  while (nl != std::string::npos) {
    const size_t next = text.find('\n', nl + 1);
    const std::string prefix = std::string(t.name()).substr(0, std::string(t.name()).find(':') + 1);  // "w:"
    at = t.parent().insert_child_after((prefix + "br").c_str(), at);
    at = t.parent().insert_child_after(t.name(), at);
    set(at, text.substr(nl + 1, next == std::string::npos ? std::string::npos : next - nl - 1));
    nl = next;
  }
}

// Merges one paragraph's placeholders.
Status MergeParagraph(pugi::xml_node p, const std::map<std::string, std::string>& fields) {
  std::vector<pugi::xml_node> nodes;
  TextsOf(p, &nodes);
  std::vector<std::string> texts;
  std::vector<size_t> begins;
  std::string whole;
  for (pugi::xml_node n : nodes) {
    begins.push_back(whole.size());
    texts.emplace_back(n.text().get());
    whole += texts.back();
  }
  if (whole.find("{{") == std::string::npos) return Status::Ok();
  struct Match {
    size_t begin, end;
    std::string value;
  };
  std::vector<Match> matches;
  for (size_t at = whole.find("{{"); at != std::string::npos; at = whole.find("{{", at)) {
    const bool triple = whole.compare(at, 3, "{{{") == 0;
    const size_t close = whole.find(triple ? "}}}" : "}}", at + (triple ? 3 : 2));
    if (close == std::string::npos) break;
    const size_t end = close + (triple ? 3 : 2);
    std::string name = whole.substr(at + (triple ? 3 : 2), close - at - (triple ? 3 : 2));
    while (!name.empty() && name.front() == ' ') name.erase(0, 1);
    while (!name.empty() && name.back() == ' ') name.pop_back();
    if (!name.empty() && (name[0] == '#' || name[0] == '/' || name[0] == '^')) {
      return Status::FailedPrecondition("'" + whole.substr(at, end - at) +
                                        "': sections are for text documents; a Word document takes {{field}} only");
    }
    std::string value;
    if (name.empty() || name[0] != '!') {  // {{! a comment }} merges as nothing
      auto it = fields.find(name);
      if (it != fields.end()) value = it->second;
    }
    matches.push_back({at, end, std::move(value)});
    at = end;
  }
  // From the last match back, so the places of the earlier ones stay as they were.
  std::vector<bool> changed(nodes.size(), false);
  for (auto m = matches.rbegin(); m != matches.rend(); ++m) {
    size_t first = 0, last = 0;
    for (size_t i = 0; i < nodes.size(); ++i) {
      if (begins[i] <= m->begin && m->begin < begins[i] + texts[i].size()) first = i;
      if (begins[i] < m->end && m->end <= begins[i] + texts[i].size()) last = i;
    }
    if (first == last) {
      std::string& t = texts[first];
      t = t.substr(0, m->begin - begins[first]) + m->value + t.substr(m->end - begins[first]);
    } else {
      texts[first] = texts[first].substr(0, m->begin - begins[first]) + m->value;
      for (size_t i = first + 1; i < last; ++i) texts[i].clear();
      texts[last] = texts[last].substr(m->end - begins[last]);
      for (size_t i = first + 1; i <= last; ++i) changed[i] = true;
    }
    changed[first] = true;
  }
  for (size_t i = 0; i < nodes.size(); ++i) {
    if (changed[i]) SetText(nodes[i], texts[i]);
  }
  return Status::Ok();
}

struct StringWriter : pugi::xml_writer {
  std::string out;
  void write(const void* data, size_t size) override { out.append(static_cast<const char*>(data), size); }
};

// One paragraph's text: w:t as written, w:tab as a tab, w:br and w:cr as line breaks.
void ParagraphText(pugi::xml_node node, std::string* out) {
  for (pugi::xml_node c : node.children()) {
    if (c.type() != pugi::node_element) continue;
    const std::string_view local = LocalName(c.name());
    if (local == "p") continue;
    if (local == "t") {
      *out += c.text().get();
    } else if (local == "tab") {
      *out += '\t';
    } else if (local == "br" || local == "cr") {
      *out += '\n';
    } else {
      ParagraphText(c, out);
    }
  }
}

Status RequireBody(const Archive& a) {
  if (a.Find("word/document.xml") < 0) return NotDocx("no word/document.xml in the archive");
  return Status::Ok();
}

}  // namespace
}  // namespace crm::io

using crm::Result;
using crm::Status;

extern "C" Result<std::string> CrmMergeDocx(std::string_view docx, const std::map<std::string, std::string>& fields) {
  crm::io::Archive archive;
  CRM_RETURN_IF_ERROR(archive.Open(docx));
  CRM_RETURN_IF_ERROR(crm::io::RequireBody(archive));
  for (zip_int64_t i = 0; i < archive.entries(); ++i) {
    const std::string part = archive.name(i);
    if (!crm::io::IsTextPart(part)) continue;
    CRM_ASSIGN_OR_RETURN(std::string xml, archive.Read(i));
    pugi::xml_document doc;
    CRM_RETURN_IF_ERROR(crm::io::Parse(xml, part, &doc).status());
    std::vector<pugi::xml_node> paragraphs;
    crm::io::Paragraphs(doc, &paragraphs);
    for (pugi::xml_node p : paragraphs) CRM_RETURN_IF_ERROR(crm::io::MergeParagraph(p, fields));
    crm::io::StringWriter w;
    // Control characters a value may carry (a vertical tab from a spreadsheet) are not XML 1.0:
    // dropped, or Word refuses the document.
    doc.save(w, "", pugi::format_raw | pugi::format_skip_control_chars, pugi::encoding_utf8);
    CRM_RETURN_IF_ERROR(archive.Replace(i, std::move(w.out)));
  }
  return archive.Close();
}

extern "C" Result<std::string> CrmDocxText(std::string_view docx) {
  crm::io::Archive archive;
  CRM_RETURN_IF_ERROR(archive.Open(docx));
  CRM_RETURN_IF_ERROR(crm::io::RequireBody(archive));
  CRM_ASSIGN_OR_RETURN(std::string xml, archive.Read(archive.Find("word/document.xml")));
  pugi::xml_document doc;
  CRM_RETURN_IF_ERROR(crm::io::Parse(xml, "word/document.xml", &doc).status());
  std::vector<pugi::xml_node> paragraphs;
  crm::io::Paragraphs(doc, &paragraphs);
  std::string text;
  for (pugi::xml_node p : paragraphs) {
    crm::io::ParagraphText(p, &text);
    text += '\n';
  }
  return text;
}
