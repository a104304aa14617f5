// Segments (aggregates/segment.h): steps, go-back and redo, header defaults flowing to lines,
// exclusions, written as given events / when command / then events or error. Decisions read a
// Context built from the folded state, as the handler builds it from the projections.
#include "aggregates/segment.h"

#include <doctest/doctest.h>

#include <string>

#include "tests/aggregates/aggregate_test_util.h"

namespace crm::testing {
namespace {

using namespace segment;  // NOLINT: the aggregate under test

// A segment's history folded with segment::Evolve into memory.
struct History {
  reference::State ref = Reference();
  catalog::State catalog;
  Header header;
  MemoryLines lines;
  EnvelopeLog log;
  std::map<RecordNo, ContactFacts> contacts;

  History() {
    Add(*DecideCreate(Cx(), Create{Ctx(), No("SM0001"), "Office Futurus visitors"}));
    for (int i = 1; i <= 6; ++i) contacts[RecordNo(RecordKind::kContact, i)] = ContactFacts{};
  }
  Context Cx() const {
    Context cx;
    cx.reference = &ref;
    cx.catalog = &catalog;
    cx.header = header;
    cx.lines = lines.lines();
    cx.contacts = contacts;
    cx.campaigns = {"CP0001"};
    return cx;
  }
  History& Add(const Events& events) {
    for (const auto& e : events) Evolve(&header, &lines, log.Append(e));
    return *this;
  }
  // Decides and folds in; the decision must succeed.
  History& Do(const Result<Events>& r) {
    REQUIRE(r.ok());
    return Add(*r);
  }
  std::string Lines() const {
    std::string out;
    for (const auto& [id, line] : lines.lines()) out += (out.empty() ? "" : " ") + id.ToString();
    return out;
  }
};

std::vector<RecordNo> Ids(std::initializer_list<int> counters) {
  std::vector<RecordNo> out;
  for (int c : counters) out.emplace_back(RecordKind::kContact, c);
  return out;
}

AddContacts Add(std::vector<RecordNo> ids, std::string criteria = "job_responsibility=PURCHASE") {
  return AddContacts{Ctx(), No("SM0001"), std::move(ids), std::move(criteria)};
}
Narrow Reduce(std::initializer_list<int> matching) {
  Narrow n{Ctx(), No("SM0001"), fb::SegmentStepKind::Reduce};
  for (const auto& id : Ids(matching)) n.matched.insert(id);
  n.criteria = "business_relation=CUST";
  return n;
}

TEST_CASE("add-contacts, reduce, go-back, reduce again: the BC walkthrough in small") {
  History h;
  h.Do(DecideAddContacts(h.Cx(), Add(Ids({1, 2, 3, 4, 5}))));
  CHECK(h.Lines() == "CT0001 CT0002 CT0003 CT0004 CT0005");
  h.Do(DecideNarrow(h.Cx(), Reduce({2, 4, 6})));  // CT0006 is no line: nothing to remove there
  CHECK(h.Lines() == "CT0001 CT0003 CT0005");
  h.Do(DecideGoBack(h.Cx(), GoBack{Ctx(), No("SM0001")}));
  CHECK(h.Lines() == "CT0001 CT0002 CT0003 CT0004 CT0005");
  h.Do(DecideNarrow(h.Cx(), Reduce({2, 4})));
  CHECK(h.Lines() == "CT0001 CT0003 CT0005");
  REQUIRE(h.header.steps.size() == 2);  // the undone reduce was replaced by the new one
  CHECK(h.header.steps[1].removed == 2);
  CHECK(h.header.steps[1].lines_after == 3);
  CHECK(h.header.lines == 3);
}

TEST_CASE("refine keeps only the lines whose contact matches") {
  History h;
  h.Do(DecideAddContacts(h.Cx(), Add(Ids({1, 2, 3}))));
  Narrow refine = Reduce({2});
  refine.kind = fb::SegmentStepKind::Refine;
  h.Do(DecideNarrow(h.Cx(), refine));
  CHECK(h.Lines() == "CT0002");
}

TEST_CASE("go-back restores removed lines with their own values, after manual edits") {
  History h;
  h.Do(DecideAddContacts(h.Cx(), Add(Ids({1, 2}))));
  SetLine edit{Ctx(), No("SM0001"), RecordNo(RecordKind::kContact, 2)};
  edit.subject = "Personal note";
  edit.evaluation = "positive";
  h.Do(DecideSetLine(h.Cx(), edit));
  h.Do(DecideRemoveLines(h.Cx(), RemoveLines{Ctx(), No("SM0001"), Ids({2})}));
  CHECK(h.Lines() == "CT0001");
  h.Do(DecideGoBack(h.Cx(), GoBack{Ctx(), No("SM0001")}));
  REQUIRE(h.lines.Get(RecordNo(RecordKind::kContact, 2)).has_value());
  CHECK(h.lines.Get(RecordNo(RecordKind::kContact, 2))->subject == "Personal note");
  CHECK(h.lines.Get(RecordNo(RecordKind::kContact, 2))->evaluation == "positive");
}

TEST_CASE("go-back is repeatable down to the first step, and no further") {
  History h;
  h.Do(DecideAddContacts(h.Cx(), Add(Ids({1, 2}))));
  h.Do(DecideAddLines(h.Cx(), AddLines{Ctx(), No("SM0001"), Ids({3})}));
  h.Do(DecideNarrow(h.Cx(), Reduce({1})));
  CHECK(h.Lines() == "CT0002 CT0003");
  for (int i = 0; i < 3; ++i) h.Do(DecideGoBack(h.Cx(), GoBack{Ctx(), No("SM0001")}));
  CHECK(h.Lines() == "");
  CHECK(ErrorOf(DecideGoBack(h.Cx(), GoBack{Ctx(), No("SM0001")})) == StatusCode::kFailedPrecondition);
}

TEST_CASE("redo re-applies undone steps in order, until a new step is taken") {
  History h;
  h.Do(DecideAddContacts(h.Cx(), Add(Ids({1, 2, 3}))));
  h.Do(DecideNarrow(h.Cx(), Reduce({1})));
  h.Do(DecideGoBack(h.Cx(), GoBack{Ctx(), No("SM0001")}));
  h.Do(DecideGoBack(h.Cx(), GoBack{Ctx(), No("SM0001")}));
  CHECK(h.Lines() == "");
  h.Do(DecideRedo(h.Cx(), Redo{Ctx(), No("SM0001")}));
  CHECK(h.Lines() == "CT0001 CT0002 CT0003");
  h.Do(DecideRedo(h.Cx(), Redo{Ctx(), No("SM0001")}));
  CHECK(h.Lines() == "CT0002 CT0003");
  CHECK(ErrorOf(DecideRedo(h.Cx(), Redo{Ctx(), No("SM0001")})) == StatusCode::kFailedPrecondition);
  h.Do(DecideGoBack(h.Cx(), GoBack{Ctx(), No("SM0001")}));
  h.Do(DecideAddLines(h.Cx(), AddLines{Ctx(), No("SM0001"), Ids({4})}));  // a new step
  CHECK(ErrorOf(DecideRedo(h.Cx(), Redo{Ctx(), No("SM0001")})) == StatusCode::kFailedPrecondition);
  CHECK(h.Lines() == "CT0001 CT0002 CT0003 CT0004");
}

TEST_CASE("a redone step keeps the values the lines had when it was undone") {
  History h;
  h.Do(DecideAddContacts(h.Cx(), Add(Ids({1}))));
  SetLine edit{Ctx(), No("SM0001"), RecordNo(RecordKind::kContact, 1)};
  edit.subject = "Edited";
  h.Do(DecideSetLine(h.Cx(), edit));
  h.Do(DecideGoBack(h.Cx(), GoBack{Ctx(), No("SM0001")}));
  h.Do(DecideRedo(h.Cx(), Redo{Ctx(), No("SM0001")}));
  REQUIRE(h.lines.Get(RecordNo(RecordKind::kContact, 1)).has_value());
  CHECK(h.lines.Get(RecordNo(RecordKind::kContact, 1))->subject == "Edited");
}

TEST_CASE("contacts excluded from segments are skipped unless --ignore-exclusion") {
  History h;
  h.contacts[RecordNo(RecordKind::kContact, 3)].excluded = true;
  h.Do(DecideAddContacts(h.Cx(), Add(Ids({1, 3}))));
  CHECK(h.Lines() == "CT0001");
  AddContacts again = Add(Ids({3}));
  again.ignore_exclusion = true;
  h.Do(DecideAddContacts(h.Cx(), again));
  CHECK(h.Lines() == "CT0001 CT0003");
  CHECK(ErrorOf(DecideAddLines(h.Cx(), AddLines{Ctx(), No("SM0001"), Ids({3})})) == StatusCode::kOk);  // already a line
  h.contacts[RecordNo(RecordKind::kContact, 4)].excluded = true;
  CHECK(ErrorOf(DecideAddLines(h.Cx(), AddLines{Ctx(), No("SM0001"), Ids({4})})) == StatusCode::kFailedPrecondition);
}

TEST_CASE("expand-companies adds a company's persons; include-companies adds a person's company") {
  History h;
  const RecordNo company(RecordKind::kContact, 1), anna(RecordKind::kContact, 2), bo(RecordKind::kContact, 3);
  h.contacts[company] = ContactFacts{.company = true, .persons = {anna, bo}};
  h.contacts[anna].company_of = company;
  AddContacts expand = Add({company});
  expand.expand_companies = true;
  CHECK(Emitted(DecideAddContacts(h.Cx(), expand)) == "SegmentStepTaken");
  h.Do(DecideAddContacts(h.Cx(), expand));
  CHECK(h.Lines() == "CT0001 CT0002 CT0003");
  History h2;
  h2.contacts = h.contacts;
  AddContacts include = Add({anna});
  include.include_companies = true;
  h2.Do(DecideAddContacts(h2.Cx(), include));
  CHECK(h2.Lines() == "CT0001 CT0002");
}

TEST_CASE("allow-existing starts existing lines again from the defaults; go-back restores them") {
  History h;
  h.Do(DecideAddContacts(h.Cx(), Add(Ids({1}))));
  SetLine edit{Ctx(), No("SM0001"), RecordNo(RecordKind::kContact, 1)};
  edit.subject = "Edited";
  h.Do(DecideSetLine(h.Cx(), edit));
  AddContacts again = Add(Ids({1}));
  CHECK(Emitted(DecideAddContacts(h.Cx(), again)) == "SegmentStepTaken");  // recorded, adds nothing
  again.allow_existing = true;
  h.Do(DecideAddContacts(h.Cx(), again));
  CHECK(h.lines.Get(RecordNo(RecordKind::kContact, 1))->subject == "");
  h.Do(DecideGoBack(h.Cx(), GoBack{Ctx(), No("SM0001")}));
  CHECK(h.lines.Get(RecordNo(RecordKind::kContact, 1))->subject == "Edited");
  CHECK(h.header.lines == 1);
}

TEST_CASE("a header change moves the lines still carrying the old default, and only those") {
  History h;
  h.Do(DecideAddContacts(h.Cx(), Add(Ids({1, 2}))));
  SetLine edit{Ctx(), No("SM0001"), RecordNo(RecordKind::kContact, 2)};
  edit.subject = "Own subject";
  h.Do(DecideSetLine(h.Cx(), edit));
  SetHeader set{Ctx(), No("SM0001")};
  set.subject = "Thank you for visiting";
  auto r = DecideSetHeader(h.Cx(), set);
  REQUIRE(Emitted(r) == "SegmentHeaderChanged");
  CHECK(r->at(0).payload.AsSegmentHeaderChanged()->lines_updated == std::vector<std::string>{"CT0001"});
  h.Do(r);
  CHECK(h.lines.Get(RecordNo(RecordKind::kContact, 1))->subject == "Thank you for visiting");
  CHECK(h.lines.Get(RecordNo(RecordKind::kContact, 2))->subject == "Own subject");
  CHECK(Emitted(DecideSetHeader(h.Cx(), set)) == "nothing");
}

TEST_CASE("the Word-attachments switch is recorded, folded and kept by other header changes") {
  History h;
  CHECK_FALSE(h.header.word_as_attachment);  // Business Central's default: the text is the body
  SetHeader on{Ctx(), No("SM0001")};
  on.word_as_attachment = true;
  auto r = DecideSetHeader(h.Cx(), on);
  REQUIRE(Emitted(r) == "SegmentHeaderChanged");
  CHECK(r->at(0).payload.AsSegmentHeaderChanged()->word_as_attachment);
  h.Do(r);
  CHECK(h.header.word_as_attachment);
  CHECK(Emitted(DecideSetHeader(h.Cx(), on)) == "nothing");
  SetHeader subject{Ctx(), No("SM0001")};
  subject.subject = "Hello";
  h.Do(DecideSetHeader(h.Cx(), subject));
  CHECK(h.header.word_as_attachment);
}

TEST_CASE("setting a template copies its defaults; names must exist; targets need a campaign") {
  History h;
  catalog::TemplateDef bus;
  bus.code = "BUS";
  bus.description = "Business letter";
  bus.unit_cost = Money(150);
  bus.correspondence = fb::Correspondence::Letter;
  bus.language = "ENU";
  h.catalog.templates["BUS"] = bus;
  SetHeader set{Ctx(), No("SM0001")};
  set.interaction_template = "bus";
  h.Do(DecideSetHeader(h.Cx(), set));
  CHECK(h.header.unit_cost == Money(150));
  CHECK(h.header.correspondence == fb::Correspondence::Letter);
  CHECK(h.header.language == "ENU");
  SetHeader missing{Ctx(), No("SM0001")};
  missing.interaction_template = "NOPE";
  CHECK(ErrorOf(DecideSetHeader(h.Cx(), missing)) == StatusCode::kNotFound);
  SetHeader target{Ctx(), No("SM0001")};
  target.campaign_target = true;
  CHECK(ErrorOf(DecideSetHeader(h.Cx(), target)) == StatusCode::kFailedPrecondition);
  target.campaign = "CP0001";
  CHECK(Emitted(DecideSetHeader(h.Cx(), target)) == "SegmentHeaderChanged");
  target.campaign = "CP0009";
  CHECK(ErrorOf(DecideSetHeader(h.Cx(), target)) == StatusCode::kNotFound);
}

TEST_CASE("a step of more lines than one event holds is split into parts of one step") {
  History h;
  std::vector<RecordNo> many;
  for (size_t i = 1; i <= kStepPart + 10; ++i) {
    many.emplace_back(RecordKind::kContact, i);
    h.contacts[many.back()] = ContactFacts{};
  }
  auto r = DecideAddContacts(h.Cx(), Add(many));
  REQUIRE(Emitted(r) == "SegmentStepTaken SegmentStepTaken");
  CHECK(r->at(1).payload.AsSegmentStepTaken()->part == 1);
  CHECK(r->at(1).payload.AsSegmentStepTaken()->step == 1);
  h.Do(r);
  CHECK(h.header.lines == kStepPart + 10);
  REQUIRE(h.header.steps.size() == 1);
  CHECK(h.header.steps[0].added == kStepPart + 10);
  h.Do(DecideGoBack(h.Cx(), GoBack{Ctx(), No("SM0001")}));
  CHECK(h.header.lines == 0);
}

TEST_CASE("line values are checked; a line must exist") {
  History h;
  h.Do(DecideAddContacts(h.Cx(), Add(Ids({1}))));
  SetLine bad{Ctx(), No("SM0001"), RecordNo(RecordKind::kContact, 1)};
  bad.evaluation = "great";
  CHECK(ErrorOf(DecideSetLine(h.Cx(), bad)) == StatusCode::kFailedPrecondition);
  SetLine target{Ctx(), No("SM0001"), RecordNo(RecordKind::kContact, 1)};
  target.campaign_target = true;
  CHECK(ErrorOf(DecideSetLine(h.Cx(), target)) == StatusCode::kFailedPrecondition);  // no campaign yet
  SetLine none{Ctx(), No("SM0001"), RecordNo(RecordKind::kContact, 5)};
  none.subject = "x";
  CHECK(ErrorOf(DecideSetLine(h.Cx(), none)) == StatusCode::kNotFound);
  CHECK(ErrorOf(DecideAddLines(h.Cx(), AddLines{Ctx(), No("SM0001"), {RecordNo(RecordKind::kLead, 1)}})) ==
        StatusCode::kFailedPrecondition);
  CHECK(ErrorOf(DecideAddLines(h.Cx(), AddLines{Ctx(), No("SM0001"), Ids({99})})) == StatusCode::kNotFound);
}

TEST_CASE("a deleted segment takes no change until restored; deleting again changes nothing") {
  History h;
  h.Do(DecideAddLines(h.Cx(), AddLines{Ctx(), No("SM0001"), Ids({1, 2})}));
  const DeleteSegment del{Ctx(), No("SM0001"), false};
  REQUIRE(Emitted(DecideDelete(h.Cx(), del)) == "SegmentDeleted");
  h.Do(DecideDelete(h.Cx(), del));
  CHECK(h.header.deleted);
  CHECK(h.Lines() == "CT0001 CT0002");  // its lines are kept
  CHECK(Emitted(DecideDelete(h.Cx(), del)) == "nothing");
  CHECK(ErrorOf(DecideAddLines(h.Cx(), AddLines{Ctx(), No("SM0001"), Ids({3})})) == StatusCode::kFailedPrecondition);
  CHECK(ErrorOf(DecideGoBack(h.Cx(), GoBack{Ctx(), No("SM0001")})) == StatusCode::kFailedPrecondition);
  h.Do(DecideDelete(h.Cx(), DeleteSegment{Ctx(), No("SM0001"), true}));
  CHECK_FALSE(h.header.deleted);
  CHECK(Emitted(DecideAddLines(h.Cx(), AddLines{Ctx(), No("SM0001"), Ids({3})})) == "SegmentStepTaken");
}

}  // namespace
}  // namespace crm::testing
