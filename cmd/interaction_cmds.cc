// crmctl segment log, interactions, logged-segment and campaign-entry (SPEC §4.6): logging a
// segment (and with --send delivering it, app/delivery), reading what it wrote, canceling and
// deleting entries.
#include "cmd/app.h"
#include "cmd/list_page.h"
#include "cmd/report_text.h"
#include "app/delivery.h"
#include "cmd/table.h"

namespace crm::cli {
namespace {

using nlohmann::json;

// A record number option that may be absent ("": none).
Result<RecordNo> OptionalNo(const std::string& text, RecordKind kind) {
  if (text.empty()) return RecordNo();
  return RecordNo::Parse(text, kind);
}

std::string LogSummary(const json& a) {
  std::string out = "logged " + a.value("segment", "") + " as " + a.value("logged_segment", "") + ": " +
                    std::to_string(a.value("interactions", 0)) + " interactions";
  if (a.contains("campaign_entry")) {
    out += ", campaign entry " + a.value("campaign_entry", "") + ", " + std::to_string(a.value("members_added", 0)) +
           " members added, " + std::to_string(a.value("responses", 0)) + " responses";
  }
  if (a.contains("follow_up")) out += "; follow-up segment " + a.value("follow_up", "");
  return out;
}

void AddLogCommand(App* app, CLI::App* seg) {
  auto* log = seg->add_subcommand("log", "log the segment: interactions, campaign entry, roster changes");
  auto no = std::make_shared<std::string>();
  auto o = std::make_shared<SegmentLogOptions>();
  log->add_option("SEGMENT", *no)->required();
  log->add_flag("--follow-up", o->follow_up, "create a follow-up segment with the same campaign and contacts");
  log->add_option("--member-status", o->member_status,
                  "status of new campaign-target members (default: the default status)");
  log->add_flag("--send", o->send, "deliver the interactions: emails over SMTP, letters to the outbox");
  auto d = std::make_shared<DeliveryOptions>();
  log->add_flag("--include-opted-out", d->include_opted_out, "with --send: deliver to opted-out contacts too");
  app->On(log, [app, no, o, d]() -> Result<Output> {
    CRM_ASSIGN_OR_RETURN(RecordNo sm, RecordNo::Parse(*no, RecordKind::kSegment));
    if (o->send) {
      CRM_RETURN_IF_ERROR(SmtpTimeout().status());
    }
    // Not app->Write: the delivery that follows a logging with --send uses the same writer.
    CRM_ASSIGN_OR_RETURN(auto h, app->OpenWriter());
    const Request request = app->MakeRequest();
    auto answer = h->LogSegment(request, sm, *o);
    if (!answer.ok() || !o->send) return app->Answer(answer, LogSummary);
    CRM_ASSIGN_OR_RETURN(RecordNo logged,
                         RecordNo::Parse(answer->value("logged_segment", ""), RecordKind::kLoggedSegment));
    return DeliveryOutput(app, *answer, LogSummary(*answer),
                          DeliverLoggedSegment(h.get(), app->globals().data_dir, request, logged, *d));
  });
}

// `cancel [--undo]` and `delete` under a group, for one kind of entry.
void AddCancelDelete(App* app, CLI::App* group, RecordKind kind, const char* what) {
  auto* cancel = group->add_subcommand("cancel", std::string("cancel a ") + what + " (it leaves the statistics)");
  auto cno = std::make_shared<std::string>();
  auto undo = std::make_shared<bool>(false);
  cancel->add_option("NO", *cno)->required();
  cancel->add_flag("--undo", *undo, "reverse the cancel");
  app->On(cancel, [app, kind, cno, undo]() -> Result<Output> {
    CRM_ASSIGN_OR_RETURN(RecordNo no, RecordNo::Parse(*cno, kind));
    return app->Write([&](Handler& h, const Request& rq) { return h.CancelEntry(rq, no, *undo); },
                      [undo](const json& a) {
                        if (!a.value("changed", false)) return std::string("no change");
                        return (*undo ? "restored " : "canceled ") + a.value("entry", "");
                      });
  });
  auto* del = group->add_subcommand("delete", std::string("delete a canceled ") + what + " from the read models");
  auto dno = std::make_shared<std::string>();
  del->add_option("NO", *dno)->required();
  app->On(del, [app, kind, dno]() -> Result<Output> {
    CRM_ASSIGN_OR_RETURN(RecordNo no, RecordNo::Parse(*dno, kind));
    return app->Write([&](Handler& h, const Request& rq) { return h.DeleteEntry(rq, no); }, [](const json& a) {
      return a.value("changed", false) ? "deleted " + a.value("entry", "") : std::string("no change");
    });
  });
}

// interaction log: one interaction entered by hand; the template gives what is not given.
void AddManualLog(App* app, CLI::App* group) {
  auto* log = group->add_subcommand("log", "log one interaction with a contact by hand");
  struct Opts {
    logging::ManualInteraction c;  // the options taken as they are
    std::string contact, campaign;
    std::optional<std::string> correspondence, cost, duration;
  };
  auto o = std::make_shared<Opts>();
  log->add_option("CONTACT", o->contact)->required();
  log->add_option("--template", o->c.interaction_template, "interaction template code")->required();
  OptionalOption(log, "--description", &o->c.description, "default: the template's");
  OptionalOption(log, "--subject", &o->c.subject, "subject");
  OptionalOption(log, "--language", &o->c.language, "language code");
  OptionalOption(log, "--correspondence", &o->correspondence, "email or letter");
  OptionalOption(log, "--cost", &o->cost, "default: the template's unit cost");
  OptionalOption(log, "--duration", &o->duration, "minutes; default: the template's");
  OptionalOption(log, "--evaluation", &o->c.evaluation, "very-positive ... very-negative");
  OptionalOption(log, "--date", &o->c.date, "the day it happened (default: today)");
  log->add_option("--campaign", o->campaign, "campaign CPxxxx");
  log->add_flag("--campaign-target", o->c.campaign_target, "the contact was a campaign target");
  log->add_flag("--campaign-response", o->c.campaign_response, "the interaction is a response to the campaign");
  app->On(log, [app, o]() -> Result<Output> {
    logging::ManualInteraction c = o->c;
    CRM_ASSIGN_OR_RETURN(c.contact, RecordNo::Parse(o->contact, RecordKind::kContact));
    if (o->correspondence) {
      CRM_ASSIGN_OR_RETURN(c.correspondence, catalog::ParseCorrespondence(*o->correspondence));
    }
    CRM_ASSIGN_OR_RETURN(c.cost, OptMoney(o->cost, "--cost"));
    CRM_ASSIGN_OR_RETURN(c.duration, OptMinutes(o->duration, "--duration"));
    CRM_ASSIGN_OR_RETURN(c.campaign, OptionalNo(o->campaign, RecordKind::kCampaign));
    return app->Write([&](Handler& h, const Request& rq) { return h.LogInteraction(rq, c); },
                      [](const json& a) { return a.value("entry", ""); });
  });
}

}  // namespace

void AddInteractionCommands(App* app, CLI::App* segment) {
  AddLogCommand(app, segment);

  auto* list = app->cli().add_subcommand("interactions", "the interaction log");
  struct Opts {
    std::string contact, campaign, logged;
    bool include_canceled = false;
  };
  auto o = std::make_shared<Opts>();
  auto query = AddListQuery(list);
  list->add_option("--contact", o->contact, "one contact's (CTxxxx)");
  list->add_option("--campaign", o->campaign, "one campaign's (CPxxxx)");
  list->add_option("--segment", o->logged, "one logged segment's (LSxxxx)");
  list->add_flag("--include-canceled", o->include_canceled, "canceled entries too");
  app->On(list, [app, o, query]() -> Result<Output> {
    ReadModel::InteractionQuery q;
    CRM_ASSIGN_OR_RETURN(q.contact, OptionalNo(o->contact, RecordKind::kContact));
    CRM_ASSIGN_OR_RETURN(q.campaign, OptionalNo(o->campaign, RecordKind::kCampaign));
    CRM_ASSIGN_OR_RETURN(q.logged_segment, OptionalNo(o->logged, RecordKind::kLoggedSegment));
    if (q.contact.valid() + q.campaign.valid() + q.logged_segment.valid() > 1) {
      return Status::InvalidArgument("give at most one of --contact, --campaign and --segment");
    }
    CRM_ASSIGN_OR_RETURN(Reader r, app->OpenReader());
    CRM_ASSIGN_OR_RETURN(ListPage page, ListPage::Make(*query, "entry", {"subject", "description", "contact",
                                                                          "interaction_template", "campaign"}));
    CRM_RETURN_IF_ERROR(r.rm->ForEachInteraction(q, [&](const InteractionRow& entry) {
      if (entry.cancel.canceled() && !o->include_canceled) return true;
      return page.Offer(InteractionListJson(entry));
    }));
    return page.Finish(app->globals().json,
                       {"ENTRY", "AT", "CONTACT", "TEMPLATE", "SUBJECT", "COST", "CAMPAIGN", "TARGET", "RESPONSE",
                        "SEGMENT", "DELIVERY"},
                       [](const json& row) {
                         return std::vector<std::string>{row["entry"],
                                                         row["at"],
                                                         row["contact"],
                                                         row["interaction_template"],
                                                         row["subject"],
                                                         row["cost"],
                                                         row["campaign"],
                                                         row["campaign_target"].get<bool>() ? "yes" : "no",
                                                         row["campaign_response"].get<bool>() ? "yes" : "no",
                                                         row["logged_segment"],
                                                         row["delivery"]["status"]};
                       });
  });

  auto* entry = app->cli().add_subcommand("interaction", "one interaction log entry");
  entry->require_subcommand(1);
  AddManualLog(app, entry);
  AddCancelDelete(app, entry, RecordKind::kInteraction, "interaction entry");

  auto* ls = app->cli().add_subcommand("logged-segment", "logged segments");
  ls->require_subcommand(1);
  AddCancelDelete(app, ls, RecordKind::kLoggedSegment, "logged segment with its entries");
  auto* ls_list = ls->add_subcommand("list", "list logged segments");
  auto ls_query = AddListQuery(ls_list);
  app->On(ls_list, [app, ls_query]() -> Result<Output> {
    CRM_ASSIGN_OR_RETURN(Reader r, app->OpenReader());
    CRM_ASSIGN_OR_RETURN(ListPage page, ListPage::Make(*ls_query, "no", {"description", "segment", "campaign"}));
    CRM_RETURN_IF_ERROR(r.rm->ForEachLoggedSegment(
        [&](const LoggedSegmentRow& row) { return page.Offer(LoggedSegmentJson(row)); }));
    return page.Finish(app->globals().json, {"NO", "SEGMENT", "DESCRIPTION", "CAMPAIGN", "TEMPLATE", "DATE", "INTERACTIONS"},
                       [](const json& row) {
                         return std::vector<std::string>{row["no"],   row["segment"], row["description"],
                                                         row["campaign"], row["interaction_template"], row["date"],
                                                         row["lines"].dump()};
                       });
  });
  auto* show = ls->add_subcommand("show", "a logged segment with its criteria and steps");
  auto sno = std::make_shared<std::string>();
  show->add_option("LOGGED-SEGMENT", *sno)->required();
  app->On(show, [app, sno]() -> Result<Output> {
    CRM_ASSIGN_OR_RETURN(RecordNo no, RecordNo::Parse(*sno, RecordKind::kLoggedSegment));
    CRM_ASSIGN_OR_RETURN(Reader r, app->OpenReader());
    CRM_ASSIGN_OR_RETURN(auto row, r.rm->LoggedSegment(no));
    if (!row) return Status::NotFound("logged segment " + no.ToString() + " does not exist");
    json j = LoggedSegmentJson(*row);
    std::string text = LoggedSegmentText(j);
    return JsonOrText(std::move(j), std::move(text));
  });

  auto* ce = app->cli().add_subcommand("campaign-entry", "campaign entries");
  ce->require_subcommand(1);
  AddCancelDelete(app, ce, RecordKind::kCampaignEntry, "campaign entry");
  auto* ce_list = ce->add_subcommand("list", "list campaign entries");
  auto cp = std::make_shared<std::string>();
  ce_list->add_option("--campaign", *cp, "one campaign's (CPxxxx)");
  app->On(ce_list, [app, cp]() -> Result<Output> {
    CRM_ASSIGN_OR_RETURN(RecordNo campaign, OptionalNo(*cp, RecordKind::kCampaign));
    CRM_ASSIGN_OR_RETURN(Reader r, app->OpenReader());
    json out = json::array();
    Table t({"ENTRY", "CAMPAIGN", "SEGMENT", "DESCRIPTION", "DATE", "TEMPLATE", "INTERACTIONS", "COST", "MINUTES"});
    CRM_RETURN_IF_ERROR(r.rm->ForEachCampaignEntry(campaign, [&](const CampaignEntryRow& entry) {
      json row = CampaignEntryJson(entry);
      t.Add({row["entry"], row["campaign"], row["logged_segment"], row["description"], row["date"],
             row["interaction_template"], row["interactions"].dump(), row["cost"], row["duration"].dump()});
      out.push_back(std::move(row));
      return true;
    }));
    return ListOutput(std::move(out), t);
  });
}

json InteractionListJson(const InteractionRow& entry) {
  // The SPEC's keys (entry_no, template, delivery_status) beside the row's own.
  const json row = InteractionJson(entry);
  json item = row;
  item["entry_no"] = row["entry"];
  item["template"] = row["interaction_template"];
  item["delivery_status"] = row["delivery"]["status"];
  return item;
}

}  // namespace crm::cli
