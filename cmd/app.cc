#include "cmd/app.h"
#include "cmd/command_hint.h"
#include "events/codec.h"
#include "events/quote.h"
#include "projections/rebuild.h"

#include <pwd.h>
#include <unistd.h>

#include <chrono>
#include <sstream>
#include <fstream>
#include <filesystem>
#include <cstdio>
#include <memory>
#include <cstdlib>
#include <iostream>
#include <set>

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace crm::cli {
namespace {

std::string OsUser() {
  if (const char* u = std::getenv("USER"); u != nullptr && *u != '\0') return u;
  if (const passwd* pw = ::getpwuid(::getuid()); pw != nullptr) return pw->pw_name;
  return "unknown";
}

// A count from the environment: nullopt when unset; InvalidArgument, saying it `must be`, when
// it is not a whole number of at least `min`.
Result<std::optional<uint64_t>> EnvCount(const char* name, long long min, const std::string& must_be) {
  const char* text = std::getenv(name);
  if (text == nullptr || *text == '\0') return std::optional<uint64_t>();
  char* end = nullptr;
  const long long n = std::strtoll(text, &end, 10);
  if (*end != '\0' || n < min) {
    return Status::InvalidArgument(std::string(name) + " must be " + must_be + ", not '" + text + "'");
  }
  return std::optional<uint64_t>(static_cast<uint64_t>(n));
}

std::chrono::milliseconds LockTimeout() {
  if (const char* t = std::getenv("CRM_LOCK_TIMEOUT"); t != nullptr && *t != '\0') {
    return std::chrono::milliseconds(static_cast<int64_t>(std::atof(t) * 1000));
  }
  return std::chrono::milliseconds(30000);
}

}  // namespace

// A progress line on stderr when it is a terminal; nothing otherwise.
ProgressFn Progress(const char* what) {
  if (!::isatty(STDERR_FILENO)) return nullptr;
  auto start = std::make_shared<std::chrono::steady_clock::time_point>(std::chrono::steady_clock::now());
  return [what, start](uint64_t done, uint64_t total) {
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - *start).count();
    const double rate = secs > 0 ? static_cast<double>(done) / secs : 0;
    const double eta = rate > 0 ? static_cast<double>(total - std::min(done, total)) / rate : 0;
    const int width = 30;
    const int filled = total > 0 ? static_cast<int>(width * static_cast<double>(done) / static_cast<double>(total)) : width;
    std::fprintf(stderr, "\r%s [%s%s] %llu/%llu  %.0f/s  ETA %.0fs ", what, std::string(filled, '#').c_str(),
                 std::string(width - std::min(filled, width), ' ').c_str(), static_cast<unsigned long long>(done),
                 static_cast<unsigned long long>(total), rate, eta);
    if (done >= total) std::fprintf(stderr, "\n");
  };
}

int ExitCode(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return 0;
    case StatusCode::kInvalidArgument: return 1;
    case StatusCode::kNotFound:
    case StatusCode::kAlreadyExists:
    case StatusCode::kFailedPrecondition:
    case StatusCode::kPermissionDenied: return 2;
    case StatusCode::kAborted: return 3;
    case StatusCode::kUnavailable:
    case StatusCode::kCorruption:
    case StatusCode::kInternal: return 4;
  }
  return 4;
}

Result<RecordNo> ParseNo(const std::string& text, RecordKind kind) { return RecordNo::Parse(text, kind); }

void AddDeleteRestore(App* app, CLI::App* group, RecordKind kind, const std::string& delete_help, DeleteFn write) {
  for (const bool restore : {false, true}) {
    auto* sub = group->add_subcommand(restore ? "restore" : "delete",
                                      restore ? "bring a deleted one back into lists and filters" : delete_help);
    auto id = std::make_shared<std::string>();
    sub->add_option("ID", *id)->required();
    app->On(sub, [app, id, kind, restore, write]() -> Result<Output> {
      CRM_ASSIGN_OR_RETURN(RecordNo no, ParseNo(*id, kind));
      return app->Write([&](Handler& h, const Request& rq) { return write(h, rq, no, restore); },
                        DeletionText(restore));
    });
  }
}

App::HumanFn DeletionText(bool restore) {
  return [restore](const nlohmann::json& a) {
    const std::string shown = a.value("no", "");
    if (!a.value("changed", false)) return shown + (restore ? " is not deleted" : " was already deleted");
    return (restore ? "restored " : "deleted ") + shown;
  };
}

Result<RecordNo> ParseMemberId(const std::string& text) {
  CRM_ASSIGN_OR_RETURN(RecordNo no, RecordNo::Parse(text));
  if (no.kind() != RecordKind::kContact && no.kind() != RecordKind::kLead) {
    return Status::InvalidArgument("'" + text + "' is neither a contact (CT0001) nor a lead (LD0001)");
  }
  return no;
}

Result<bool> ParseYesNo(const std::string& text, const std::string& what) {
  const std::string t = Lower(text);
  if (t == "yes" || t == "true" || t == "1") return true;
  if (t == "no" || t == "false" || t == "0") return false;
  return Status::InvalidArgument(what + " takes yes or no, not '" + text + "'");
}

Result<std::pair<std::string, std::string>> ReadAttachmentFile(const std::string& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return Status::InvalidArgument("cannot read attachment " + path + ": " + ec.message());
  if (size > catalog::kMaxAttachmentBytes) return Status::InvalidArgument("attachment " + path + " is larger than 1 MiB");
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (!in && !in.eof()) return Status::InvalidArgument("cannot read attachment " + path);
  return std::make_pair(std::filesystem::path(path).filename().string(), bytes.str());
}

Result<std::optional<int32_t>> OptMinutes(const std::optional<std::string>& text, const char* flag) {
  if (!text) return std::optional<int32_t>();
  char* end = nullptr;
  const long minutes = std::strtol(text->c_str(), &end, 10);
  if (text->empty() || *end != '\0' || minutes < 0 || minutes > 1000000) {
    return Status::InvalidArgument(std::string(flag) + " takes whole minutes, not '" + *text + "'");
  }
  return std::optional<int32_t>(static_cast<int32_t>(minutes));
}

Result<std::optional<Money>> OptMoney(const std::optional<std::string>& text, const char* flag) {
  if (!text) return std::optional<Money>();
  auto m = ParseMoney(text->empty() ? "0" : *text);
  if (!m.ok()) return m.status().WithContext(flag);
  return std::optional<Money>(*m);
}

Result<std::optional<bool>> ParseYesNo(const std::optional<std::string>& text, const std::string& what) {
  if (!text) return std::optional<bool>();
  CRM_ASSIGN_OR_RETURN(bool yes, ParseYesNo(*text, what));
  return std::optional<bool>(yes);
}

void OptionalOption(CLI::App* sub, const char* flag, std::optional<std::string>* dst, const char* help) {
  sub->add_option_function<std::string>(flag, [dst](const std::string& v) { *dst = v; }, help);
}

void FieldValuesOption(CLI::App* sub, std::vector<std::string>* dst) {
  sub->add_option("--field", *dst, "custom field NAME=VALUE (repeatable; NAME= clears; crmctl field list)");
}

Result<custom::Values> ParseFieldValues(const std::vector<std::string>& args) {
  custom::Values out;
  for (const std::string& arg : args) {
    const size_t eq = arg.find('=');
    if (eq == std::string::npos || Trim(arg.substr(0, eq)).empty()) {
      return Status::InvalidArgument("--field takes NAME=VALUE, not '" + arg + "'");
    }
    const std::string name = Trim(arg.substr(0, eq));
    for (const auto& [have, value] : out) {
      if (EqualsIgnoreCase(have, name)) return Status::InvalidArgument("--field " + name + " is given twice");
    }
    out[name] = arg.substr(eq + 1);
  }
  return out;
}

App::App() : cli_("crmctl: an event-sourced CRM for marketing campaigns", "crmctl") {
  cli_.require_subcommand(1);
  cli_.fallthrough();
  // The release, and the formats it writes (docs/design.md, "Everyday commands").
  cli_.set_version_flag("--version", "crmctl " CRMLEDGER_VERSION " (ledger schema " + std::to_string(kSchemaVersion) +
                                         ", projection format " + std::to_string(kProjectionFormat) + ")");
  cli_.add_option("--data", g_.data_dir, "data directory")->envname("CRM_DATA")->default_val("./crm-data");
  cli_.add_option("--as", g_.actor, "acting user (default: the OS user)")->envname("CRM_USER");
  cli_.add_option("--command-id", g_.command_id, "idempotency key (default: a fresh UUID)")->envname("CRM_COMMAND_ID");
  cli_.add_option("--at", g_.at, "read commands: answer as of a ledger record number or a timestamp");
  cli_.add_option("--expected-version", g_.expected_version, "fail with exit 3 unless the stream is at this version");
  cli_.add_flag("--json", g_.json, "print JSON");
  cli_.add_flag("--quiet,-q", g_.quiet, "print nothing on success (created numbers still print)");
  cli_.add_flag("-v", g_.verbose, "more logging (repeatable)");
  cli_.add_option("--brokers", g_.brokers, "Kafka bootstrap servers HOST:PORT[,..]: use the Kafka ledger")
      ->envname("CRM_BROKERS");
  cli_.add_option("--topic", g_.topic, "Kafka topic of the ledger")->envname("CRM_TOPIC")->default_val("crm.events");
  cli_.add_option("--kafka-config", g_.kafka_config, "KEY=VALUE passed to librdkafka (repeatable)")
      ->allow_extra_args(false);
  cli_.add_option("--tz", g_.tz, "show times in this zone (Europe/Oslo); stored in UTC")->envname("CRM_TZ");
  AddReferenceCommands(this);
  AddPartyCommands(this);
  AddCampaignCommands(this);
  AddMemberCommands(this);
  AddCatalogCommands(this);
  AddDeliveryCommands(this);
  AddHistoryCommand(this);
  AddUserCommands(this);
  AddUndoCommand(this);
  AddCompactCommand(this);
  AddImportCommands(this);
  AddExportCommands(this);
  AddOpportunityCommands(this);
  AddActivityCommands(this);
  AddSegmentCommands(this);
  AddLedgerCommands(this);
  AddProjectCommand(this);
}

namespace {

// The request as typed, minus the global options that do not change what is asked: what a
// command id is bound to (a retry must ask the same).
std::string Fingerprint(int argc, char** argv) {
  static const std::set<std::string> kWithValue = {"--data",    "--as",    "--command-id",  "--expected-version",
                                                   "--brokers", "--topic", "--kafka-config", "--tz"};
  static const std::set<std::string> kFlags = {"--json", "--quiet", "-q", "-v", "-vv"};
  std::string out;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const std::string name = a.substr(0, a.find('='));
    if (kWithValue.contains(name)) {
      if (a.find('=') == std::string::npos) ++i;
      continue;
    }
    if (kFlags.contains(a)) continue;
    out += (out.empty() ? "" : " ") + a;
  }
  return out;
}

}  // namespace

int App::Run(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (!IsValidUtf8(argv[i])) {
      std::cerr << "error: argument " << i << " is not valid UTF-8\n";
      return 1;
    }
  }
  fingerprint_ = Fingerprint(argc, argv);
  try {
    cli_.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return cli_.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return cli_.exit(e);
  } catch (const CLI::CallForVersion& e) {
    std::cout << e.what() << '\n';  // CLI11 2.1 prints it without the line's end
    return 0;
  } catch (const CLI::ParseError& e) {
    if (std::optional<std::string> hint = CommandHint(cli_, argc, argv)) {
      std::cerr << "error: " << *hint << "\n";
      return 1;
    }
    std::string what = e.what();
    if (what.empty()) what = "missing or unknown subcommand";
    std::cerr << "error: " << OneLine(what) << "\n(see crmctl --help)\n";
    return 1;
  }
  // Log lines go to stderr: stdout carries answers (JSON included) only.
  spdlog::set_default_logger(spdlog::stderr_color_mt("crmctl"));
  spdlog::set_level(g_.verbose >= 2 ? spdlog::level::debug : g_.verbose == 1 ? spdlog::level::info : spdlog::level::warn);
  if (g_.actor.empty()) g_.actor = OsUser();
  if (!IsValidUtf8(g_.actor) || !IsValidUtf8(g_.command_id)) {
    std::cerr << "error: the acting user and the command id must be valid UTF-8\n";
    return 1;
  }
  // The actor goes into every event and into the access log: a valid user name or nothing runs.
  // The rule on names refuses it; given on the command line, that is a usage error (exit 1).
  if (Status valid = access::CheckName(g_.actor); !valid.ok()) {
    return Fail(Status::InvalidArgument(valid.WithContext("the acting user (--as, CRM_USER)").message()));
  }
  if (!action_) {
    std::cerr << "error: missing subcommand (see crmctl --help)\n";
    return 1;
  }
  if (auto zone = DisplayZone::Open(g_.tz); zone.ok()) {
    zone_ = std::move(*zone);
  } else {
    return Fail(zone.status());
  }
  try {
    Result<Output> out = action_();
    return out.ok() ? Print(*out) : Fail(out.status());
  } catch (const std::exception& e) {
    return Fail(Status::Internal(e.what()));
  }
}

Result<Timestamp> App::Now() const {
  if (const char* now = std::getenv("CRM_NOW"); now != nullptr && *now != '\0') {
    auto t = ParseTimestamp(now);
    if (!t.ok()) return t.status().WithContext("CRM_NOW");
    return t;
  }
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::system_clock::now().time_since_epoch());
  return Timestamp(micros.count());
}

Request App::MakeRequest() const {
  Request r;
  r.command_id = CommandId(g_.command_id.empty() ? NewUuid() : g_.command_id);
  r.actor = Actor(g_.actor);
  r.now = Now().ok() ? *Now() : Timestamp(0);
  if (g_.expected_version) r.expected_version = StreamVersion(*g_.expected_version);
  r.fingerprint = fingerprint_;
  return r;
}

Result<std::optional<KafkaOptions>> App::Kafka() const {
  if (g_.brokers.empty()) return std::optional<KafkaOptions>();
  KafkaOptions k;
  k.interrupted = interrupted_;
  k.brokers = g_.brokers;
  k.topic = g_.topic;
  if (k.topic.empty()) return Status::InvalidArgument("--topic must not be empty");
  for (const std::string& kv : g_.kafka_config) {
    const size_t eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) return Status::InvalidArgument("--kafka-config takes KEY=VALUE, not '" + kv + "'");
    k.config.emplace_back(kv.substr(0, eq), kv.substr(eq + 1));
  }
  CRM_ASSIGN_OR_RETURN(auto chunk, EnvCount("CRM_APPLY_CHUNK", 1, "a positive number of records"));
  if (chunk) k.apply_chunk = static_cast<size_t>(*chunk);
  CRM_ASSIGN_OR_RETURN(auto ingest, EnvCount("CRM_INGEST_RECORDS", 1, "a positive number of records"));
  if (ingest) k.ingest_records = static_cast<size_t>(*ingest);
  if (const char* t = std::getenv("CRM_KAFKA_TIMEOUT"); t != nullptr && *t != '\0') {
    char* end = nullptr;
    const double seconds = std::strtod(t, &end);
    if (*end != '\0' || !(seconds >= 0.001) || seconds > 86400) {
      return Status::InvalidArgument("CRM_KAFKA_TIMEOUT must be a number of seconds between 0.001 and 86400, not '" + std::string(t) + "'");
    }
    k.timeout = std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000));
  }
  return std::optional<KafkaOptions>(std::move(k));
}

Result<std::unique_ptr<Handler>> App::OpenWriter(bool create, KafkaLedger::CorruptFn on_corrupt) const {
  CRM_RETURN_IF_ERROR(RefuseAt());
  CRM_RETURN_IF_ERROR(Now().status());
  if (g_.command_id.size() > 200) return Status::InvalidArgument("--command-id is longer than 200 characters");
  Handler::Options o;
  o.data_dir = g_.data_dir;
  o.lock_timeout = LockTimeout();
  o.create = create;
  CRM_ASSIGN_OR_RETURN(o.kafka, Kafka());
  o.on_corrupt = std::move(on_corrupt);
  CRM_ASSIGN_OR_RETURN(auto interval, EnvCount("CRM_SNAPSHOT_INTERVAL", 0, "a number of records (0: no snapshots)"));
  if (interval) o.snapshot_interval = *interval;
  CRM_ASSIGN_OR_RETURN(auto handler, Handler::Open(o));
  CRM_RETURN_IF_ERROR(handler->Authorize(Actor(g_.actor), access::Need::kWrite));
  handler->SetProgress(Progress("selecting"));
  return handler;
}

Status App::RefuseAt() const {
  if (g_.at.empty()) return Status::Ok();
  return Status::InvalidArgument("--at applies to read commands only");
}

Result<Reader> App::OpenReader(bool allow_at) const {
  if (!allow_at) {
    CRM_RETURN_IF_ERROR(RefuseAt());
  }
  ReadOptions o;
  o.data_dir = g_.data_dir;
  CRM_ASSIGN_OR_RETURN(o.kafka, Kafka());
  o.actor = Actor(g_.actor);
  o.at = g_.at;
  o.note = [](const std::string& line) { std::cerr << line << '\n'; };
  CRM_ASSIGN_OR_RETURN(Reader r, OpenReadView(o));
  projection_ = r.projection;
  as_of_ = r.as_of_json;
  if (r.as_of && g_.verbose > 0) std::cerr << "note: answering as of record " << *r.as_of << '\n';
  return r;
}

int App::Fail(const Status& s) const {
  if (s.code() == StatusCode::kPermissionDenied) LogRefusal(s);
  std::cerr << "error: " << OneLine(s.message()) << '\n';
  if (s.code() == StatusCode::kAborted) std::cerr << "hint: reload and retry the command\n";
  return ExitCode(s.code());
}

int App::Print(const Output& out) const {
  if (out.json && (g_.json || out.always_json)) {
    PrintJson(*out.json);
  } else {
    std::cout << Shown(out.text);
  }
  if (!out.warning.empty()) {
    std::cout.flush();
    std::cerr << "warning: " << out.warning << '\n';
  }
  return out.failure.ok() ? 0 : Fail(out.failure);
}

void App::On(CLI::App* sub, Action action) {
  sub->callback([this, action = std::move(action)] { action_ = action; });
}

Result<Output> App::Answer(const Result<nlohmann::json>& answer, const HumanFn& human) const {
  if (!answer.ok()) return answer.status();
  // The id `undo` takes; on a terminal only, so that scripts keep reading one answer line.
  if (!g_.json && ::isatty(STDERR_FILENO) && answer->contains("command_id")) {
    std::cerr << "command " << answer->at("command_id").get<std::string>() << '\n';
  }
  Output out;
  out.json = *answer;
  if (answer->contains("no") && !answer->contains("changed")) {
    out.text = answer->at("no").get<std::string>() + '\n';  // creates print their number alone
  } else if (!g_.json && !g_.quiet && human) {
    const std::string text = human(*answer);
    if (!text.empty()) out.text = text + '\n';
  }
  return out;
}

Result<Output> App::Write(const WriteFn& write, const HumanFn& human) const {
  CRM_ASSIGN_OR_RETURN(auto handler, OpenWriter());
  return Answer(write(*handler, MakeRequest()), human);
}

void App::LogRefusal(const Status& s) const {
  // Refusals are kept with the data set they concern, for its auditors; when that file cannot
  // be opened the warning goes to standard error instead.
  std::shared_ptr<spdlog::logger> log;
  try {
    log = spdlog::basic_logger_mt("access", g_.data_dir + "/access.log");
    // In UTC whatever zone times are shown in (--tz sets the process's TZ): one file, one clock.
    log->set_pattern("[%Y-%m-%dT%H:%M:%S.%eZ] [%l] %v", spdlog::pattern_time_type::utc);
  } catch (const spdlog::spdlog_ex&) {
    log = spdlog::default_logger();
  }
  // The command's words only: the values given may be personal data, which an erasure could
  // not reach in this file.
  std::string words;
  for (const CLI::App* sub = &cli_; (sub = sub->get_subcommands().empty() ? nullptr : sub->get_subcommands().front());) {
    if (!words.empty()) words.push_back(' ');
    words += sub->get_name();
  }
  log->warn("refused actor={} command=[{}]: {}", g_.actor, words, OneLine(s.message()));
  log->flush();
}

void App::PrintJson(const nlohmann::json& json) const {
  nlohmann::json with_lag;
  if ((projection_ || as_of_) && json.is_object()) {
    with_lag = json;
    if (projection_) with_lag["projection"] = *projection_;
    if (as_of_) with_lag["as_of"] = *as_of_;
  }
  const nlohmann::json& j = with_lag.is_null() ? json : with_lag;
  // Replace, never throw: a record written before text was validated must still print.
  const auto replace = nlohmann::json::error_handler_t::replace;
  std::cout << Shown(::isatty(STDOUT_FILENO) ? j.dump(2, ' ', false, replace) : j.dump(-1, ' ', false, replace)) << '\n';
}

std::string App::Shown(std::string_view text) const {
  return zone_ ? zone_->Localize(text) : std::string(text);
}

}  // namespace crm::cli
