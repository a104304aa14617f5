// crmctl delivery (SPEC §4.6): `delivery retry LSxxxx` delivers what a logged segment's earlier
// run did not (failed, never attempted, or attempted without a recorded outcome); `delivery list
// LSxxxx` shows each entry's delivery. The run itself is app/delivery.
#include <algorithm>
#include <sstream>

#include "cmd/app.h"
#include "app/delivery.h"
#include "cmd/table.h"

namespace crm::cli {

using nlohmann::json;

Result<Output> DeliveryOutput(App* app, json answer, const std::string& done, const Result<DeliveryReport>& report) {
  const bool quiet = app->globals().quiet;
  Output out;
  out.json = std::move(answer);
  if (!quiet && !done.empty()) out.text = done + '\n';
  if (!report.ok()) {
    out.failure = report.status();
    return out;
  }
  const DeliveryReport& r = *report;
  (*out.json)["delivery"] = r.ToJson();
  if (!quiet) {
    std::ostringstream text;
    text << "delivered " << r.logged.ToString() << ": " << r.emails << " emails sent, " << r.letters
         << " letters written, " << r.failed << " failed";
    if (r.refused > 0) text << ", " << r.refused << " refused";
    if (r.unknown > 0) text << ", " << r.unknown << " with an unknown outcome";
    if (r.bounced > 0) text << "; " << r.bounced << " addresses refused, recorded as bounces";
    if (r.resent_unknown > 0) {
      text << "; " << r.resent_unknown << " sent again whose earlier attempt has no recorded outcome";
    }
    out.text += text.str() + '\n';
  }
  if (r.failures.empty()) return out;
  // The SMTP server or the outbox failing is exit 4 (like storage); only rules saying no is 2.
  const uint64_t io = r.failed + r.unknown;
  const auto first = std::find_if(r.failures.begin(), r.failures.end(),
                                  [&](const DeliveryReport::Failure& f) { return f.refused == (io == 0); });
  const std::string what = std::to_string(io > 0 ? io : r.refused) + " deliveries of " + r.logged.ToString() +
                           (io > 0 ? " failed (" : " were refused (") + first->entry.ToString() + ": " +
                           first->reason + "); the log stands: crmctl delivery retry " + r.logged.ToString();
  out.failure = io > 0 ? Status::Unavailable(what) : Status::FailedPrecondition(what);
  return out;
}

void AddDeliveryCommands(App* app) {
  auto* group = app->cli().add_subcommand("delivery", "deliveries of logged segments");
  group->require_subcommand(1);

  auto* retry = group->add_subcommand("retry", "deliver what an earlier run did not (failed, unsent, outcome unknown)");
  auto no = std::make_shared<std::string>();
  retry->add_option("LOGGED-SEGMENT", *no)->required();
  auto d = std::make_shared<DeliveryOptions>();
  retry->add_flag("--include-opted-out", d->include_opted_out, "deliver to opted-out contacts too");
  app->On(retry, [app, no, d]() -> Result<Output> {
    CRM_ASSIGN_OR_RETURN(RecordNo logged, RecordNo::Parse(*no, RecordKind::kLoggedSegment));
    CRM_ASSIGN_OR_RETURN(auto h, app->OpenWriter());
    const Request request = app->MakeRequest();
    return DeliveryOutput(app, json{{"command_id", request.command_id.value()}}, "",
                          DeliverLoggedSegment(h.get(), app->globals().data_dir, request, logged, *d));
  });

  auto* list = group->add_subcommand("list", "each entry's delivery");
  auto lno = std::make_shared<std::string>();
  list->add_option("LOGGED-SEGMENT", *lno)->required();
  app->On(list, [app, lno]() -> Result<Output> {
    CRM_ASSIGN_OR_RETURN(RecordNo logged, RecordNo::Parse(*lno, RecordKind::kLoggedSegment));
    CRM_ASSIGN_OR_RETURN(Reader r, app->OpenReader());
    CRM_ASSIGN_OR_RETURN(auto ls, r.rm->LoggedSegment(logged));
    if (!ls) return Status::NotFound("logged segment " + logged.ToString() + " does not exist");
    json out = json::array();
    Table t({"ENTRY", "CONTACT", "CHANNEL", "STATUS", "ATTEMPTS", "REASON", "DOCUMENT"});
    CRM_RETURN_IF_ERROR(r.rm->ForEachInteraction({RecordNo(), RecordNo(), logged}, [&](const InteractionRow& entry) {
      const json row = InteractionJson(entry);
      const json& dl = row.at("delivery");
      t.Add({row["entry"], row["contact"], dl.value("channel", ""), dl.value("stage", ""),
             std::to_string(dl.value("attempts", 0)), dl.value("reason", ""), dl.value("document", "")});
      out.push_back({{"entry", row["entry"]}, {"contact", row["contact"]}, {"delivery", dl}});
      return true;
    }));
    return ListOutput(std::move(out), t);
  });
}

}  // namespace crm::cli
