// crmctl ledger verify/tail/export and projections rebuild (SPEC §2, §4.10). With --brokers,
// verify, tail and export read the Kafka log itself (events/kafka_log.h), not a data directory.
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>

#include "cmd/app.h"
#include "cmd/ledger_records.h"
#include "cmd/table.h"
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

// A digest to check: the chain's hash at a position, kept by an auditor (`ledger digest`).
struct DigestCheck {
  std::string hex;
  uint64_t at = 0;
};

// The fault of a digest check, "" when the ledger up to `at` is the one the digest was taken of.
std::string DigestFault(const DigestCheck& d, const std::optional<Hash>& found, uint64_t records) {
  auto want = HashFromHex(d.hex);
  if (!want.ok()) return want.status().message();
  if (!found) {
    return "the ledger has " + std::to_string(records) + " records, so none at " + std::to_string(d.at) +
           " where the digest was taken (truncated?)";
  }
  if (*found != *want) {
    return "the ledger up to record " + std::to_string(d.at) + " is not the one the digest was taken of (it is " +
           HashToHex(*found) + ")";
  }
  return "";
}

// Against Kafka: every record intact, the log complete from its start, and, when --data is a
// replica of the topic, the replica's head on the log's chain.
int VerifyKafka(App* app, const KafkaOptions& kafka, const std::optional<DigestCheck>& digest) {
  std::optional<std::pair<LedgerSeq, Hash>> replica_head;
  if (auto r = app->OpenReader(false); r.ok()) {
    auto head = r->ledger->Head();
    if (head.ok() && head->first.value() > 0) replica_head = *head;
  }
  bool replica_on_chain = !replica_head;
  std::optional<Hash> at_hash;
  auto scan = ScanLog(kafka, [&](LedgerSeq seq, std::string_view record) {
    if (replica_head && seq == replica_head->first) {
      replica_on_chain = StoredHash(*fb::GetEnvelope(record.data())) == replica_head->second;
    }
    if (digest && seq.value() == digest->at) at_hash = StoredHash(*fb::GetEnvelope(record.data()));
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
  } else if (digest) {
    fault = DigestFault(*digest, at_hash, scan->counts.accepted);
    if (fault.empty()) out["digest"] = {{"at", digest->at}, {"matches", true}};
  }
  if (!fault.empty()) out["problem"] = fault;
  return VerifyResult(app, std::move(out), fault);
}

int Verify(App* app, const std::optional<DigestCheck>& digest) {
  if (digest) {
    if (Status s = HashFromHex(digest->hex).status(); !s.ok()) return app->Fail(s);
  }
  auto kafka = app->Kafka();
  if (!kafka.ok()) return app->Fail(kafka.status());
  if (*kafka) return VerifyKafka(app, **kafka, digest);
  auto r = app->OpenReader(false);
  if (!r.ok()) return app->Fail(r.status());
  VerifyOptions options;
  if (digest) options.at = digest->at;
  auto report = VerifyLedger(r->ledger.get(), options);
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
  if (fault.empty() && digest) {
    fault = DigestFault(*digest, report->digest, report->records);
    if (fault.empty()) out["digest"] = {{"at", digest->at}, {"matches", true}};
    if (!fault.empty()) out["problem"] = fault;
  }
  return VerifyResult(app, std::move(out), fault);
}

// The chain's hash at a position (default: the head), after verifying every record up to it.
int Digest(App* app, std::optional<uint64_t> at) {
  auto kafka = app->Kafka();
  if (!kafka.ok()) return app->Fail(kafka.status());
  std::optional<Hash> hash;
  uint64_t records = 0;
  std::string fault;
  if (*kafka) {
    std::optional<Hash> last;
    auto scan = ScanLog(**kafka, [&](LedgerSeq seq, std::string_view record) {
      const Hash h = StoredHash(*fb::GetEnvelope(record.data()));
      if (at && seq.value() == *at) hash = h;
      last = h;
      return true;
    });
    if (!scan.ok()) return app->Fail(scan.status());
    records = scan->counts.accepted;
    if (!scan->corrupt.empty()) {
      fault = "log offset " + std::to_string(scan->corrupt.front().offset) + " is not a valid record: " +
              scan->corrupt.front().reason;
    }
    if (!at) {
      at = records;
      hash = last;
    }
  } else {
    auto r = app->OpenReader(false);
    if (!r.ok()) return app->Fail(r.status());
    if (!at) {
      auto head = r->ledger->Head();
      if (!head.ok()) return app->Fail(head.status());
      at = head->first.value();
    }
    auto report = VerifyLedger(r->ledger.get(), VerifyOptions{at, true});
    if (!report.ok()) return app->Fail(report.status());
    records = report->records;
    hash = report->digest;
    if (!report->ok) {
      fault = "ledger fault at record " + std::to_string(report->first_bad.value()) + ": " + report->problem;
    }
  }
  if (fault.empty() && (!hash || *at == 0)) {
    fault = "the ledger has no record " + std::to_string(*at) + " (" + std::to_string(records) + " records)";
  }
  if (!fault.empty()) {
    std::cerr << "error: cannot give a digest: " << fault << '\n';
    return 2;
  }
  json out{{"at", *at}, {"digest", HashToHex(*hash)}};
  if (app->globals().json) {
    app->PrintJson(out);
  } else if (!app->globals().quiet) {
    std::cout << "digest at record " << *at << ": " << HashToHex(*hash) << '\n';
  }
  return 0;
}

struct TailOpts {
  RecordFilter filter;
  bool jsonl = false, follow = false;
};

int Tail(App* app, const TailOpts& o) {
  EventRows rows;
  const bool as_json = o.jsonl || app->globals().json;
  Table t({"SEQ", "AT", "STREAM", "VERSION", "EVENT", "ACTOR"});
  Status s = ForEachRecord(app, o.filter, o.follow, [&](LedgerSeq seq, std::string_view record) -> Result<bool> {
    if (as_json) {
      CRM_ASSIGN_OR_RETURN(nlohmann::ordered_json line, rows.Object(record));
      std::cout << line.dump() << '\n';
      if (o.follow) std::cout.flush();
    } else {
      const fb::Envelope& e = *fb::GetEnvelope(record.data());
      t.Add({std::to_string(seq.value()), FormatTimestamp(Timestamp(e.recorded_at())), e.stream()->str(),
             std::to_string(e.stream_version()), std::string(EventTypeName(e.payload_type())), e.actor()->str()});
    }
    return true;
  });
  if (!s.ok()) return app->Fail(s);
  if (!as_json) t.Print(std::cout);
  return 0;
}

struct ExportOpts {
  RecordFilter filter;
  std::string format = "jsonl";
  std::string output;
};

// Writes to a temporary file beside the output and renames it into place once complete and
// synced, so a failed or interrupted export leaves no half-written file.
int Export(App* app, const ExportOpts& o) {
  const bool to_stdout = o.output == "-";
  const std::string partial = o.output + ".partial-" + std::to_string(::getpid());
  std::FILE* out = to_stdout ? stdout : std::fopen(partial.c_str(), "wb");
  if (out == nullptr) {
    return app->Fail(Status::FailedPrecondition("cannot write " + o.output + ": " + std::strerror(errno)));
  }
  auto discard = [&](const Status& s) {
    if (!to_stdout) {
      std::fclose(out);
      std::remove(partial.c_str());
    }
    return app->Fail(s);
  };
  EventRows rows;
  const bool csv = o.format == "csv";
  uint64_t events = 0, first = 0, last = 0;
  auto write = [&](const std::string& text) -> Status {
    if (std::fwrite(text.data(), 1, text.size(), out) != text.size()) {
      return Status::Unavailable("writing " + o.output + ": " + std::strerror(errno));
    }
    return Status::Ok();
  };
  if (csv) {
    if (Status s = write(rows.CsvHeader()); !s.ok()) return discard(s);
  }
  Status s = ForEachRecord(app, o.filter, /*follow=*/false, [&](LedgerSeq seq, std::string_view record) -> Result<bool> {
    CRM_ASSIGN_OR_RETURN(nlohmann::ordered_json object, rows.Object(record));
    CRM_RETURN_IF_ERROR(write(csv ? rows.CsvLine(object) : object.dump() + '\n'));
    if (events++ == 0) first = seq.value();
    last = seq.value();
    return true;
  });
  if (!s.ok()) return discard(s);
  if (to_stdout) return std::fflush(stdout) == 0 ? 0 : app->Fail(Status::Unavailable("writing to standard output"));
  if (std::fflush(out) != 0 || ::fsync(::fileno(out)) != 0) {
    return discard(Status::Unavailable("writing " + o.output + ": " + std::strerror(errno)));
  }
  std::fclose(out);
  if (std::rename(partial.c_str(), o.output.c_str()) != 0) {
    const Status failed = Status::FailedPrecondition("cannot write " + o.output + ": " + std::strerror(errno));
    std::remove(partial.c_str());
    return app->Fail(failed);
  }
  json summary{{"events", events}, {"format", o.format}, {"output", o.output}};
  if (events > 0) {
    summary["first"] = first;
    summary["last"] = last;
  }
  if (app->globals().json) {
    app->PrintJson(summary);
  } else if (!app->globals().quiet) {
    std::cout << "exported " << events << " events";
    if (events > 0) std::cout << " (" << first << " to " << last << ")";
    std::cout << " to " << o.output << " as " << o.format << '\n';
  }
  return 0;
}

int Rebuild(App* app, bool check) {
  if (check) {
    auto r = app->OpenReader(false);
    if (!r.ok()) return app->Fail(r.status());
    // Read models equal to a replay of a damaged ledger prove nothing: it must verify first.
    auto verified = VerifyLedger(r->ledger.get());
    if (!verified.ok()) return app->Fail(verified.status());
    if (!verified->ok) {
      return app->Fail(Status::FailedPrecondition("the ledger does not verify (record " +
                                                  std::to_string(verified->first_bad.value()) + ": " +
                                                  verified->problem + "); the projections were not compared"));
    }
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
  auto stats = crm::Rebuild((*h)->store(), (*h)->ledger(), Progress("rebuilding"), (*h)->keyring());
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
  auto* verify = ledger->add_subcommand("verify", "check sequence, schema and hash chain; exit 2 on any fault");
  auto d = std::make_shared<DigestCheck>();
  auto* digest_opt = verify->add_option("--digest", d->hex, "a digest from 'ledger digest': prove the ledger unchanged up to --at");
  auto* at_opt = verify->add_option("--at", d->at, "the record the digest was taken at");
  digest_opt->needs(at_opt);
  at_opt->needs(digest_opt);
  verify->callback([app, d, digest_opt] {
    app->SetAction([app, d, digest_opt] {
      return Verify(app, digest_opt->count() > 0 ? std::optional<DigestCheck>(*d) : std::nullopt);
    });
  });
  auto* digest = ledger->add_subcommand("digest", "the chain's hash at a record (default: the last), for an auditor to keep");
  auto at = std::make_shared<uint64_t>(0);
  auto* digest_at = digest->add_option("--at", *at, "the record (sequence number)");
  digest->callback([app, at, digest_at] {
    app->SetAction([app, at, digest_at] {
      return Digest(app, digest_at->count() > 0 ? std::optional<uint64_t>(*at) : std::nullopt);
    });
  });
  auto* tail = ledger->add_subcommand("tail", "print events (JSON generated from the schema)");
  auto t = std::make_shared<TailOpts>();
  tail->add_option("--from", t->filter.from, "first sequence number");
  tail->add_option("--to", t->filter.to, "last sequence number");
  tail->add_option("--stream", t->filter.stream, "only this stream (campaign/CP0001)");
  tail->add_option("--type", t->filter.type, "only this event type (MemberAdded)");
  tail->add_option("--limit", t->filter.limit, "at most this many");
  tail->add_flag("--jsonl", t->jsonl, "one JSON object per line");
  tail->add_flag("--follow", t->follow, "keep printing new events");
  tail->callback([app, t] { app->SetAction([app, t] { return Tail(app, *t); }); });

  auto* exp = ledger->add_subcommand("export", "write events to a file for analytics (columns from the schema)");
  auto e = std::make_shared<ExportOpts>();
  exp->add_option("--format", e->format, "jsonl (one object per event) or csv (one column per schema field)")
      ->check(CLI::IsMember({"jsonl", "csv"}));
  exp->add_option("--output", e->output, "the file to write (replaced whole once complete); - for standard output")
      ->required();
  exp->add_option("--from", e->filter.from, "first sequence number");
  exp->add_option("--to", e->filter.to, "last sequence number");
  exp->add_option("--stream", e->filter.stream, "only this stream (campaign/CP0001)");
  exp->add_option("--type", e->filter.type, "only this event type (MemberAdded)");
  exp->callback([app, e] { app->SetAction([app, e] { return Export(app, *e); }); });

  auto* proj = cli.add_subcommand("projections", "the read models");
  proj->require_subcommand(1);
  auto* rebuild = proj->add_subcommand("rebuild", "rebuild read models from the ledger");
  auto check = std::make_shared<bool>(false);
  rebuild->add_flag("--check", *check, "rebuild aside and prove it identical to the live read models");
  rebuild->callback([app, check] { app->SetAction([app, check] { return Rebuild(app, *check); }); });

  // The ledger's own commands read every record (--from/--to bound them), and `verify` and
  // `digest` take their own --at: the global one would be silently ignored, so it is refused.
  for (auto* group : {ledger, proj}) {
    group->callback([app] {
      if (Status refused = app->RefuseAt(); !refused.ok()) app->SetAction([app, refused] { return app->Fail(refused); });
    });
  }
}

}  // namespace crm::cli
