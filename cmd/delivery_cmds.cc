// crmctl delivery (SPEC §4.6): `delivery retry LSxxxx` delivers what a logged segment's earlier
// run did not (failed, never attempted, or attempted without a recorded outcome); `delivery list
// LSxxxx` shows each entry's delivery. The run itself is app/delivery.
#include <algorithm>
#include <iostream>

#include "cmd/app.h"
#include "app/delivery.h"
#include "cmd/table.h"

namespace crm::cli {

using nlohmann::json;

int PrintDelivery(App* app, json answer, const std::string& done, const Result<DeliveryReport>& report) {
  if (!report.ok()) {
    if (!app->globals().quiet && !app->globals().json && !done.empty()) std::cout << done << '\n';
    if (app->globals().json) app->PrintJson(answer);
    return app->Reject(report.status());
  }
  const DeliveryReport& r = *report;
  if (app->globals().json) {
    answer["delivery"] = r.ToJson();
    app->PrintJson(answer);
  } else if (!app->globals().quiet) {
    if (!done.empty()) std::cout << done << '\n';
    std::cout << "delivered " << r.logged.ToString() << ": " << r.emails << " emails sent, " << r.letters
              << " letters written, " << r.failed << " failed";
    if (r.refused > 0) std::cout << ", " << r.refused << " refused";
    if (r.unknown > 0) std::cout << ", " << r.unknown << " with an unknown outcome";
    if (r.bounced > 0) std::cout << "; " << r.bounced << " addresses refused, recorded as bounces";
    if (r.resent_unknown > 0) {
      std::cout << "; " << r.resent_unknown << " sent again whose earlier attempt has no recorded outcome";
    }
    std::cout << '\n';
  }
  if (r.failures.empty()) return 0;
  // The SMTP server or the outbox failing is exit 4 (like storage); only rules saying no is 2.
  const uint64_t io = r.failed + r.unknown;
  const auto first = std::find_if(r.failures.begin(), r.failures.end(),
                                  [&](const DeliveryReport::Failure& f) { return f.refused == (io == 0); });
  std::cerr << "error: " << (io > 0 ? io : r.refused) << " deliveries of " << r.logged.ToString()
            << (io > 0 ? " failed (" : " were refused (") << first->entry.ToString() << ": " << first->reason
            << "); the log stands: crmctl delivery retry " << r.logged.ToString() << '\n';
  return io > 0 ? 4 : 2;
}

void AddDeliveryCommands(App* app) {
  auto* group = app->cli().add_subcommand("delivery", "deliveries of logged segments");
  group->require_subcommand(1);

  auto* retry = group->add_subcommand("retry", "deliver what an earlier run did not (failed, unsent, outcome unknown)");
  auto no = std::make_shared<std::string>();
  retry->add_option("LOGGED-SEGMENT", *no)->required();
  auto d = std::make_shared<DeliveryOptions>();
  retry->add_flag("--include-opted-out", d->include_opted_out, "deliver to opted-out contacts too");
  retry->callback([app, no, d] {
    app->SetAction([app, no, d] {
      auto logged = RecordNo::Parse(*no, RecordKind::kLoggedSegment);
      if (!logged.ok()) return app->Fail(logged.status());
      auto h = app->OpenWriter();
      if (!h.ok()) return app->Fail(h.status());
      const Request request = app->MakeRequest();
      return PrintDelivery(app, json{{"command_id", request.command_id.value()}}, "",
                           DeliverLoggedSegment(h->get(), app->globals().data_dir, request, *logged, *d));
    });
  });

  auto* list = group->add_subcommand("list", "each entry's delivery");
  auto lno = std::make_shared<std::string>();
  list->add_option("LOGGED-SEGMENT", *lno)->required();
  list->callback([app, lno] {
    app->SetAction([app, lno] {
      auto logged = RecordNo::Parse(*lno, RecordKind::kLoggedSegment);
      if (!logged.ok()) return app->Fail(logged.status());
      auto r = app->OpenReader();
      if (!r.ok()) return app->Fail(r.status());
      auto ls = r->rm->LoggedSegment(*logged);
      if (!ls.ok()) return app->Fail(ls.status());
      if (!*ls) return app->Reject(Status::NotFound("logged segment " + logged->ToString() + " does not exist"));
      json out = json::array();
      Table t({"ENTRY", "CONTACT", "CHANNEL", "STATUS", "ATTEMPTS", "REASON", "DOCUMENT"});
      Status s = r->rm->ForEachInteraction({RecordNo(), RecordNo(), *logged}, [&](const json& row) {
        const json& dl = row.at("delivery");
        t.Add({row["entry"], row["contact"], dl.value("channel", ""), dl.value("stage", ""),
               std::to_string(dl.value("attempts", 0)), dl.value("reason", ""), dl.value("document", "")});
        out.push_back({{"entry", row["entry"]}, {"contact", row["contact"]}, {"delivery", dl}});
        return true;
      });
      if (!s.ok()) return app->Fail(s);
      return app->PrintList(out, t);
    });
  });
}

}  // namespace crm::cli
