// crmctl ledger verify/tail and projections rebuild (SPEC §2, §4.10).
#include <unistd.h>

#include <chrono>
#include <iostream>
#include <thread>

#include "cmd/app.h"
#include "cmd/table.h"
#include "events/event_json.h"
#include "events/verify.h"
#include "projections/rebuild.h"

namespace crm::cli {
namespace {

using nlohmann::json;

int Verify(App* app) {
  auto r = app->OpenReader();
  if (!r.ok()) return app->Fail(r.status());
  auto report = VerifyLedger(r->ledger.get());
  if (!report.ok()) return app->Fail(report.status());
  json out{{"ok", report->ok}, {"records", report->records}};
  if (report->ok) {
    out["head"] = report->head.value();
    out["head_hash"] = HashToHex(report->head_hash);
  } else {
    out["first_bad"] = report->first_bad.value();
    out["problem"] = report->problem;
  }
  if (app->globals().json) {
    app->PrintJson(out);
  } else if (report->ok && !app->globals().quiet) {
    std::cout << "ledger ok: " << report->records << " records, head " << HashToHex(report->head_hash) << '\n';
  }
  if (!report->ok) {
    std::cerr << "error: ledger fault at record " << report->first_bad.value() << ": " << report->problem << '\n';
    return 2;
  }
  return 0;
}

struct TailOpts {
  uint64_t from = 1;
  std::string stream, type;
  bool jsonl = false, follow = false;
  size_t limit = 0;
};

int Tail(App* app, const TailOpts& o) {
  auto r = app->OpenReader();
  if (!r.ok()) return app->Fail(r.status());
  EventJson to_json;
  const bool as_json = o.jsonl || app->globals().json;
  uint64_t next = std::max<uint64_t>(o.from, 1);
  size_t printed = 0;
  Table t({"SEQ", "AT", "STREAM", "VERSION", "EVENT", "ACTOR"});
  for (;;) {
    Status inner;
    auto s = r->ledger->Read(LedgerSeq(next), [&](LedgerSeq seq, std::string_view record) {
      next = seq.value() + 1;
      auto env = DecodeEnvelope(record);
      if (!env.ok()) {
        inner = env.status().WithContext("record " + std::to_string(seq.value()));
        return false;
      }
      const fb::Envelope& e = **env;
      if (!o.stream.empty() && e.stream()->string_view() != o.stream) return true;
      if (!o.type.empty() && !EqualsIgnoreCase(EventTypeName(e.payload_type()), o.type)) return true;
      if (as_json) {
        auto line = to_json.ToJson(record);
        if (!line.ok()) {
          inner = line.status();
          return false;
        }
        std::cout << *line << '\n';
      } else {
        t.Add({std::to_string(seq.value()), FormatTimestamp(Timestamp(e.recorded_at())), e.stream()->str(),
               std::to_string(e.stream_version()), std::string(EventTypeName(e.payload_type())), e.actor()->str()});
      }
      ++printed;
      return o.limit == 0 || printed < o.limit;
    });
    if (!s.ok()) return app->Fail(s);
    if (!inner.ok()) return app->Fail(inner);
    if (!o.follow || (o.limit != 0 && printed >= o.limit)) break;
    std::cout.flush();
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    auto caught = r->store->db()->TryCatchUpWithPrimary();
    if (!caught.ok()) return app->Fail(FromRocks(caught, "following the ledger"));
  }
  if (!as_json) t.Print(std::cout);
  return 0;
}

int Rebuild(App* app, bool check) {
  if (check) {
    auto r = app->OpenReader();
    if (!r.ok()) return app->Fail(r.status());
    auto stats = CheckRebuild(r->store.get(), r->ledger.get(), Progress("checking"));
    if (!stats.ok()) return app->Fail(stats.status());
    if (app->globals().json) {
      app->PrintJson({{"identical", true}, {"records", stats->records}, {"keys_compared", stats->keys_compared}});
    } else if (!app->globals().quiet) {
      std::cout << "projections identical to a rebuild: " << stats->records << " records replayed, "
                << stats->keys_compared << " keys compared\n";
    }
    return 0;
  }
  auto h = app->OpenWriter();
  if (!h.ok()) return app->Fail(h.status());
  auto stats = crm::Rebuild((*h)->store(), (*h)->ledger(), Progress("rebuilding"));
  if (!stats.ok()) return app->Fail(stats.status());
  if (app->globals().json) {
    app->PrintJson({{"records", stats->records}});
  } else if (!app->globals().quiet) {
    std::cout << "rebuilt projections from " << stats->records << " records\n";
  }
  return 0;
}

}  // namespace

void AddLedgerCommands(App* app) {
  auto& cli = app->cli();
  auto* ledger = cli.add_subcommand("ledger", "the event ledger");
  ledger->require_subcommand(1);
  ledger->add_subcommand("verify", "check sequence, schema and hash chain; exit 2 on any fault")->callback([app] {
    app->SetAction([app] { return Verify(app); });
  });
  auto* tail = ledger->add_subcommand("tail", "print events (JSON generated from the schema)");
  auto t = std::make_shared<TailOpts>();
  tail->add_option("--from", t->from, "first sequence number");
  tail->add_option("--stream", t->stream, "only this stream (campaign/CP0001)");
  tail->add_option("--type", t->type, "only this event type (MemberAdded)");
  tail->add_option("--limit", t->limit, "at most this many");
  tail->add_flag("--jsonl", t->jsonl, "one JSON object per line");
  tail->add_flag("--follow", t->follow, "keep printing new events");
  tail->callback([app, t] { app->SetAction([app, t] { return Tail(app, *t); }); });

  auto* proj = cli.add_subcommand("projections", "the read models");
  proj->require_subcommand(1);
  auto* rebuild = proj->add_subcommand("rebuild", "rebuild read models from the ledger");
  auto check = std::make_shared<bool>(false);
  rebuild->add_flag("--check", *check, "rebuild aside and prove it identical to the live read models");
  rebuild->callback([app, check] { app->SetAction([app, check] { return Rebuild(app, *check); }); });
}

}  // namespace crm::cli
