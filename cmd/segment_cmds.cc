// crmctl segment: target groups (SPEC §4.5): create, set (header), steps (add-contacts,
// reduce, refine, add-line, remove-line), go-back, redo, line set, save-criteria,
// reuse-criteria, criteria, history, show, list.
#include <sstream>

#include "cmd/app.h"
#include "cmd/list_page.h"
#include "cmd/table.h"
#include "projections/rows.h"
#include "projections/segment_rows.h"

namespace crm::cli {
namespace {

using nlohmann::json;

Result<RecordNo> SegmentNo(const std::string& text) { return RecordNo::Parse(text, RecordKind::kSegment); }

// The SEGMENT argument a subcommand takes first.
std::shared_ptr<std::string> SegmentArg(CLI::App* sub) {
  auto no = std::make_shared<std::string>();
  sub->add_option("SEGMENT", *no)->required();
  return no;
}

Result<Output> RunSegment(App* app, const SegmentCommand& c, const App::HumanFn& human) {
  return app->Write([&](Handler& h, const Request& rq) { return h.Segment(rq, c); }, human);
}

std::string StepText(const json& a) {
  return "step " + std::to_string(a.value("step", 0)) + " (" + a.value("kind", "") + "): " +
         std::to_string(a.value("added", 0)) + " added, " + std::to_string(a.value("removed", 0)) + " removed, " +
         std::to_string(a.value("lines", 0)) + " lines";
}

// A step selecting contacts by --filter on segment `no`.
template <typename Step>
Result<Output> RunFilterStep(App* app, const std::string& no, Step* step) {
  CRM_ASSIGN_OR_RETURN(step->no, SegmentNo(no));
  // A malformed filter is a usage error (exit 1), found before any data is opened.
  CRM_RETURN_IF_ERROR(Filter::CheckSyntax(step->filter, SegmentSchema()));
  return RunSegment(app, *step, StepText);
}

Result<std::vector<RecordNo>> ContactIds(const std::vector<std::string>& texts) {
  std::vector<RecordNo> ids;
  for (const auto& t : texts) {
    CRM_ASSIGN_OR_RETURN(RecordNo id, RecordNo::Parse(t));
    ids.push_back(id);
  }
  return ids;
}

Result<std::optional<fb::Correspondence>> OptCorrespondence(const std::optional<std::string>& text) {
  if (!text) return std::optional<fb::Correspondence>();
  CRM_ASSIGN_OR_RETURN(fb::Correspondence c, catalog::ParseCorrespondence(*text));
  return std::optional<fb::Correspondence>(c);
}

Result<Output> WithSegment(App* app, const std::string& text,
                           const std::function<Result<Output>(Reader&, const segment::Header&)>& print) {
  CRM_ASSIGN_OR_RETURN(RecordNo no, SegmentNo(text));
  CRM_ASSIGN_OR_RETURN(Reader r, app->OpenReader());
  CRM_ASSIGN_OR_RETURN(auto h, r.rm->Segment(no));
  if (!h) return Status::NotFound("segment " + no.ToString() + " does not exist");
  return print(r, *h);
}

void AddHeaderCommands(App* app, CLI::App* seg) {
  auto* create = seg->add_subcommand("create", "create a segment");
  auto description = std::make_shared<std::string>();
  create->add_option("--description", *description, "what the segment is for")->required();
  app->On(create, [app, description] {
    return app->Write([&](Handler& h, const Request& rq) { return h.CreateSegment(rq, *description); },
                      [](const json& a) { return a.value("no", ""); });
  });

  auto* set = seg->add_subcommand("set", "change the header (lines still carrying an old default follow)");
  struct SetOpts {
    segment::SetHeader c;  // its text fields as given
    std::optional<std::string> target, response, correspondence, attachment, word_attachments;
  };
  auto o = std::make_shared<SetOpts>();
  auto no = SegmentArg(set);
  OptionalOption(set, "--description", &o->c.description, "what the segment is for");
  OptionalOption(set, "--campaign", &o->c.campaign, "campaign CPxxxx ('' unlinks)");
  OptionalOption(set, "--campaign-target", &o->target, "yes or no");
  OptionalOption(set, "--campaign-response", &o->response, "yes or no");
  OptionalOption(set, "--template", &o->c.interaction_template, "interaction template code (copies its defaults)");
  OptionalOption(set, "--language", &o->c.language, "language code");
  OptionalOption(set, "--correspondence", &o->correspondence, "email or letter");
  OptionalOption(set, "--subject", &o->c.subject, "subject of the interactions");
  OptionalOption(set, "--attachment", &o->attachment, "a file sent with every line (overrides the template's)");
  OptionalOption(set, "--word-attachments", &o->word_attachments,
                 "yes: a Word attachment goes merged as the email's attachment; no (default): its text is the body");
  OptionalOption(set, "--salesperson", &o->c.salesperson, "salesperson code");
  OptionalOption(set, "--date", &o->c.date, "the interactions' date");
  app->On(set, [app, no, o]() -> Result<Output> {
    segment::SetHeader& c = o->c;
    CRM_ASSIGN_OR_RETURN(c.no, SegmentNo(*no));
    CRM_ASSIGN_OR_RETURN(c.campaign_target, ParseYesNo(o->target, "--campaign-target"));
    CRM_ASSIGN_OR_RETURN(c.campaign_response, ParseYesNo(o->response, "--campaign-response"));
    CRM_ASSIGN_OR_RETURN(c.word_as_attachment, ParseYesNo(o->word_attachments, "--word-attachments"));
    CRM_ASSIGN_OR_RETURN(c.correspondence, OptCorrespondence(o->correspondence));
    if (o->attachment) {
      CRM_ASSIGN_OR_RETURN(auto a, ReadAttachmentFile(*o->attachment));
      c.attachment = segment::NewAttachment{a.first, a.second};
    }
    return RunSegment(app, c, [](const json& a) {
      if (!a.value("changed", false)) return std::string("no change");
      return "changed; " + std::to_string(a.value("lines_updated", 0)) + " lines followed the new defaults";
    });
  });
}

void AddStepCommands(App* app, CLI::App* seg) {
  auto* add = seg->add_subcommand("add-contacts", "step: add the contacts matching --filter");
  auto a = std::make_shared<SegmentAddContacts>();
  auto ano = SegmentArg(add);
  add->add_option("--filter", a->filter, "FIELD=EXPR over contacts (repeatable)");
  add->add_flag("--allow-existing", a->allow_existing, "start the lines of contacts already in the segment again");
  add->add_flag("--expand-companies", a->expand_companies, "also add the persons of matching companies");
  add->add_flag("--include-companies", a->include_companies, "also add the companies of matching persons");
  add->add_flag("--ignore-exclusion", a->ignore_exclusion, "include contacts excluded from segments");
  app->On(add, [app, a, ano] { return RunFilterStep(app, *ano, a.get()); });

  using fb::SegmentStepKind;
  for (auto [name, kind, help] :
       {std::tuple{"reduce", SegmentStepKind::Reduce, "step: remove the lines whose contact matches --filter"},
        std::tuple{"refine", SegmentStepKind::Refine, "step: keep only the lines whose contact matches --filter"}}) {
    auto* sub = seg->add_subcommand(name, help);
    auto n = std::make_shared<SegmentNarrow>();
    auto nno = SegmentArg(sub);
    n->kind = kind;
    sub->add_option("--filter", n->filter, "FIELD=EXPR over contacts (repeatable)")->required();
    app->On(sub, [app, n, nno] { return RunFilterStep(app, *nno, n.get()); });
  }

  for (bool adding : {true, false}) {
    auto* sub = seg->add_subcommand(adding ? "add-line" : "remove-line",
                                    adding ? "step: add contacts by hand" : "step: remove lines by hand");
    auto sno = SegmentArg(sub);
    auto ids = std::make_shared<std::vector<std::string>>();
    auto ignore = std::make_shared<bool>(false);
    sub->add_option("CONTACT", *ids, "CTxxxx ...")->required();
    if (adding) sub->add_flag("--ignore-exclusion", *ignore, "include contacts excluded from segments");
    app->On(sub, [app, adding, sno, ids, ignore]() -> Result<Output> {
      CRM_ASSIGN_OR_RETURN(RecordNo no, SegmentNo(*sno));
      CRM_ASSIGN_OR_RETURN(std::vector<RecordNo> contacts, ContactIds(*ids));
      SegmentCommand c = adding ? SegmentCommand(segment::AddLines{{}, no, contacts, *ignore})
                                : SegmentCommand(segment::RemoveLines{{}, no, contacts});
      return RunSegment(app, c, StepText);
    });
  }

  for (bool back : {true, false}) {
    auto* sub = seg->add_subcommand(back ? "go-back" : "redo",
                                    back ? "undo the last step exactly" : "re-apply the step undone last");
    auto sno = SegmentArg(sub);
    app->On(sub, [app, back, sno]() -> Result<Output> {
      CRM_ASSIGN_OR_RETURN(RecordNo no, SegmentNo(*sno));
      SegmentCommand c = back ? SegmentCommand(segment::GoBack{{}, no}) : SegmentCommand(segment::Redo{{}, no});
      return RunSegment(app, c, [back](const json& a) {
        return (back ? "undid step " + std::to_string(a.value("undone_step", 0))
                     : "redid step " + std::to_string(a.value("redone_step", 0))) +
               ": " + std::to_string(a.value("lines", 0)) + " lines";
      });
    });
  }

  auto* line = seg->add_subcommand("line", "one line of a segment");
  line->require_subcommand(1);
  auto* lset = line->add_subcommand("set", "change a line's own values");
  struct LineOpts {
    std::string no, contact;
    segment::SetLine c;  // its text fields as given
    std::optional<std::string> correspondence, target;
  };
  auto l = std::make_shared<LineOpts>();
  lset->add_option("SEGMENT", l->no)->required();
  lset->add_option("CONTACT", l->contact)->required();
  OptionalOption(lset, "--description", &l->c.description, "the line's description");
  OptionalOption(lset, "--correspondence", &l->correspondence, "email or letter");
  OptionalOption(lset, "--campaign-target", &l->target, "yes or no");
  OptionalOption(lset, "--language", &l->c.language, "language code");
  OptionalOption(lset, "--subject", &l->c.subject, "subject");
  OptionalOption(lset, "--evaluation", &l->c.evaluation, "very-positive, positive, neutral, negative, very-negative");
  app->On(lset, [app, l]() -> Result<Output> {
    segment::SetLine& c = l->c;
    CRM_ASSIGN_OR_RETURN(c.no, SegmentNo(l->no));
    CRM_ASSIGN_OR_RETURN(c.contact, RecordNo::Parse(l->contact, RecordKind::kContact));
    CRM_ASSIGN_OR_RETURN(c.campaign_target, ParseYesNo(l->target, "--campaign-target"));
    CRM_ASSIGN_OR_RETURN(c.correspondence, OptCorrespondence(l->correspondence));
    return RunSegment(app, c, [](const json& a) { return a.value("changed", false) ? "changed" : "no change"; });
  });
}

void AddCriteriaCommands(App* app, CLI::App* seg) {
  auto* save = seg->add_subcommand("save-criteria", "save the steps in effect under a code");
  auto sv = std::make_shared<SegmentSaveCriteria>();
  auto sno = SegmentArg(save);
  save->add_option("--code", sv->code, "criteria code")->required();
  save->add_option("--description", sv->description, "what they select")->required();
  app->On(save, [app, sv, sno]() -> Result<Output> {
    CRM_ASSIGN_OR_RETURN(sv->no, SegmentNo(*sno));
    return RunSegment(app, *sv, [](const json& a) {
      if (!a.value("changed", false)) return std::string("no change");
      return "saved " + std::to_string(a.value("steps", 0)) + " steps as " + a.value("code", "");
    });
  });

  auto* reuse = seg->add_subcommand("reuse-criteria", "run saved criteria again, against today's contacts");
  auto ru = std::make_shared<SegmentReuseCriteria>();
  auto rno = SegmentArg(reuse);
  reuse->add_option("CODE", ru->code)->required();
  app->On(reuse, [app, ru, rno]() -> Result<Output> {
    CRM_ASSIGN_OR_RETURN(ru->no, SegmentNo(*rno));
    return RunSegment(app, *ru, [](const json& a) {
      std::string out;
      for (const auto& step : a["steps"]) out += StepText(step) + "\n";
      return out + std::to_string(a.value("lines", 0)) + " lines";
    });
  });

  auto* reuse_seg = seg->add_subcommand("reuse-segment", "step: add the contacts of a logged segment");
  auto rs_no = SegmentArg(reuse_seg);
  auto rs_logged = std::make_shared<std::string>();
  auto rs = std::make_shared<SegmentReuseSegment>();
  reuse_seg->add_option("LOGGED-SEGMENT", *rs_logged)->required();
  reuse_seg->add_flag("--ignore-exclusion", rs->ignore_exclusion, "include contacts excluded from segments");
  app->On(reuse_seg, [app, rs_no, rs_logged, rs]() -> Result<Output> {
    CRM_ASSIGN_OR_RETURN(rs->no, SegmentNo(*rs_no));
    CRM_ASSIGN_OR_RETURN(rs->logged, RecordNo::Parse(*rs_logged, RecordKind::kLoggedSegment));
    return RunSegment(app, *rs, StepText);
  });

  app->On(seg->add_subcommand("criteria", "list saved criteria"), [app] {
    return WithCatalog(app, [](const catalog::State& st) {
      json out = ToJson(st)["criteria"];
      Table t({"CODE", "DESCRIPTION", "FROM", "STEPS"});
      for (auto& c : out) {
        std::string steps;
        for (auto& step : c["steps"]) {
          step.erase("kind_code");
          steps += (steps.empty() ? "" : "; ") + step["kind"].get<std::string>() + " " +
                   step["criteria"].get<std::string>();
        }
        t.Add({c["code"], c["description"], c["segment"], steps});
      }
      return ListOutput(std::move(out), t);
    });
  });
}

void AddReadCommands(App* app, CLI::App* seg) {
  auto* show = seg->add_subcommand("show", "the header and the lines");
  auto sno = SegmentArg(show);
  auto limit = std::make_shared<size_t>(0);
  show->add_option("--limit", *limit, "at most this many lines");
  app->On(show, [app, sno, limit] {
    return WithSegment(app, *sno, [&](Reader& r, const segment::Header& h) -> Result<Output> {
      json out = ToJson(h);
      out.erase("steps");
      json lines = json::array();
      size_t n = 0;
      CRM_RETURN_IF_ERROR(r.rm->ForEachSegmentLine(h.no, [&](const RecordNo& id, const segment::Line& line) {
        json row = ToJson(line);
        row["contact"] = id.ToString();
        lines.push_back(std::move(row));
        return *limit == 0 || ++n < *limit;
      }));
      std::ostringstream text;
      for (const auto& [k, v] : out.items()) {
        text << k << ": " << (v.is_string() ? v.get<std::string>() : v.dump()) << '\n';
      }
      Table t({"CONTACT", "DESCRIPTION", "CORRESPONDENCE", "TARGET", "LANGUAGE", "SUBJECT", "EVALUATION"});
      for (const auto& row : lines) {
        t.Add({row["contact"], row["description"], row["correspondence"],
               row["campaign_target"].get<bool>() ? "yes" : "no", row["language"], row["subject"], row["evaluation"]});
      }
      t.Print(text);
      out["line_count"] = out["lines"];  // SPEC §3's shape: the count, then the lines
      out["lines"] = std::move(lines);
      return JsonOrText(std::move(out), text.str());
    });
  });

  auto* history = seg->add_subcommand("history", "the steps, with criteria and counts");
  auto hno = SegmentArg(history);
  app->On(history, [app, hno] {
    return WithSegment(app, *hno, [&](Reader&, const segment::Header& h) {
      json steps = ToJson(h)["steps"];
      for (auto& s : steps) {
        s.erase("kind_code");
        s["in_effect"] = s["step"].get<uint32_t>() <= h.active;
      }
      Table t({"STEP", "KIND", "CRITERIA", "OPTIONS", "ADDED", "REMOVED", "LINES", "IN EFFECT"});
      for (const auto& s : steps) {
        t.Add({std::to_string(s["step"].get<uint32_t>()), s["kind"], s["criteria"], s["options"], s["added"].dump(),
               s["removed"].dump(), s["lines_after"].dump(), s["in_effect"].get<bool>() ? "yes" : "undone"});
      }
      return ListOutput(std::move(steps), t);
    });
  });

  auto* list = seg->add_subcommand("list", "list segments");
  auto query = AddListQuery(list);
  auto deleted = std::make_shared<bool>(false);
  list->add_flag("--deleted", *deleted, "deleted segments too (segment delete)");
  app->On(list, [app, query, deleted]() -> Result<Output> {
    CRM_ASSIGN_OR_RETURN(Reader r, app->OpenReader());
    CRM_ASSIGN_OR_RETURN(ListPage page, ListPage::Make(*query, "no", {"description", "campaign"}));
    CRM_RETURN_IF_ERROR(r.rm->ForEachSegment([&](const segment::Header& h) {
      if (h.deleted && !*deleted) return true;
      json row = {{"no", h.no.ToString()},  {"description", h.description}, {"campaign", h.campaign},
                  {"interaction_template", h.interaction_template}, {"lines", h.lines}, {"steps", h.active}};
      if (h.deleted) row["deleted"] = true;  // only then, as a contact's
      return page.Offer(std::move(row));
    }));
    return page.Finish(app->globals().json, {"NO", "DESCRIPTION", "CAMPAIGN", "TEMPLATE", "LINES", "STEPS"},
                       [](const json& h) {
                         return std::vector<std::string>{h["no"], h["description"], h["campaign"],
                                                         h["interaction_template"], h["lines"].dump(), h["steps"].dump()};
                       });
  });
}

}  // namespace

void AddSegmentCommands(App* app) {
  auto* seg = app->cli().add_subcommand("segment", "segments: target groups built in steps");
  seg->require_subcommand(1);
  AddHeaderCommands(app, seg);
  AddStepCommands(app, seg);
  AddCriteriaCommands(app, seg);
  AddReadCommands(app, seg);
  AddInteractionCommands(app, seg);
  AddDeleteRestore(app, seg, RecordKind::kSegment,
                   "delete: out of segment lists, no change until restored (lines, steps and history kept)",
                   [](Handler& h, const Request& rq, const RecordNo& no, bool restore) {
                     return h.Segment(rq, segment::DeleteSegment{{}, no, restore});
                   });
}

}  // namespace crm::cli
