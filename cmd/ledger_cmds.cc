// crmctl ledger verify/tail and projections rebuild (SPEC §2, §4.10). With --brokers, verify and
// tail read the Kafka log itself (events/kafka_log.h), not a data directory.
#include <unistd.h>

#include <chrono>
#include <iostream>
#include <thread>

#include "cmd/app.h"
#include "cmd/table.h"
#include "events/event_json.h"
#include "events/kafka_log.h"
#include "events/verify.h"
#include "projections/rebuild.h"

namespace crm::cli {
namespace {

using nlohmann::json;

// Prints a verification result; exit 2 on a fault.
int VerifyResult(App* app, json out, const std::string& fault) {
  out["ok"] = fault.empty();
  if (app->globals().json) {
    app->PrintJson(out);
  } else if (fault.empty() && !app->globals().quiet) {
    std::cout << "ledger ok: " << out["records"] << " records, head " << out["head_hash"].get<std::string>();
    if (out.contains("superseded")) std::cout << " (" << out["superseded"] << " superseded log records)";
    std::cout << '\n';
  }
  if (!fault.empty()) {
    std::cerr << "error: " << fault << '\n';
    return 2;
  }
  return 0;
}

// Against Kafka: every record intact, the log complete from its start, and, when --data is a
// replica of the topic, the replica's head on the log's chain.
int VerifyKafka(App* app, const KafkaOptions& kafka) {
  std::optional<std::pair<LedgerSeq, Hash>> replica_head;
  if (auto r = app->OpenReader(); r.ok()) {
    auto head = r->ledger->Head();
    if (head.ok() && head->first.value() > 0) replica_head = *head;
  }
  bool replica_on_chain = !replica_head;
  auto scan = ScanLog(kafka, [&](LedgerSeq seq, std::string_view record) {
    if (replica_head && seq == replica_head->first) {
      replica_on_chain = StoredHash(*fb::GetEnvelope(record.data())) == replica_head->second;
    }
    return true;
  });
  if (!scan.ok()) return app->Fail(scan.status());
  json out{{"records", scan->counts.accepted},
           {"superseded", scan->counts.superseded},
           {"corrupt", scan->counts.corrupt},
           {"head", scan->head.value()},
           {"head_hash", HashToHex(scan->head_hash)},
           {"log", {{"topic", kafka.topic}, {"first_offset", scan->first_offset}, {"end_offset", scan->end_offset}}}};
  std::string fault;
  if (scan->first_offset > 0) {
    fault = "the log starts at offset " + std::to_string(scan->first_offset) + ": earlier records were deleted";
  } else if (!scan->corrupt.empty()) {
    out["first_bad_offset"] = scan->corrupt.front().offset;
    fault = "log offset " + std::to_string(scan->corrupt.front().offset) + " is not a valid record: " +
            scan->corrupt.front().reason;
  } else if (!replica_on_chain) {
    fault = app->globals().data_dir + " has record " + std::to_string(replica_head->first.value()) +
            " with a hash the log does not have: the replica diverges from the log";
  }
  if (!fault.empty()) out["problem"] = fault;
  return VerifyResult(app, std::move(out), fault);
}

int Verify(App* app) {
  auto kafka = app->Kafka();
  if (!kafka.ok()) return app->Fail(kafka.status());
  if (*kafka) return VerifyKafka(app, **kafka);
  auto r = app->OpenReader();
  if (!r.ok()) return app->Fail(r.status());
  auto report = VerifyLedger(r->ledger.get());
  if (!report.ok()) return app->Fail(report.status());
  json out{{"records", report->records}};
  std::string fault;
  if (report->ok) {
    out["head"] = report->head.value();
    out["head_hash"] = HashToHex(report->head_hash);
  } else {
    out["first_bad"] = report->first_bad.value();
    out["problem"] = report->problem;
    fault = "ledger fault at record " + std::to_string(report->first_bad.value()) + ": " + report->problem;
  }
  return VerifyResult(app, std::move(out), fault);
}

struct TailOpts {
  uint64_t from = 1;
  std::string stream, type;
  bool jsonl = false, follow = false;
  size_t limit = 0;
};

int Tail(App* app, const TailOpts& o) {
  auto kafka = app->Kafka();
  if (!kafka.ok()) return app->Fail(kafka.status());
  if (*kafka && o.follow) return app->Fail(Status::InvalidArgument("ledger tail --follow reads a data directory; in Kafka mode follow the topic with crmctl project --follow"));
  EventJson to_json;
  const bool as_json = o.jsonl || app->globals().json;
  uint64_t next = std::max<uint64_t>(o.from, 1);
  size_t printed = 0;
  Table t({"SEQ", "AT", "STREAM", "VERSION", "EVENT", "ACTOR"});
  Status inner;
  auto print = [&](LedgerSeq seq, std::string_view record) {
    if (seq.value() < next) return true;
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
  };
  if (*kafka) {
    auto scan = ScanLog(**kafka, print);
    if (!scan.ok()) return app->Fail(scan.status());
    if (!inner.ok()) return app->Fail(inner);
    if (!as_json) t.Print(std::cout);
    return 0;
  }
  auto r = app->OpenReader();
  if (!r.ok()) return app->Fail(r.status());
  for (;;) {
    auto s = r->ledger->Read(LedgerSeq(next), print);
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
