// The crmctl application context shared by every subcommand: global options (flags and their
// environment variables), the clock, the actor, how to open the data directory for writing
// (Handler) or reading (ReadModel), and how results and errors are printed.
//
// Every command is an Action returning Result<Output> (cmd/output.h); App::Run prints the output,
// or turns the error into one line `error: <what>` on stderr and its exit code (SPEC §3): 0 ok;
// 1 usage; 2 rejected by a rule; 3 concurrency conflict; 4 storage.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "app/handler.h"
#include "app/reader.h"
#include "cmd/output.h"
#include "cmd/table.h"
#include "cmd/time_zone.h"

namespace crm {
struct DeliveryReport;  // app/delivery.h
}  // namespace crm

namespace crm::cli {

struct Globals {
  std::string data_dir;
  std::string actor;
  std::string command_id;
  bool json = false;
  bool quiet = false;
  int verbose = 0;
  std::optional<uint64_t> expected_version;
  std::string at;  // --at SEQ|TIMESTAMP: read commands answer as of then (projections/as_of.h)
  // Kafka mode (SPEC §2): set brokers to use the Kafka ledger; data_dir is then its replica.
  std::string brokers;
  std::string topic;
  std::vector<std::string> kafka_config;  // KEY=VALUE
  std::string tz;                         // the zone times are shown in (cmd/time_zone.h); empty: UTC
};

// A read-only view of the data directory (app/reader.h). With --at, `rm` answers from an as-of
// view and `as_of` is the last record it includes; `ledger` is always the whole.
using Reader = ReadView;

class App {
 public:
  App();
  int Run(int argc, char** argv);

  Globals& globals() { return g_; }
  CLI::App& cli() { return cli_; }

  using Action = std::function<Result<Output>()>;
  // What `sub` does when it is the parsed subcommand.
  void On(CLI::App* sub, Action action);

  Result<Timestamp> Now() const;
  Request MakeRequest() const;
  Result<std::unique_ptr<Handler>> OpenWriter(bool create = false,
                                              KafkaLedger::CorruptFn on_corrupt = nullptr) const;
  // In Kafka mode, also measures how far the data directory is behind the log; --json object
  // outputs then carry it as "projection", and a lag is noted on stderr. With --at, the read
  // model is the state as of then (JSON objects carry "as_of"); commands that cannot answer
  // as of a point (the ledger's own, writes) pass allow_at = false and refuse it.
  Result<Reader> OpenReader(bool allow_at = true) const;
  // InvalidArgument when --at was given to a command that cannot answer as of a point.
  Status RefuseAt() const;
  // The Kafka settings when --brokers/CRM_BROKERS is set; nullopt in embedded mode.
  Result<std::optional<KafkaOptions>> Kafka() const;
  // Long-running commands (project --follow): waits on the Kafka cluster end early once it
  // returns true (KafkaOptions::interrupted).
  void SetInterrupted(std::function<bool()> interrupted) { interrupted_ = std::move(interrupted); }

  using HumanFn = std::function<std::string(const nlohmann::json&)>;
  // A write's answer: its JSON (--json); else the created number alone, or `human(answer)`
  // (unless --quiet; nothing when human is null). A failed answer is the handler's error as is:
  // a rule's refusal is FailedPrecondition (or NotFound, AlreadyExists, PermissionDenied).
  Result<Output> Answer(const Result<nlohmann::json>& answer, const HumanFn& human = nullptr) const;
  // Opens the writer and answers what `write` returns for a fresh request (the usual write).
  using WriteFn = std::function<Result<nlohmann::json>(Handler&, const Request&)>;
  Result<Output> Write(const WriteFn& write, const HumanFn& human = nullptr) const;
  // Prints JSON (pretty when a terminal), with the replica's lag and the --at point on objects.
  void PrintJson(const nlohmann::json& j) const;
  // `text` as shown: its UTC times in the user's zone (--tz, CRM_TZ; cmd/time_zone.h), for
  // commands that print as they go.
  std::string Shown(std::string_view text) const;

 private:
  CLI::App cli_;
  Globals g_;
  std::string fingerprint_;  // the command line without global options (see MakeRequest)
  mutable std::optional<nlohmann::json> projection_;  // lag of a Kafka replica (OpenReader)
  mutable std::optional<nlohmann::json> as_of_;       // the point an --at read answers from
  std::optional<DisplayZone> zone_;                   // --tz, CRM_TZ
  Action action_;
  std::function<bool()> interrupted_;
  // Prints the error line and returns its exit code.
  int Fail(const Status& s) const;
  // Prints an output (then its failure, if any) and returns the exit code.
  int Print(const Output& out) const;
  // Appends a refused command to DATA/access.log (spdlog), with the actor and the command line.
  void LogRefusal(const Status& s) const;
};

int ExitCode(StatusCode code);

// A progress bar with rate and ETA on stderr when stderr is a terminal; empty (nothing) otherwise.
ProgressFn Progress(const char* what);

// An option whose absence matters (set commands): `*dst` stays nullopt unless given.
void OptionalOption(CLI::App* sub, const char* flag, std::optional<std::string>* dst, const char* help);

// `--field NAME=VALUE` (repeatable; NAME= clears): custom field values (aggregates/custom_fields.h),
// kept as typed until ParseFieldValues reads them.
void FieldValuesOption(CLI::App* sub, std::vector<std::string>* dst);
Result<custom::Values> ParseFieldValues(const std::vector<std::string>& args);

// `delete ID` and `restore ID` under `group` (SPEC §4.11), for records of `kind`: `write` records
// the deletion (restore = false) or the restore; the answer says which, or that nothing changed.
using DeleteFn = std::function<Result<nlohmann::json>(Handler&, const Request&, const RecordNo&, bool restore)>;
void AddDeleteRestore(App* app, CLI::App* group, RecordKind kind, const std::string& delete_help, DeleteFn write);
// The text answer of a delete or restore ({"no", "changed"}): "deleted CT0001", "CT0001 was
// already deleted", ...
App::HumanFn DeletionText(bool restore);

// Parsers for option values: InvalidArgument on bad input.
Result<RecordNo> ParseNo(const std::string& text, RecordKind kind);
Result<RecordNo> ParseMemberId(const std::string& text);
Result<bool> ParseYesNo(const std::string& text, const std::string& what);
// nullopt when the option was not given.
Result<std::optional<bool>> ParseYesNo(const std::optional<std::string>& text, const std::string& what);
// An attachment file (at most catalog::kMaxAttachmentBytes): its file name and its bytes.
Result<std::pair<std::string, std::string>> ReadAttachmentFile(const std::string& path);
// A whole number of minutes (0 to 1,000,000); nullopt when not given.
Result<std::optional<int32_t>> OptMinutes(const std::optional<std::string>& text, const char* flag);
// An amount option: nullopt when not given, 0 when given empty.
Result<std::optional<Money>> OptMoney(const std::optional<std::string>& text, const char* flag);

// Rows as `roster --json` and `interactions --json` print them (and `export` writes them).
nlohmann::json RosterJson(const RosterRow& row, const std::optional<nlohmann::json>& party);
nlohmann::json InteractionListJson(const InteractionRow& entry);

// A catalogue command (cmd/catalog_cmds.cc): answers `done`, or "no change".
Result<Output> RunCatalog(App* app, catalog::Command c, const std::string& done);
// Runs `print` on the catalogue as a reader sees it.
Result<Output> WithCatalog(App* app, const std::function<Result<Output>(const catalog::State&)>& print);

// Subcommand groups (cmd/*_cmds.cc).
void AddReferenceCommands(App* app);
void AddPartyCommands(App* app);
void AddCampaignCommands(App* app);
void AddMemberCommands(App* app);
void AddCatalogCommands(App* app);
void AddSegmentCommands(App* app);
// segment log (under `segment`), interactions, logged-segment, campaign-entry.
void AddInteractionCommands(App* app, CLI::App* segment);
// delivery retry; DeliveryOutput reports a delivery run after `done` (what came before it: the
// logging), with `answer` merged into the --json object. Failed deliveries are the output's
// failure, exit 4 (the SMTP server or the outbox failed; the log itself stands).
void AddDeliveryCommands(App* app);
Result<Output> DeliveryOutput(App* app, nlohmann::json answer, const std::string& done,
                              const Result<DeliveryReport>& report);
void AddLedgerCommands(App* app);
// history ID: every change of one record.
void AddHistoryCommand(App* app);
void AddProjectCommand(App* app);
// user add/set-role/remove/list.
void AddUserCommands(App* app);
// undo COMMAND-ID.
void AddUndoCommand(App* app);
// compact.
void AddCompactCommand(App* app);
// import contacts|leads FILE; export contacts|leads|roster|interactions|tasks|prices.
void AddImportCommands(App* app);
void AddExportCommands(App* app);
// sales-cycle and opportunity (SPEC §4.8); lead convert under `lead` (SPEC §4.2).
void AddOpportunityCommands(App* app);
void AddConvertCommand(App* app, CLI::App* lead);
// activity add|list|show (SPEC §4.8), and, through AddTaskCommands, activity assign.
void AddActivityCommands(App* app);
// task create|set|complete|cancel|show|list and `activity assign` under `activity` (SPEC §4.8).
void AddTaskCommands(App* app, CLI::App* activity);
// campaign price add|list|remove and campaign activate|deactivate under `campaign`, and
// price quote (SPEC §4.7).
void AddPriceCommands(App* app, CLI::App* campaign);
// A task as `task show --json` prints it and `export tasks` writes it.
nlohmann::json TaskJson(const TaskRow& t);
// A campaign's price line as `campaign price list --json` prints it and `export prices` writes it:
// campaign, item, unit, min_qty, and discount (percent) or price (amount).
nlohmann::json PriceLineJson(const RecordNo& campaign, const campaign::PriceLine& line);
// "discount 10.0 %" or "price 99.50".
std::string PriceText(const campaign::PriceLine& line);

}  // namespace crm::cli
