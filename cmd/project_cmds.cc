// crmctl project: the Kafka projector (SPEC §2). Reads the ledger topic into the data
// directory's replica and projections, the consumed offset in the same write batch as the rows
// (events/kafka_ledger.h), once to the log's end or, with --follow, until SIGINT/SIGTERM. A log
// record that fails the verifier is never applied: it is published to the dead-letter topic
// (TOPIC.dlq) with its offset and the reason before the replica moves past it, so a crash can at
// most publish it twice (the source offset tells duplicates apart). A stop (SIGTERM, SIGINT)
// ends it within a few seconds even while the cluster does not answer (kStopGrace).
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <sstream>
#include <thread>

#include <spdlog/spdlog.h>

#include "cmd/app.h"
#include "events/quote.h"

namespace crm::cli {
namespace {

using nlohmann::json;

// Set by SIGINT/SIGTERM; read by the main thread, the Kafka client's waits and the stop watchdog
// (a lock-free atomic: safe in a signal handler and across threads).
std::atomic<bool> g_stop{false};
static_assert(std::atomic<bool>::is_always_lock_free);

void OnSignal(int) { g_stop.store(true); }

// How long a stop may wait for the main thread to come out of the Kafka client. Its waits are
// sliced and ask g_stop (KafkaOptions::interrupted), but a request already sent to a broker that
// is down is bounded only by librdkafka's socket.timeout.ms (a minute by default). Past this,
// the process ends without the library: the replica is crash-safe at every point (each commit
// is one atomic write with its offset), so this is what a kill -9 would leave, and a restart
// goes on from the last commit.
constexpr std::chrono::seconds kStopGrace{3};

void EndAfterStopGrace() {
  std::thread([] {
    while (!g_stop) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    std::this_thread::sleep_for(kStopGrace);
    std::fputs("note: stopped while the Kafka cluster was not answering; the replica is as last committed\n", stderr);
    std::_Exit(0);
  }).detach();
}

Result<Output> Project(App* app, bool follow) {
  // Installed first: opening catches up, which waits on the cluster when its brokers are down.
  if (follow) {
    std::signal(SIGINT, OnSignal);
    std::signal(SIGTERM, OnSignal);
    app->SetInterrupted([] { return g_stop.load(); });
    EndAfterStopGrace();
  }
  CRM_ASSIGN_OR_RETURN(auto kafka, app->Kafka());
  if (!kafka) return Status::InvalidArgument("crmctl project reads Kafka: give --brokers or CRM_BROKERS");
  const KafkaOptions options = *kafka;
  std::unique_ptr<KafkaProducer> dead_letters;
  auto publish = [&](int64_t offset, std::string_view record, const std::string& reason) -> Status {
    if (!dead_letters) {
      CRM_ASSIGN_OR_RETURN(dead_letters, KafkaProducer::Open(options));
    }
    const std::string key = options.topic + "/" + std::to_string(kLedgerPartition) + "/" + std::to_string(offset);
    OutMessage m{key, record,
                 {{"source_topic", options.topic},
                  {"source_partition", std::to_string(kLedgerPartition)},
                  {"source_offset", std::to_string(offset)},
                  {"reason", reason}}};
    const std::string what = "log offset " + std::to_string(offset) + " is not a valid record (" + reason + ")";
    if (auto sent = dead_letters->Send(options.DeadLetterTopic(), 0, {m}); !sent.ok()) {
      return sent.status().WithContext(what + "; sending it to " + options.DeadLetterTopic());
    }
    spdlog::warn("{}; sent to {}", what, options.DeadLetterTopic());
    return Status::Ok();
  };
  const auto start = std::chrono::steady_clock::now();
  auto h = app->OpenWriter(/*create=*/false, publish);  // opening catches up once
  if (!h.ok() && g_stop && h.status().code() == StatusCode::kUnavailable) {
    // Stopped before the replica was open: whatever it had applied is committed whole.
    std::cerr << "note: stopped before catching up with the log (" << OneLine(h.status().message()) << ")\n";
    return Output{};
  }
  CRM_RETURN_IF_ERROR(h.status());
  KafkaLedger* ledger = (*h)->kafka();
  while (follow && !g_stop) {
    Status s = ledger->CatchUp();
    // Interrupted (a wait on the cluster given up): every applied record is committed.
    if (!s.ok() && g_stop && s.code() == StatusCode::kUnavailable) break;
    CRM_RETURN_IF_ERROR(s);
    (*h)->MaybeSnapshot();
    for (int i = 0; i < 10 && !g_stop; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const KafkaLedger::Progress& p = ledger->progress();
  CRM_ASSIGN_OR_RETURN(auto head, (*h)->ledger()->Head());
  json out{{"accepted", p.accepted},   {"superseded", p.superseded}, {"dead_lettered", p.corrupt},
           {"offset", p.resume},       {"end", p.end},              {"lag", std::max<int64_t>(0, p.end - p.resume)},
           {"head", head.first.value()}, {"seconds", secs}};
  std::ostringstream text;
  if (!app->globals().quiet) {
    text << "projected " << p.accepted << " records in " << secs << " s; offset " << p.resume << " of " << p.end
         << ", ledger head " << head.first.value();
    if (p.superseded > 0) text << "; " << p.superseded << " superseded";
    if (p.corrupt > 0) text << "; " << p.corrupt << " sent to " << options.DeadLetterTopic();
    text << '\n';
  }
  if (!follow) return JsonOrText(std::move(out), text.str());
  // --follow prints before the replica closes, which a stop may cut short (kStopGrace).
  if (app->globals().json) {
    app->PrintJson(out);
  } else {
    std::cout << text.str();
  }
  return Output{};
}

}  // namespace

void AddProjectCommand(App* app) {
  auto* sub = app->cli().add_subcommand("project", "Kafka mode: read the ledger topic into --data's projections");
  auto follow = std::make_shared<bool>(false);
  sub->add_flag("--follow", *follow, "keep reading new records until SIGINT/SIGTERM");
  app->On(sub, [app, follow] { return Project(app, *follow); });
}

}  // namespace crm::cli
