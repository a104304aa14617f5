// crmctl segment: target groups (SPEC §4.5): create, set (header), steps (add-contacts,
// reduce, refine, add-line, remove-line), go-back, redo, line set, save-criteria,
// reuse-criteria, criteria, history, show, list.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cmd/app.h"
#include "cmd/table.h"
#include "projections/rows.h"
#include "projections/segment_rows.h"

namespace crm::cli {
namespace {

using nlohmann::json;

int RunSegment(App* app, const std::function<Result<json>(Handler&)>& run,
               const std::function<std::string(const json&)>& human) {
  auto h = app->OpenWriter();
  if (!h.ok()) return app->Fail(h.status());
  return app->Answer(run(**h), human);
}

std::string StepText(const json& a) {
  return "step " + std::to_string(a.value("step", 0)) + " (" + a.value("kind", "") + "): " +
         std::to_string(a.value("added", 0)) + " added, " + std::to_string(a.value("removed", 0)) + " removed, " +
         std::to_string(a.value("lines", 0)) + " lines";
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

int WithSegment(App* app, const std::string& text,
                const std::function<int(Reader&, const segment::Header&)>& print) {
  auto no = RecordNo::Parse(text, RecordKind::kSegment);
  if (!no.ok()) return app->Fail(no.status());
  auto r = app->OpenReader();
  if (!r.ok()) return app->Fail(r.status());
  auto h = r->rm->Segment(*no);
  if (!h.ok()) return app->Fail(h.status());
  if (!*h) return app->Fail(Status::NotFound("segment " + no->ToString() + " does not exist"));
  return print(*r, **h);
}

void AddHeaderCommands(App* app, CLI::App* seg) {
  auto* create = seg->add_subcommand("create", "create a segment");
  auto description = std::make_shared<std::string>();
  create->add_option("--description", *description, "what the segment is for")->required();
  create->callback([app, description] {
    app->SetAction([app, description] {
      return RunSegment(app, [&](Handler& h) { return h.CreateSegment(app->MakeRequest(), *description); },
                        [](const json& a) { return a.value("no", ""); });
    });
  });

  auto* set = seg->add_subcommand("set", "change the header (lines still carrying an old default follow)");
  struct SetOpts {
    std::string no;
    std::optional<std::string> description, campaign, target, response, template_code, language, correspondence, subject,
        attachment, salesperson, date;
  };
  auto o = std::make_shared<SetOpts>();
  set->add_option("SEGMENT", o->no)->required();
  OptionalOption(set, "--description", &o->description, "what the segment is for");
  OptionalOption(set, "--campaign", &o->campaign, "campaign CPxxxx ('' unlinks)");
  OptionalOption(set, "--campaign-target", &o->target, "yes or no");
  OptionalOption(set, "--campaign-response", &o->response, "yes or no");
  OptionalOption(set, "--template", &o->template_code, "interaction template code (copies its defaults)");
  OptionalOption(set, "--language", &o->language, "language code");
  OptionalOption(set, "--correspondence", &o->correspondence, "email or letter");
  OptionalOption(set, "--subject", &o->subject, "subject of the interactions");
  OptionalOption(set, "--attachment", &o->attachment, "a file sent with every line (overrides the template's)");
  OptionalOption(set, "--salesperson", &o->salesperson, "salesperson code");
  OptionalOption(set, "--date", &o->date, "the interactions' date");
  set->callback([app, o] {
    app->SetAction([app, o] {
      segment::SetHeader c;
      auto no = RecordNo::Parse(o->no, RecordKind::kSegment);
      if (!no.ok()) return app->Fail(no.status());
      c.no = *no;
      c.description = o->description;
      c.campaign = o->campaign;
      c.interaction_template = o->template_code;
      c.language = o->language;
      c.subject = o->subject;
      c.salesperson = o->salesperson;
      c.date = o->date;
      auto target = ParseYesNo(o->target, "--campaign-target");
      auto response = ParseYesNo(o->response, "--campaign-response");
      auto corr = OptCorrespondence(o->correspondence);
      for (const Status& s : {target.status(), response.status(), corr.status()}) {
        if (!s.ok()) return app->Fail(s);
      }
      c.campaign_target = *target;
      c.campaign_response = *response;
      c.correspondence = *corr;
      if (o->attachment) {
        auto a = ReadAttachmentFile(*o->attachment);
        if (!a.ok()) return app->Fail(a.status());
        c.attachment = segment::NewAttachment{a->first, a->second};
      }
      return RunSegment(app, [&](Handler& h) { return h.Segment(app->MakeRequest(), c); }, [](const json& a) {
        if (!a.value("changed", false)) return std::string("no change");
        return "changed; " + std::to_string(a.value("lines_updated", 0)) + " lines followed the new defaults";
      });
    });
  });
}

void AddStepCommands(App* app, CLI::App* seg) {
  auto* add = seg->add_subcommand("add-contacts", "step: add the contacts matching --filter");
  auto a = std::make_shared<SegmentAddContacts>();
  auto ano = std::make_shared<std::string>();
  add->add_option("SEGMENT", *ano)->required();
  add->add_option("--filter", a->filter, "FIELD=EXPR over contacts (repeatable)");
  add->add_flag("--allow-existing", a->allow_existing, "start the lines of contacts already in the segment again");
  add->add_flag("--expand-companies", a->expand_companies, "also add the persons of matching companies");
  add->add_flag("--include-companies", a->include_companies, "also add the companies of matching persons");
  add->add_flag("--ignore-exclusion", a->ignore_exclusion, "include contacts excluded from segments");
  add->callback([app, a, ano] {
    app->SetAction([app, a, ano] {
      auto no = RecordNo::Parse(*ano, RecordKind::kSegment);
      if (!no.ok()) return app->Fail(no.status());
      a->no = *no;
      // A malformed filter is a usage error (exit 1), found before any data is opened.
      if (auto f = Filter::Parse(a->filter, SegmentSchema()); !f.ok()) return app->Fail(f.status());
      return RunSegment(app, [&](Handler& h) { return h.Segment(app->MakeRequest(), *a); }, StepText);
    });
  });

  for (auto [name, kind, help] : {std::tuple{"reduce", fb::SegmentStepKind::Reduce, "step: remove the lines whose contact matches --filter"},
                                  std::tuple{"refine", fb::SegmentStepKind::Refine, "step: keep only the lines whose contact matches --filter"}}) {
    auto* sub = seg->add_subcommand(name, help);
    auto n = std::make_shared<SegmentNarrow>();
    auto nno = std::make_shared<std::string>();
    n->kind = kind;
    sub->add_option("SEGMENT", *nno)->required();
    sub->add_option("--filter", n->filter, "FIELD=EXPR over contacts (repeatable)")->required();
    sub->callback([app, n, nno] {
      app->SetAction([app, n, nno] {
        auto no = RecordNo::Parse(*nno, RecordKind::kSegment);
        if (!no.ok()) return app->Fail(no.status());
        n->no = *no;
        if (auto f = Filter::Parse(n->filter, SegmentSchema()); !f.ok()) return app->Fail(f.status());
        return RunSegment(app, [&](Handler& h) { return h.Segment(app->MakeRequest(), *n); }, StepText);
      });
    });
  }

  for (bool adding : {true, false}) {
    auto* sub = seg->add_subcommand(adding ? "add-line" : "remove-line",
                                    adding ? "step: add contacts by hand" : "step: remove lines by hand");
    auto sno = std::make_shared<std::string>();
    auto ids = std::make_shared<std::vector<std::string>>();
    auto ignore = std::make_shared<bool>(false);
    sub->add_option("SEGMENT", *sno)->required();
    sub->add_option("CONTACT", *ids, "CTxxxx ...")->required();
    if (adding) sub->add_flag("--ignore-exclusion", *ignore, "include contacts excluded from segments");
    sub->callback([app, adding, sno, ids, ignore] {
      app->SetAction([app, adding, sno, ids, ignore] {
        auto no = RecordNo::Parse(*sno, RecordKind::kSegment);
        if (!no.ok()) return app->Fail(no.status());
        auto contacts = ContactIds(*ids);
        if (!contacts.ok()) return app->Fail(contacts.status());
        SegmentCommand c = adding ? SegmentCommand(segment::AddLines{{}, *no, *contacts, *ignore})
                                  : SegmentCommand(segment::RemoveLines{{}, *no, *contacts});
        return RunSegment(app, [&](Handler& h) { return h.Segment(app->MakeRequest(), c); }, StepText);
      });
    });
  }

  for (bool back : {true, false}) {
    auto* sub = seg->add_subcommand(back ? "go-back" : "redo",
                                    back ? "undo the last step exactly" : "re-apply the step undone last");
    auto sno = std::make_shared<std::string>();
    sub->add_option("SEGMENT", *sno)->required();
    sub->callback([app, back, sno] {
      app->SetAction([app, back, sno] {
        auto no = RecordNo::Parse(*sno, RecordKind::kSegment);
        if (!no.ok()) return app->Fail(no.status());
        SegmentCommand c = back ? SegmentCommand(segment::GoBack{{}, *no}) : SegmentCommand(segment::Redo{{}, *no});
        return RunSegment(app, [&](Handler& h) { return h.Segment(app->MakeRequest(), c); }, [back](const json& a) {
          return (back ? "undid step " + std::to_string(a.value("undone_step", 0))
                       : "redid step " + std::to_string(a.value("redone_step", 0))) +
                 ": " + std::to_string(a.value("lines", 0)) + " lines";
        });
      });
    });
  }

  auto* line = seg->add_subcommand("line", "one line of a segment");
  line->require_subcommand(1);
  auto* lset = line->add_subcommand("set", "change a line's own values");
  struct LineOpts {
    std::string no, contact;
    std::optional<std::string> description, correspondence, target, language, subject, evaluation;
  };
  auto l = std::make_shared<LineOpts>();
  lset->add_option("SEGMENT", l->no)->required();
  lset->add_option("CONTACT", l->contact)->required();
  OptionalOption(lset, "--description", &l->description, "the line's description");
  OptionalOption(lset, "--correspondence", &l->correspondence, "email or letter");
  OptionalOption(lset, "--campaign-target", &l->target, "yes or no");
  OptionalOption(lset, "--language", &l->language, "language code");
  OptionalOption(lset, "--subject", &l->subject, "subject");
  OptionalOption(lset, "--evaluation", &l->evaluation, "very-positive, positive, neutral, negative, very-negative");
  lset->callback([app, l] {
    app->SetAction([app, l] {
      segment::SetLine c;
      auto no = RecordNo::Parse(l->no, RecordKind::kSegment);
      auto contact = RecordNo::Parse(l->contact, RecordKind::kContact);
      auto target = ParseYesNo(l->target, "--campaign-target");
      auto corr = OptCorrespondence(l->correspondence);
      for (const Status& s : {no.status(), contact.status(), target.status(), corr.status()}) {
        if (!s.ok()) return app->Fail(s);
      }
      c.no = *no;
      c.contact = *contact;
      c.description = l->description;
      c.language = l->language;
      c.subject = l->subject;
      c.evaluation = l->evaluation;
      c.campaign_target = *target;
      c.correspondence = *corr;
      return RunSegment(app, [&](Handler& h) { return h.Segment(app->MakeRequest(), c); },
                        [](const json& a) { return a.value("changed", false) ? "changed" : "no change"; });
    });
  });
}

void AddCriteriaCommands(App* app, CLI::App* seg) {
  auto* save = seg->add_subcommand("save-criteria", "save the steps in effect under a code");
  auto sv = std::make_shared<SegmentSaveCriteria>();
  auto sno = std::make_shared<std::string>();
  save->add_option("SEGMENT", *sno)->required();
  save->add_option("--code", sv->code, "criteria code")->required();
  save->add_option("--description", sv->description, "what they select")->required();
  save->callback([app, sv, sno] {
    app->SetAction([app, sv, sno] {
      auto no = RecordNo::Parse(*sno, RecordKind::kSegment);
      if (!no.ok()) return app->Fail(no.status());
      sv->no = *no;
      return RunSegment(app, [&](Handler& h) { return h.Segment(app->MakeRequest(), *sv); }, [](const json& a) {
        if (!a.value("changed", false)) return std::string("no change");
        return "saved " + std::to_string(a.value("steps", 0)) + " steps as " + a.value("code", "");
      });
    });
  });

  auto* reuse = seg->add_subcommand("reuse-criteria", "run saved criteria again, against today's contacts");
  auto ru = std::make_shared<SegmentReuseCriteria>();
  auto rno = std::make_shared<std::string>();
  reuse->add_option("SEGMENT", *rno)->required();
  reuse->add_option("CODE", ru->code)->required();
  reuse->callback([app, ru, rno] {
    app->SetAction([app, ru, rno] {
      auto no = RecordNo::Parse(*rno, RecordKind::kSegment);
      if (!no.ok()) return app->Fail(no.status());
      ru->no = *no;
      return RunSegment(app, [&](Handler& h) { return h.Segment(app->MakeRequest(), *ru); }, [](const json& a) {
        std::string out;
        for (const auto& step : a["steps"]) out += StepText(step) + "\n";
        return out + std::to_string(a.value("lines", 0)) + " lines";
      });
    });
  });

  auto* reuse_seg = seg->add_subcommand("reuse-segment", "step: add the contacts of a logged segment");
  auto rs = std::make_shared<std::pair<std::string, std::string>>();
  auto rs_ignore = std::make_shared<bool>(false);
  reuse_seg->add_option("SEGMENT", rs->first)->required();
  reuse_seg->add_option("LOGGED-SEGMENT", rs->second)->required();
  reuse_seg->add_flag("--ignore-exclusion", *rs_ignore, "include contacts excluded from segments");
  reuse_seg->callback([app, rs, rs_ignore] {
    app->SetAction([app, rs, rs_ignore] {
      auto no = RecordNo::Parse(rs->first, RecordKind::kSegment);
      auto logged = RecordNo::Parse(rs->second, RecordKind::kLoggedSegment);
      for (const Status& s : {no.status(), logged.status()}) {
        if (!s.ok()) return app->Fail(s);
      }
      SegmentReuseSegment c{*no, *logged, *rs_ignore};
      return RunSegment(app, [&](Handler& h) { return h.Segment(app->MakeRequest(), c); }, StepText);
    });
  });

  seg->add_subcommand("criteria", "list saved criteria")->callback([app] {
    app->SetAction([app] {
      auto r = app->OpenReader();
      if (!r.ok()) return app->Fail(r.status());
      auto catalog = r->rm->Catalog();
      if (!catalog.ok()) return app->Fail(catalog.status());
      json out = ToJson(*catalog)["criteria"];
      Table t({"CODE", "DESCRIPTION", "FROM", "STEPS"});
      for (auto& c : out) {
        std::string steps;
        for (auto& step : c["steps"]) {
          step.erase("kind_code");
          steps += (steps.empty() ? "" : "; ") + step["kind"].get<std::string>() + " " + step["criteria"].get<std::string>();
        }
        t.Add({c["code"], c["description"], c["segment"], steps});
      }
      return app->PrintList(out, t);
    });
  });
}

void AddReadCommands(App* app, CLI::App* seg) {
  auto* show = seg->add_subcommand("show", "the header and the lines");
  auto sno = std::make_shared<std::string>();
  auto limit = std::make_shared<size_t>(0);
  show->add_option("SEGMENT", *sno)->required();
  show->add_option("--limit", *limit, "at most this many lines");
  show->callback([app, sno, limit] {
    app->SetAction([app, sno, limit] {
      return WithSegment(app, *sno, [&](Reader& r, const segment::Header& h) {
        json out = ToJson(h);
        out.erase("steps");
        json lines = json::array();
        size_t n = 0;
        Status s = r.rm->ForEachSegmentLine(h.no, [&](const RecordNo& id, const segment::Line& line) {
          json row = ToJson(line);
          row["contact"] = id.ToString();
          lines.push_back(std::move(row));
          return *limit == 0 || ++n < *limit;
        });
        if (!s.ok()) return app->Fail(s);
        if (app->globals().json) {
          out["line_count"] = out["lines"];  // SPEC §3's shape: the count, then the lines
          out["lines"] = lines;
          app->PrintJson(out);
          return 0;
        }
        for (const auto& [k, v] : out.items()) std::cout << k << ": " << (v.is_string() ? v.get<std::string>() : v.dump()) << '\n';
        Table t({"CONTACT", "DESCRIPTION", "CORRESPONDENCE", "TARGET", "LANGUAGE", "SUBJECT", "EVALUATION"});
        for (const auto& row : lines) {
          t.Add({row["contact"], row["description"], row["correspondence"], row["campaign_target"].get<bool>() ? "yes" : "no",
                 row["language"], row["subject"], row["evaluation"]});
        }
        t.Print(std::cout);
        return 0;
      });
    });
  });

  auto* history = seg->add_subcommand("history", "the steps, with criteria and counts");
  auto hno = std::make_shared<std::string>();
  history->add_option("SEGMENT", *hno)->required();
  history->callback([app, hno] {
    app->SetAction([app, hno] {
      return WithSegment(app, *hno, [&](Reader&, const segment::Header& h) {
        json steps = ToJson(h)["steps"];
        for (auto& s : steps) {
          s.erase("kind_code");
          s["in_effect"] = s["step"].get<uint32_t>() <= h.active;
        }
        if (app->globals().json) {
          app->PrintJson(steps);
          return 0;
        }
        Table t({"STEP", "KIND", "CRITERIA", "OPTIONS", "ADDED", "REMOVED", "LINES", "IN EFFECT"});
        for (const auto& s : steps) {
          t.Add({std::to_string(s["step"].get<uint32_t>()), s["kind"], s["criteria"], s["options"], s["added"].dump(),
                 s["removed"].dump(), s["lines_after"].dump(), s["in_effect"].get<bool>() ? "yes" : "undone"});
        }
        t.Print(std::cout);
        return 0;
      });
    });
  });

  seg->add_subcommand("list", "list segments")->callback([app] {
    app->SetAction([app] {
      auto r = app->OpenReader();
      if (!r.ok()) return app->Fail(r.status());
      json out = json::array();
      Table t({"NO", "DESCRIPTION", "CAMPAIGN", "TEMPLATE", "LINES", "STEPS"});
      Status s = r->rm->ForEachSegment([&](const segment::Header& h) {
        out.push_back({{"no", h.no.ToString()}, {"description", h.description}, {"campaign", h.campaign},
                       {"interaction_template", h.interaction_template}, {"lines", h.lines}, {"steps", h.active}});
        t.Add({h.no.ToString(), h.description, h.campaign, h.interaction_template, std::to_string(h.lines),
               std::to_string(h.active)});
        return true;
      });
      if (!s.ok()) return app->Fail(s);
      return app->PrintList(out, t);
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
}

}  // namespace crm::cli
