// Segment aggregate (stream "segment/SMxxxx", SPEC §4.5): a header with the values its lines
// default to, one line per contact, and the steps that built the lines.
//
// Steps: add-contacts, reduce, refine (by the contacts' criteria), add-lines and remove-lines
// (by hand). Each step is one event naming exactly which contacts it added and removed (a step
// changing more than kStepPart lines is split into parts of one atomic command). `go-back`
// reverses the last step in effect exactly: the lines it added go, the lines it removed come back
// with their own values; repeatable down to the first step. `redo` re-applies the first step
// undone, until a new step is taken. A line takes the header's line defaults when added; a
// header change moves the lines still carrying an old default to the new one.
//
// Rules: a segment needs a description; the campaign, salesperson and interaction template it
// names exist (setting a template copies its defaults: correspondence, unit cost and duration,
// information flow, initiated by, campaign target and response, language); contacts marked
// exclude_from_segment or opted out are skipped unless --ignore-exclusion; a step that changes
// nothing is still recorded (its criteria are part of the history), a repeated command id is not.
// A deleted segment (SegmentDeleted) changes no more until restored.
//
// State is held behind LineStore so that the same Evolve serves a decision's in-memory state and
// the projections' rows (a segment's lines may be millions).
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "aggregates/catalog.h"
#include "aggregates/common.h"
#include "aggregates/reference.h"

namespace crm::segment {

inline constexpr size_t kStepPart = 25000;  // changed lines per SegmentStepTaken event

struct Line {
  std::string description;
  fb::Correspondence correspondence = fb::Correspondence::Email;
  bool campaign_target = false;
  std::string language;
  std::string subject;
  std::string evaluation;
  bool operator==(const Line&) const = default;
};

struct StepInfo {
  uint32_t number = 0;
  fb::SegmentStepKind kind = fb::SegmentStepKind::AddContacts;
  std::string criteria, options;
  std::vector<std::string> filter;  // FIELD=EXPR arguments (criteria steps)
  uint64_t added = 0, removed = 0;
  uint64_t lines_after = 0;
  bool operator==(const StepInfo&) const = default;
};

struct Header {
  bool exists = false;
  RecordNo no;
  std::string description;
  std::string campaign;  // CP number or ""
  bool campaign_target = false, campaign_response = false;
  std::string salesperson, interaction_template, language;
  fb::Correspondence correspondence = fb::Correspondence::Email;
  std::string subject;
  std::string attachment_name, attachment_sha256;
  bool word_as_attachment = false;  // a Word attachment goes as one, merged; else its text is the body
  std::string date;  // ISO date
  Money unit_cost;
  int32_t unit_duration = 0;
  fb::InformationFlow flow = fb::InformationFlow::Outbound;
  fb::InitiatedBy initiated_by = fb::InitiatedBy::Us;
  std::string logged_segment;  // LSxxxx once logged: the segment is read-only
  bool deleted = false;        // out of segment lists, no change until restored (SegmentDeleted)
  uint64_t lines = 0;
  std::vector<StepInfo> steps;  // every step taken, in order; 1..active are in effect
  uint32_t active = 0;

  // The values a new line copies.
  Line Defaults() const;
  bool operator==(const Header&) const = default;
};

// Where a segment's lines and the record of what each step changed are kept. Implementations
// do not fail here: the projections' one records its first storage error and reports it after.
class LineStore {
 public:
  virtual ~LineStore() = default;
  virtual std::optional<Line> Get(const RecordNo& contact) = 0;
  virtual void Put(const RecordNo& contact, const Line& line) = 0;
  virtual void Erase(const RecordNo& contact) = 0;
  // The values a step added or removed a line with (replacing an earlier record of the same).
  virtual void Keep(uint32_t step, bool added, const RecordNo& contact, const Line& values) = 0;
  virtual void ForEachKept(uint32_t step, const std::function<void(bool added, const RecordNo&, const Line&)>& fn) = 0;
};

// A LineStore in memory: decisions and tests.
class MemoryLines final : public LineStore {
 public:
  std::optional<Line> Get(const RecordNo& contact) override;
  void Put(const RecordNo& contact, const Line& line) override { lines_[contact] = line; }
  void Erase(const RecordNo& contact) override { lines_.erase(contact); }
  void Keep(uint32_t step, bool added, const RecordNo& contact, const Line& values) override;
  void ForEachKept(uint32_t step, const std::function<void(bool, const RecordNo&, const Line&)>& fn) override;
  const std::map<RecordNo, Line>& lines() const { return lines_; }

 private:
  std::map<RecordNo, Line> lines_;
  std::map<std::tuple<uint32_t, bool, RecordNo>, Line> kept_;
};

// The events this aggregate owns and folds (events/owner.h: Owner::kSegment).
using OwnEvents = EventList<fb::SegmentCreated, fb::SegmentHeaderChanged, fb::SegmentStepTaken, fb::SegmentStepUndone,
                            fb::SegmentStepRedone, fb::SegmentLogged, fb::SegmentLineChanged, fb::SegmentDeleted>;

// Applies one of this segment's events to its header and lines; other events are ignored.
void Evolve(Header* header, LineStore* lines, const fb::Envelope& env);

// What a decision needs besides the header: the lines with their values, and facts about the
// contacts a step names.
struct ContactFacts {
  bool company = false;
  bool excluded = false;             // exclude_from_segment, or opted out (consent)
  RecordNo company_of;               // a person's company, if any
  std::vector<RecordNo> persons;     // a company's persons
};
struct Context {
  const reference::State* reference = nullptr;
  const catalog::State* catalog = nullptr;
  Header header;
  std::map<RecordNo, Line> lines;
  std::map<RecordNo, ContactFacts> contacts;  // every contact a step names, and their relatives
  std::set<std::string> campaigns;            // campaigns that exist, of those a command names
};

struct Create {
  CommandContext ctx;
  RecordNo no;
  std::string description;
};
struct NewAttachment {
  std::string file_name, content;
};
struct SetHeader {
  CommandContext ctx;
  RecordNo no;
  std::optional<std::string> description, campaign, salesperson, interaction_template, language, subject, date;
  std::optional<bool> campaign_target, campaign_response, word_as_attachment;
  std::optional<fb::Correspondence> correspondence;
  std::optional<NewAttachment> attachment;
};
// add-contacts, or reuse-segment (kind ReuseSegment: the contacts of a logged segment, whose
// number is the criteria).
struct AddContacts {
  CommandContext ctx;
  RecordNo no;
  std::vector<RecordNo> matched;  // contacts matching the criteria
  std::string criteria;
  std::vector<std::string> filter;  // the criteria as FIELD=EXPR arguments
  bool allow_existing = false, expand_companies = false, include_companies = false, ignore_exclusion = false;
  fb::SegmentStepKind kind = fb::SegmentStepKind::AddContacts;
  bool source_found = true;  // reuse-segment: whether the logged segment exists
};
// Reduce removes the lines whose contact matches; refine those whose contact does not.
struct Narrow {
  CommandContext ctx;
  RecordNo no;
  fb::SegmentStepKind kind = fb::SegmentStepKind::Reduce;
  std::set<RecordNo> matched;  // line contacts matching the criteria
  std::string criteria;
  std::vector<std::string> filter;
};
struct AddLines {
  CommandContext ctx;
  RecordNo no;
  std::vector<RecordNo> ids;
  bool ignore_exclusion = false;
};
struct RemoveLines {
  CommandContext ctx;
  RecordNo no;
  std::vector<RecordNo> ids;
};
struct GoBack {
  CommandContext ctx;
  RecordNo no;
};
struct Redo {
  CommandContext ctx;
  RecordNo no;
};
struct SetLine {
  CommandContext ctx;
  RecordNo no;
  RecordNo contact;
  std::optional<std::string> description, language, subject, evaluation;
  std::optional<fb::Correspondence> correspondence;
  std::optional<bool> campaign_target;
};

Result<Events> DecideCreate(const Context& cx, const Create& c);
Result<Events> DecideSetHeader(const Context& cx, const SetHeader& c);
Result<Events> DecideAddContacts(const Context& cx, const AddContacts& c);
Result<Events> DecideNarrow(const Context& cx, const Narrow& c);
Result<Events> DecideAddLines(const Context& cx, const AddLines& c);
Result<Events> DecideRemoveLines(const Context& cx, const RemoveLines& c);
Result<Events> DecideGoBack(const Context& cx, const GoBack& c);
Result<Events> DecideRedo(const Context& cx, const Redo& c);
Result<Events> DecideSetLine(const Context& cx, const SetLine& c);

// segment delete / restore (SPEC §4.11): NotFound for no segment; no events when it already is as
// asked. Nothing depends on a segment (a logged segment keeps its own lines), so deleting is
// never refused; a deleted segment takes no change (every decision above refuses it, and logging:
// aggregates/logging.h) until
// restored.
struct DeleteSegment {
  CommandContext ctx;
  RecordNo no;
  bool restore = false;
};
Result<Events> DecideDelete(const Context& cx, const DeleteSegment& c);

std::string_view StepKindName(fb::SegmentStepKind kind);

// The context as it is once `events` (this command's own earlier steps) took effect, through
// Evolve: for commands that take several steps at once (reuse-criteria).
void Advance(Context* cx, const Events& events);
// "", very-positive, positive, neutral, negative, very-negative (case-insensitive).
Result<std::string> ParseEvaluation(std::string_view text);

}  // namespace crm::segment
