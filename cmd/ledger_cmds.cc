// crmctl ledger verify/digest/tail/export and projections rebuild (SPEC §2, §4.10). With --brokers,
// verify (app/audit.h), tail and export read the Kafka log itself, not a data directory.
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <sstream>

#include "app/audit.h"
#include "cmd/app.h"
#include "cmd/ledger_records.h"
#include "cmd/table.h"
#include "events/event_rows.h"
#include "events/verify.h"
#include "projections/rebuild.h"

namespace crm::cli {
namespace {

using nlohmann::json;

// `j` with --json, else `text` on a line of its own unless --quiet.
Output Summary(App* app, json j, const std::string& text) {
  return JsonOrText(std::move(j), app->globals().quiet ? "" : text + '\n');
}

// A verification's answer; a fault is its "problem" (unless one is given) and, after the JSON,
// its failure (exit 2).
Output VerifyResult(App* app, json out, const std::string& fault) {
  out["ok"] = fault.empty();
  if (fault.empty()) {
    std::ostringstream text;
    text << "ledger ok: " << out["records"] << " records, head " << out["head_hash"].get<std::string>();
    if (out.contains("superseded")) text << " (" << out["superseded"] << " superseded log records)";
    return Summary(app, std::move(out), text.str());
  }
  if (!out.contains("problem")) out["problem"] = fault;
  Output result = JsonOrText(std::move(out), "");
  result.failure = Status::FailedPrecondition(fault);
  return result;
}

Result<Output> Verify(App* app, const std::optional<DigestCheck>& digest) {
  if (digest) CRM_RETURN_IF_ERROR(HashFromHex(digest->hex).status());
  CRM_ASSIGN_OR_RETURN(auto kafka, app->Kafka());
  Audit audit;
  if (kafka) {
    // The data directory, when there is one, is the log's replica: its head must be on the chain.
    auto replica = app->OpenReader(false);
    CRM_ASSIGN_OR_RETURN(audit, VerifyKafkaLog(*kafka, replica.ok() ? &*replica : nullptr, app->globals().data_dir,
                                               digest));
  } else {
    CRM_ASSIGN_OR_RETURN(Reader r, app->OpenReader(false));
    CRM_ASSIGN_OR_RETURN(audit, VerifyDataDir(&r, digest));
  }
  return VerifyResult(app, std::move(audit.answer), audit.fault);
}

// The chain's hash at a position (default: the head), after verifying every record up to it.
Result<Output> Digest(App* app, std::optional<uint64_t> at) {
  CRM_ASSIGN_OR_RETURN(auto kafka, app->Kafka());
  std::optional<Reader> r;
  if (!kafka) {
    CRM_ASSIGN_OR_RETURN(r, app->OpenReader(false));
  }
  CRM_ASSIGN_OR_RETURN(auto digest, LedgerDigest(kafka, r ? &*r : nullptr, at));
  const std::string hex = HashToHex(digest.second);
  return Summary(app, {{"at", digest.first}, {"digest", hex}},
                 "digest at record " + std::to_string(digest.first) + ": " + hex);
}

struct TailOpts {
  RecordFilter filter;
  bool jsonl = false, follow = false;
};

// JSON lines are printed as the records arrive (--follow waits for more); the table at the end.
Result<Output> Tail(App* app, const TailOpts& o) {
  EventRows rows;
  const bool as_json = o.jsonl || app->globals().json;
  Table t({"SEQ", "AT", "STREAM", "VERSION", "EVENT", "ACTOR"});
  auto print = [&](LedgerSeq seq, std::string_view record) -> Result<bool> {
    if (as_json) {
      CRM_ASSIGN_OR_RETURN(nlohmann::ordered_json line, rows.Object(record));
      std::cout << app->Shown(line.dump()) << '\n';
      if (o.follow) std::cout.flush();
    } else {
      const fb::Envelope& e = *fb::GetEnvelope(record.data());
      t.Add({std::to_string(seq.value()), FormatTimestamp(Timestamp(e.recorded_at())), e.stream()->str(),
             std::to_string(e.stream_version()), std::string(EventTypeName(e.payload_type())), e.actor()->str()});
    }
    return true;
  };
  CRM_RETURN_IF_ERROR(ForEachRecord(app, o.filter, o.follow, print));
  if (as_json) return Output{};
  std::ostringstream text;
  t.Print(text);
  return TextOutput(text.str());
}

struct LedgerExportOpts {
  RecordFilter filter;
  std::string format = "jsonl";
  std::string output;
};

// Writes to a temporary file beside the output and renames it into place once complete and
// synced, so a failed or interrupted export leaves no half-written file.
Result<Output> ExportLedger(App* app, const LedgerExportOpts& o) {
  const bool to_stdout = o.output == "-";
  const std::string partial = o.output + ".partial-" + std::to_string(::getpid());
  std::FILE* out = to_stdout ? stdout : std::fopen(partial.c_str(), "wb");
  if (out == nullptr) return Status::FailedPrecondition("cannot write " + o.output + ": " + std::strerror(errno));
  auto discard = [&](const Status& s) {
    if (!to_stdout) {
      std::fclose(out);
      std::remove(partial.c_str());
    }
    return s;
  };
  EventRows rows;
  const bool csv = o.format == "csv";
  uint64_t events = 0, first = 0, last = 0;
  auto write = [&](const std::string& text) {
    if (std::fwrite(text.data(), 1, text.size(), out) == text.size()) return Status::Ok();
    return Status::Unavailable("writing " + o.output + ": " + std::strerror(errno));
  };
  auto each = [&](LedgerSeq seq, std::string_view record) -> Result<bool> {
    CRM_ASSIGN_OR_RETURN(nlohmann::ordered_json object, rows.Object(record));
    CRM_RETURN_IF_ERROR(write(csv ? rows.CsvLine(object) : object.dump() + '\n'));
    if (events++ == 0) first = seq.value();
    last = seq.value();
    return true;
  };
  Status s = csv ? write(rows.CsvHeader()) : Status::Ok();
  if (s.ok()) s = ForEachRecord(app, o.filter, /*follow=*/false, each);
  if (s.ok() && (std::fflush(out) != 0 || (!to_stdout && ::fsync(::fileno(out)) != 0))) {
    s = to_stdout ? Status::Unavailable("writing to standard output")
                  : Status::Unavailable("writing " + o.output + ": " + std::strerror(errno));
  }
  if (!s.ok()) return discard(s);
  if (to_stdout) return Output{};
  std::fclose(out);
  if (std::rename(partial.c_str(), o.output.c_str()) != 0) {
    const Status failed = Status::FailedPrecondition("cannot write " + o.output + ": " + std::strerror(errno));
    std::remove(partial.c_str());
    return failed;
  }
  json summary{{"events", events}, {"format", o.format}, {"output", o.output}};
  std::ostringstream text;
  text << "exported " << events << " events";
  if (events > 0) {
    summary["first"] = first;
    summary["last"] = last;
    text << " (" << first << " to " << last << ")";
  }
  text << " to " << o.output << " as " << o.format;
  return Summary(app, std::move(summary), text.str());
}

Result<Output> Rebuild(App* app, bool check) {
  if (!check) {
    CRM_ASSIGN_OR_RETURN(auto h, app->OpenWriter());
    CRM_ASSIGN_OR_RETURN(RebuildStats stats,
                         crm::Rebuild(h->store(), h->ledger(), Progress("rebuilding"), h->keyring()));
    return Summary(app, {{"records", stats.records}},
                   "rebuilt projections from " + std::to_string(stats.records) + " records");
  }
  CRM_ASSIGN_OR_RETURN(Reader r, app->OpenReader(false));
  // Read models equal to a replay of a damaged ledger prove nothing: it must verify first.
  CRM_ASSIGN_OR_RETURN(VerifyReport verified, VerifyLedger(r.ledger.get()));
  if (!verified.ok) {
    return Status::FailedPrecondition("the ledger does not verify (record " +
                                      std::to_string(verified.first_bad.value()) + ": " + verified.problem +
                                      "); the projections were not compared");
  }
  CRM_ASSIGN_OR_RETURN(RebuildStats stats, CheckRebuild(r.store.get(), r.ledger.get(), Progress("checking")));
  return Summary(app, {{"identical", true}, {"records", stats.records}, {"keys_compared", stats.keys_compared}},
                 "projections identical to a rebuild: " + std::to_string(stats.records) + " records replayed, " +
                     std::to_string(stats.keys_compared) + " keys compared");
}

void AddFilterOptions(CLI::App* sub, RecordFilter* f) {
  sub->add_option("--from", f->from, "first sequence number");
  sub->add_option("--to", f->to, "last sequence number");
  sub->add_option("--stream", f->stream, "only this stream (campaign/CP0001)");
  sub->add_option("--type", f->type, "only this event type (MemberAdded)");
}

}  // namespace

void AddLedgerCommands(App* app) {
  // The ledger's own commands read every record (--from/--to bound them), and `verify` and
  // `digest` take their own --at: the global one would be silently ignored, so it is refused.
  auto on = [app](CLI::App* sub, App::Action action) {
    app->On(sub, [app, action]() -> Result<Output> {
      CRM_RETURN_IF_ERROR(app->RefuseAt());
      return action();
    });
  };
  auto* ledger = app->cli().add_subcommand("ledger", "the event ledger");
  ledger->require_subcommand(1);
  auto* verify = ledger->add_subcommand("verify", "check sequence, schema and hash chain; exit 2 on any fault");
  auto d = std::make_shared<DigestCheck>();
  auto* digest_opt =
      verify->add_option("--digest", d->hex, "a digest from 'ledger digest': prove the ledger unchanged up to --at");
  auto* at_opt = verify->add_option("--at", d->at, "the record the digest was taken at");
  digest_opt->needs(at_opt);
  at_opt->needs(digest_opt);
  on(verify, [app, d, digest_opt] {
    return Verify(app, digest_opt->count() > 0 ? std::optional<DigestCheck>(*d) : std::nullopt);
  });
  auto* digest =
      ledger->add_subcommand("digest", "the chain's hash at a record (default: the last), for an auditor to keep");
  auto at = std::make_shared<uint64_t>(0);
  auto* digest_at = digest->add_option("--at", *at, "the record (sequence number)");
  on(digest, [app, at, digest_at] {
    return Digest(app, digest_at->count() > 0 ? std::optional<uint64_t>(*at) : std::nullopt);
  });
  auto* tail = ledger->add_subcommand("tail", "print events (JSON generated from the schema)");
  auto t = std::make_shared<TailOpts>();
  AddFilterOptions(tail, &t->filter);
  tail->add_option("--limit", t->filter.limit, "at most this many, the first ones");
  tail->add_option("-n,--last", t->filter.last, "only the last N (with --follow: then the new ones)");
  tail->add_flag("--jsonl", t->jsonl, "one JSON object per line");
  tail->add_flag("--follow", t->follow, "keep printing new events");
  on(tail, [app, t] { return Tail(app, *t); });

  auto* exp = ledger->add_subcommand("export", "write events to a file for analytics (columns from the schema)");
  auto e = std::make_shared<LedgerExportOpts>();
  exp->add_option("--format", e->format, "jsonl (one object per event) or csv (one column per schema field)")
      ->check(CLI::IsMember({"jsonl", "csv"}));
  exp->add_option("--output", e->output, "the file to write (replaced whole once complete); - for standard output")
      ->required();
  AddFilterOptions(exp, &e->filter);
  on(exp, [app, e] { return ExportLedger(app, *e); });

  auto* proj = app->cli().add_subcommand("projections", "the read models");
  proj->require_subcommand(1);
  auto* rebuild = proj->add_subcommand("rebuild", "rebuild read models from the ledger");
  auto check = std::make_shared<bool>(false);
  rebuild->add_flag("--check", *check, "rebuild aside and prove it identical to the live read models");
  on(rebuild, [app, check] { return Rebuild(app, *check); });
}

}  // namespace crm::cli
