#include "projections/segment_rows.h"

#include "projections/row_codec.h"
#include "projections/rows.h"

namespace crm {

using nlohmann::json;

namespace keys {
std::string SegmentHeader(const RecordNo& segment) { return "h" + SortKey(segment); }
std::string SegmentLinePrefix(const RecordNo& segment) { return "l" + SortKey(segment); }
std::string SegmentLine(const RecordNo& segment, const RecordNo& contact) {
  return SegmentLinePrefix(segment) + SortKey(contact);
}
std::string SegmentKept(const RecordNo& segment, uint32_t step, bool added, const RecordNo& contact) {
  std::string k = "k" + SortKey(segment);
  for (int shift = 24; shift >= 0; shift -= 8) k.push_back(static_cast<char>((step >> shift) & 0xff));
  k.push_back(added ? 'a' : 'r');
  return k + SortKey(contact);
}
}  // namespace keys

json ToJson(const segment::Line& l) {
  return {{"description", l.description},
          {"correspondence", catalog::CorrespondenceName(l.correspondence)},
          {"campaign_target", l.campaign_target},
          {"language", l.language},
          {"subject", l.subject},
          {"evaluation", l.evaluation}};
}

namespace {

constexpr uint8_t kLineVersion = 1;

}  // namespace

std::string EncodeSegmentLine(const segment::Line& l) {
  RowWriter w;
  w.Byte(kLineVersion);
  w.Str(l.description);
  w.Byte(static_cast<uint8_t>(l.correspondence));
  w.Bool(l.campaign_target);
  w.Str(l.language);
  w.Str(l.subject);
  w.Str(l.evaluation);
  return w.Take();
}

Result<segment::Line> DecodeSegmentLine(std::string_view row) {
  segment::Line l;
  RowReader r(row);
  uint8_t version = 0, correspondence = 0;
  if (!r.Byte(&version) || version != kLineVersion || !r.Str(&l.description) || !r.Byte(&correspondence) ||
      correspondence > static_cast<uint8_t>(fb::Correspondence::MAX) || !r.Bool(&l.campaign_target) ||
      !r.Str(&l.language) || !r.Str(&l.subject) || !r.Str(&l.evaluation) || !r.done()) {
    return Status::Corruption("a segment line row does not decode");
  }
  l.correspondence = static_cast<fb::Correspondence>(correspondence);
  return l;
}

json ToJson(const segment::Header& h) {
  json steps = json::array();
  for (const auto& s : h.steps) {
    steps.push_back({{"step", s.number},
                     {"kind", segment::StepKindName(s.kind)},
                     {"kind_code", static_cast<int>(s.kind)},
                     {"criteria", s.criteria},
                     {"options", s.options},
                     {"filter", s.filter},
                     {"added", s.added},
                     {"removed", s.removed},
                     {"lines_after", s.lines_after}});
  }
  json j = {{"no", h.no.ToString()},
          {"description", h.description},
          {"campaign", h.campaign},
          {"campaign_target", h.campaign_target},
          {"campaign_response", h.campaign_response},
          {"salesperson", h.salesperson},
          {"interaction_template", h.interaction_template},
          {"language", h.language},
          {"correspondence", catalog::CorrespondenceName(h.correspondence)},
          {"subject", h.subject},
          {"attachment", {{"file_name", h.attachment_name}, {"sha256", h.attachment_sha256}}},
          {"word_as_attachment", h.word_as_attachment},
          {"date", h.date},
          {"unit_cost", FormatMoney(h.unit_cost)},
          {"unit_duration", h.unit_duration},
          {"information_flow", catalog::InformationFlowName(h.flow)},
          {"initiated_by", catalog::InitiatedByName(h.initiated_by)},
          {"lines", h.lines},
          {"logged_segment", h.logged_segment},
          {"steps", steps},
          {"active_steps", h.active}};
  if (h.deleted) j["deleted"] = true;  // only then, so rows of older data sets compare equal
  return j;
}

segment::Header SegmentHeaderFromJson(const json& j) {
  segment::Header h;
  h.exists = true;
  h.no = RecordNo::Parse(j.at("no").get<std::string>()).value();
  h.description = j.at("description");
  h.campaign = j.at("campaign");
  h.campaign_target = j.at("campaign_target");
  h.campaign_response = j.at("campaign_response");
  h.salesperson = j.at("salesperson");
  h.interaction_template = j.at("interaction_template");
  h.language = j.at("language");
  h.correspondence = catalog::ParseCorrespondence(j.at("correspondence").get<std::string>()).value();
  h.subject = j.at("subject");
  h.attachment_name = j.at("attachment").at("file_name");
  h.word_as_attachment = j.value("word_as_attachment", false);  // rows before schema 12 lack it
  h.attachment_sha256 = j.at("attachment").at("sha256");
  h.date = j.at("date");
  h.unit_cost = ParseMoney(j.at("unit_cost").get<std::string>()).value();
  h.unit_duration = j.at("unit_duration");
  h.flow = catalog::ParseInformationFlow(j.at("information_flow").get<std::string>()).value();
  h.initiated_by = catalog::ParseInitiatedBy(j.at("initiated_by").get<std::string>()).value();
  h.lines = j.at("lines");
  h.logged_segment = j.value("logged_segment", "");
  for (const auto& s : j.at("steps")) {
    h.steps.push_back({s.at("step"), static_cast<fb::SegmentStepKind>(s.at("kind_code").get<int>()), s.at("criteria"),
                       s.at("options"), s.value("filter", std::vector<std::string>()), s.at("added"), s.at("removed"),
                       s.at("lines_after")});
  }
  h.active = j.at("active_steps");
  h.deleted = j.value("deleted", false);
  return h;
}

RowLines::RowLines(Store* store, Store::Txn* txn, RecordNo segment)
    : txn_(txn), cf_(store->Cf(kCfSegments)), segment_(segment) {}

std::optional<segment::Line> RowLines::Get(const RecordNo& contact) {
  auto row = txn_->Get(cf_, keys::SegmentLine(segment_, contact));
  if (!row.ok()) {
    if (row.status().code() != StatusCode::kNotFound) Fail(row.status());
    return std::nullopt;
  }
  auto line = DecodeSegmentLine(*row);
  if (!line.ok()) {
    Fail(line.status());
    return std::nullopt;
  }
  return *line;
}

void RowLines::Put(const RecordNo& contact, const segment::Line& line) {
  txn_->Put(cf_, keys::SegmentLine(segment_, contact), EncodeSegmentLine(line));
}

void RowLines::Erase(const RecordNo& contact) { txn_->Delete(cf_, keys::SegmentLine(segment_, contact)); }

void RowLines::Keep(uint32_t step, bool added, const RecordNo& contact, const segment::Line& values) {
  txn_->Put(cf_, keys::SegmentKept(segment_, step, added, contact), EncodeSegmentLine(values));
}

void RowLines::ForEachKept(uint32_t step, const std::function<void(bool, const RecordNo&, const segment::Line&)>& fn) {
  const std::string prefix = keys::SegmentKept(segment_, step, true, RecordNo()).substr(0, 1 + 10 + 4);
  Status s = txn_->ScanPrefix(cf_, prefix, [&](std::string_view key, std::string_view value) {
    if (!status_.ok() || key.size() != prefix.size() + 1 + 10) return;
    auto contact = FromSortKey(key.substr(prefix.size() + 1));
    auto line = DecodeSegmentLine(value);
    if (!contact.ok() || !line.ok()) {
      Fail(Status::Corruption("segment step row of " + segment_.ToString()));
      return;
    }
    fn(key[prefix.size()] == 'a', *contact, *line);
  });
  if (!s.ok()) Fail(s);
}

}  // namespace crm
