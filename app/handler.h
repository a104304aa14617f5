// The command handler: the one in-process entry point for every write, shared by the CLI and the
// coming server mode. For each command it (1) answers a repeated command id with the stored
// answer and writes nothing, (2) loads just the state the decision needs from the read models
// (never a replay of a stream's history), (3) asks the pure aggregate to decide, and (4) appends
// the events, the projection rows and the answer in one synced write.
//
// Answers are JSON objects with "command_id" and what changed; creates carry "no". The embedded
// ledger gives a single writer per data directory (Store's lock), so a decision's inputs cannot
// change before its append; an explicit expected version is still checked atomically. In Kafka
// mode the data directory is a replica of the log, caught up at open; when another writer's
// batch lands first, the append is superseded and the command is decided again on the caught-up
// replica (at most kMaxAttempts times, backing off), so no update is ever lost.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "aggregates/access.h"
#include "aggregates/campaign.h"
#include "aggregates/campaign_prices.h"
#include "aggregates/catalog.h"
#include "aggregates/contact.h"
#include "aggregates/lead.h"
#include "aggregates/delivery.h"
#include "aggregates/import.h"
#include "aggregates/logging.h"
#include "aggregates/membership.h"
#include "aggregates/opportunity.h"
#include "aggregates/task.h"
#include "aggregates/reference.h"
#include "aggregates/segment.h"
#include "events/embedded_ledger.h"
#include "events/kafka_ledger.h"
#include "events/key_topic.h"
#include "events/keyring.h"
#include "events/store.h"
#include "io/rows.h"
#include "projections/as_of.h"
#include "projections/projector.h"
#include "projections/queries.h"
#include "projections/rebuild.h"

namespace crm {

struct Request {
  CommandId command_id;
  Actor actor;
  Timestamp now;
  std::optional<StreamVersion> expected_version;  // of the command's main stream
  // What was asked (e.g. the command line without output flags). Stored with the answer; a
  // retry with the same command id but a different request is refused instead of answered.
  std::string fingerprint;
  // The command this one undoes (undo): recorded as the events' causation id.
  std::optional<CommandId> undoes;
  // The correlation id of its records when not the command id (an import's batches carry the
  // import's id).
  std::string correlation_id;
};

// Which members a bulk member command is about: explicit ids, a filter, or all members.
struct MemberSelection {
  RecordNo campaign;
  std::vector<RecordNo> ids;
  std::vector<std::string> filter;  // FIELD=EXPR arguments
  bool all = false;
};

// A segment command as the CLI states it; the handler turns criteria into the contacts they
// select and decides on the segment's state (aggregates/segment.h).
struct SegmentAddContacts {
  RecordNo no;
  std::vector<std::string> filter;  // FIELD=EXPR arguments over contacts
  bool allow_existing = false, expand_companies = false, include_companies = false, ignore_exclusion = false;
};
struct SegmentNarrow {
  RecordNo no;
  fb::SegmentStepKind kind = fb::SegmentStepKind::Reduce;  // or Refine
  std::vector<std::string> filter;
};
// Saves the segment's steps in effect under a code; reuse runs them again on another segment,
// against the contacts as they are now (each saved step becomes a step of that segment).
struct SegmentSaveCriteria {
  RecordNo no;
  std::string code, description;
};
struct SegmentReuseCriteria {
  RecordNo no;
  std::string code;
};
// Adds the contacts of a logged segment (exclusions still apply).
struct SegmentReuseSegment {
  RecordNo no;
  RecordNo logged;
  bool ignore_exclusion = false;
};
// segment log's options: a follow-up segment, the status new campaign-target members get (empty:
// the default), and whether its entries are to be delivered (--send).
struct SegmentLogOptions {
  bool follow_up = false;
  std::string member_status;
  bool send = false;
};

// Rows per appended batch of an import. Two batches are in memory at a time (one appended, the
// next decided ahead): 2,000 keeps a million-row import near 265 MB, and fewer rows per batch
// cost little (docs/performance.md "Import").
inline constexpr size_t kImportBatchRows = 2000;

// import contacts|companies|leads|campaigns|members (SPEC §4.9): how the rows of one file become
// records.
struct ImportOptions {
  import::Target target = import::Target::kContacts;
  import::Mapping mapping;
  import::Duplicates duplicates = import::Duplicates::kSkip;
  std::optional<RecordNo> campaign;  // the records become its members
  std::string member_status;         // with this status (empty: the default)
  bool dry_run = false;              // decide every row, write nothing
  size_t batch_rows = kImportBatchRows;  // rows per appended batch (memory stays bounded)
  uint64_t total_rows = 0;           // for the progress bar (the CLI counts them first)
  // A dry run decides its rows as if these were added (import --create-missing,
  // --add-missing-statuses): owners (lower case) -> the code they would get; lead statuses.
  import::Owners planned_owners;
  std::map<std::string, bool> planned_statuses;  // lead, campaign or member statuses (-> responded)
};
using ImportRowFn = std::function<void(const import::RowResult&)>;

// lead convert LD [--account CT | --new-account] [--opportunity NAME --value AMT --sales-cycle
// CODE [--close-date D] [--campaign CP]] (SPEC §4.2). Without --account or --new-account, a
// lead with a company name gets a new account and one without gets none. The opportunity's
// campaign is --campaign, else the campaign the lead joined last, if any.
struct LeadConversion {
  RecordNo lead;
  std::optional<RecordNo> account;
  bool new_account = false;
  std::optional<std::string> opportunity;  // its description
  Money value{0};
  std::string sales_cycle, close_date;
  std::optional<RecordNo> campaign;
};

using SegmentCommand = std::variant<segment::SetHeader, SegmentAddContacts, SegmentNarrow, segment::AddLines,
                                    segment::RemoveLines, segment::GoBack, segment::Redo, segment::SetLine,
                                    SegmentSaveCriteria, SegmentReuseCriteria, SegmentReuseSegment,
                                    segment::DeleteSegment>;

class Handler {
 public:
  struct Options {
    std::string data_dir;
    std::chrono::milliseconds lock_timeout{30000};
    bool create = false;  // init only
    std::shared_ptr<rocksdb::Statistics> statistics;
    std::optional<KafkaOptions> kafka;  // set: the Kafka ledger, with data_dir as its replica
    KafkaLedger::CorruptFn on_corrupt;  // Kafka: a log record that fails the verifier
    // Records between as-of snapshots (projections/as_of.h); 0 takes none.
    uint64_t snapshot_interval = kDefaultSnapshotInterval;
  };
  static constexpr int kMaxAttempts = 200;
  static Result<std::unique_ptr<Handler>> Open(const Options& options);
  // Takes an as-of snapshot when one is due (after every command; `crmctl project` calls it as
  // it follows the log). A failure is logged: it costs as-of reads speed, not correctness.
  void MaybeSnapshot();
  // Whether `actor` may do what `need` names, by the users as they are now (commands check this
  // themselves; the CLI checks kWrite when it opens a writer, so that even commands that only
  // rebuild or project are refused to an auditor).
  Status Authorize(const Actor& actor, access::Need need);
  // `crmctl compact`: drops the as-of snapshots and force-compacts the storage, so that no
  // file keeps replaced data (part of erasure: roles that may erase). Returns the snapshots
  // dropped.
  Result<size_t> Compact(const Actor& actor);

  Result<nlohmann::json> Reference(const Request& r, reference::Command c);
  Result<nlohmann::json> Users(const Request& r, const access::Command& c);
  // Compensating events for command `target` (aggregates/undo.h), their causation id `target`.
  Result<nlohmann::json> Undo(const Request& r, const CommandId& target);
  Result<nlohmann::json> Catalog(const Request& r, catalog::Command c);
  Result<nlohmann::json> CreateContact(const Request& r, contact::CreateContact c);
  Result<nlohmann::json> ChangeContact(const Request& r, contact::ChangeContact c);
  // contact opt-in / opt-out / bounce.
  Result<nlohmann::json> RecordConsent(const Request& r, contact::RecordConsent c);
  // contact erase / lead erase (SPEC §4.10): PersonalDataErased, destroying the person's key in
  // the same write (in Kafka mode its tombstone is published first). Roles that may erase. The
  // old values stay in the storage files (and as-of snapshots) until `Compact`.
  Result<nlohmann::json> Erase(const Request& r, const RecordNo& no);
  // contact delete|restore, lead delete|restore (SPEC §4.11): RecordDeleted. Deleting is refused
  // while an open opportunity is the record's, or (a company) a person that is not deleted is
  // one of its people; those are found by a pass over opportunities and contacts.
  Result<nlohmann::json> DeleteRecord(const Request& r, contact::DeleteRecord c);
  // campaign delete|restore: CampaignDeleted; refused while interactions logged on it are not
  // canceled or its opportunities are open (a pass over its interactions and the opportunities).
  Result<nlohmann::json> DeleteCampaign(const Request& r, campaign::DeleteCampaign c);
  // salesperson / interaction-template delete and restore (handler_tidying.cc).
  Result<nlohmann::json> DeleteCatalogEntry(const Request& r, catalog::DeleteEntry c);
  Result<nlohmann::json> CreateLead(const Request& r, contact::CreateLead c);
  Result<nlohmann::json> ChangeLead(const Request& r, contact::ChangeLead c);
  Result<nlohmann::json> CreateCampaign(const Request& r, campaign::CreateCampaign c);
  Result<nlohmann::json> ChangeCampaign(const Request& r, campaign::ChangeCampaign c);
  // campaign attach / detach (SPEC §4.7): answers the campaign, the file name and whether it changed.
  Result<nlohmann::json> AttachToCampaign(const Request& r, const campaign::Attach& c);
  Result<nlohmann::json> DetachFromCampaign(const Request& r, const campaign::Detach& c);
  // campaign price add / remove, campaign activate / deactivate (SPEC §4.7; app/handler_prices.cc).
  // Activation answers the target group's size and the number of price lines.
  Result<nlohmann::json> SetCampaignPrice(const Request& r, const campaign::SetPrice& c);
  Result<nlohmann::json> RemoveCampaignPrice(const Request& r, const campaign::RemovePrice& c);
  Result<nlohmann::json> ActivateCampaign(const Request& r, const RecordNo& no, bool activate);
  Result<nlohmann::json> CloneCampaign(const Request& r, const RecordNo& source, std::optional<std::string> name);
  Result<nlohmann::json> AddMembers(const Request& r, const MemberSelection& s, const std::string& status);
  Result<nlohmann::json> RemoveMembers(const Request& r, const MemberSelection& s);
  Result<nlohmann::json> SetMemberStatus(const Request& r, const MemberSelection& s, const std::string& status,
                                         fb::MemberHow how);
  Result<nlohmann::json> CreateSegment(const Request& r, const std::string& description);
  Result<nlohmann::json> Segment(const Request& r, SegmentCommand c);
  // segment log (SPEC 4.6): the logged segment, its interactions and campaign entry, the roster
  // changes of its campaign-target and campaign-response lines and, with `follow_up`, a new
  // segment with the same campaign and contacts, as one atomic command. Sending happens after,
  // entry by entry (app/delivery), recorded through StartDeliveries/FinishDeliveries.
  // Cancel (or with `undo`, reverse the cancel of) a logged segment with its entries, an
  // interaction entry or a campaign entry; delete a canceled one.
  // interaction log: one interaction entered by hand.
  Result<nlohmann::json> LogInteraction(const Request& r, logging::ManualInteraction c);
  Result<nlohmann::json> CancelEntry(const Request& r, const RecordNo& no, bool undo);
  Result<nlohmann::json> DeleteEntry(const Request& r, const RecordNo& no);
  Result<nlohmann::json> LogSegment(const Request& r, const RecordNo& no, const SegmentLogOptions& o);
  // Delivery (SPEC 4.6, aggregates/delivery.h): opens an attempt on each entry, or records the
  // outcomes of open attempts, for entries of one logged segment, as one command. Answers
  // {"attempts": {"IExxxx": n, ...}} / {"outcomes": n}.
  Result<nlohmann::json> StartDeliveries(const Request& r, const RecordNo& logged, const std::vector<delivery::Attempt>& a);
  Result<nlohmann::json> FinishDeliveries(const Request& r, const RecordNo& logged, const std::vector<delivery::Outcome>& o);
  // Imports the rows of `rows`, batch by batch: each batch of rows is one append (command id
  // "ID#n", the last batch "ID" itself, all with correlation id ID), so memory stays bounded and
  // a failed row never stops the others. Every row is reported to `on_row` (rows a batch of an
  // earlier run of the same command id already imported are not: that batch is skipped, so an
  // interrupted import goes on where it stopped). Answers the totals, which the last batch
  // stores (a repeated import answers them again). No personal data in answers: a report row's
  // reason stays with the caller.
  Result<nlohmann::json> Import(const Request& r, const ImportOptions& o, io::RowSource* rows,
                                const ImportRowFn& on_row);
  // lead convert (app/handler_opportunity.cc): the contacts, the optional opportunity,
  // the moved memberships and LeadConverted, as one command. Answers the numbers made.
  Result<nlohmann::json> ConvertLead(const Request& r, const LeadConversion& c);
  // opportunity create / next / previous / jump / close (SPEC §4.8).
  Result<nlohmann::json> CreateOpportunity(const Request& r, opportunity::Create c);
  Result<nlohmann::json> MoveOpportunity(const Request& r, const opportunity::ChangeStage& c);
  Result<nlohmann::json> CloseOpportunity(const Request& r, const opportunity::Close& c);
  // task create / set / complete / cancel and activity assign (SPEC §4.8; app/handler_tasks.cc).
  // Answers the tasks made, or whether the task changed and its status.
  Result<nlohmann::json> CreateTask(const Request& r, task::Create c);
  Result<nlohmann::json> ChangeTask(const Request& r, const task::Change& c);
  Result<nlohmann::json> AssignActivity(const Request& r, const task::Assign& c);
  // The tasks of an activity assignment, numbered from the task series in `batch`: by
  // `activity assign` and by an opportunity entering a stage with an activity.
  Result<Events> ActivityTasks(ReadModel& rm, const catalog::State& catalog, const task::Assign& c,
                               AppendBatch* batch);
  Result<nlohmann::json> AddToCampaigns(const Request& r, const RecordNo& member, const std::vector<RecordNo>& campaigns,
                                        const std::string& status);

  // Seals the personal data of the batch's events with each person's key (made when new), and
  // the answer too when the command is one person's: on that person's `stream`, or all its
  // events on it (events/sealing.h). Commands about several people must keep personal data out
  // of their answers and command lines. Every command's batch passes here before the append
  // (bulk loads that append directly call it too).
  Status Seal(AppendBatch* batch, const StreamId& stream = StreamId());

  // Reports progress of long selections (mass update, add by filter): rows examined so far and
  // the expected total. Empty by default.
  void SetProgress(ProgressFn progress) { progress_ = std::move(progress); }

  Store* store() { return store_.get(); }
  // The data directory's ledger: the ledger itself, or in Kafka mode the replica of the log.
  EmbeddedLedger* ledger() { return replica_.get(); }
  Keyring* keyring() { return keyring_.get(); }
  KafkaLedger* kafka() { return kafka_.get(); }

 private:
  Handler() = default;
  // What a decision asks for besides its events, done once they are in the ledger: never by an
  // attempt that lost to another writer, never twice for a retried command id.
  struct Effects {
    // People whose keys other replicas must stop receiving (Kafka: tombstones on TOPIC.keys).
    // Run also when the decision appended nothing (erasing again), so that a command repeated
    // after a crash between its append and its effects completes them.
    std::vector<RecordNo> unpublish_keys;
  };
  using DecideFn = std::function<Result<nlohmann::json>(ReadModel& rm, AppendBatch* batch)>;
  using DecideWithEffectsFn = std::function<Result<nlohmann::json>(ReadModel& rm, AppendBatch* batch, Effects* effects)>;
  // The common path: idempotency, decide, append, then the decision's effects. `stream` is
  // checked against expected_version; an empty stream (creates, commands over several streams)
  // refuses an expected version. `need`: what the actor's role must allow (aggregates/access.h):
  // PermissionDenied if not.
  Result<nlohmann::json> Run(const Request& r, const StreamId& stream, const DecideFn& fn,
                             access::Need need = access::Need::kWrite);
  Result<nlohmann::json> Run(const Request& r, const StreamId& stream, const DecideWithEffectsFn& fn,
                             access::Need need = access::Need::kWrite);
  Status RunEffects(const Effects& effects);
  // A command id already in the ledger: its stored answer, as Run gives it (the same request
  // check). For commands that decide in several appends (imports and their undo).
  Result<nlohmann::json> Repeat(const Request& r);
  // The next number of a series (the one mechanism behind every human number); the batch records
  // it so the series advances atomically with the record.
  Result<RecordNo> NextNumber(RecordKind kind, AppendBatch* batch);
  // `n` consecutive numbers of a series; returns the counter of the first.
  Result<uint64_t> NextNumbers(RecordKind kind, uint64_t n, AppendBatch* batch);
  Result<std::vector<RecordNo>> SelectMembers(ReadModel& rm, const MemberSelection& s, std::string* criteria);
  // What a decision over existing members needs: the reference data, the campaign, the selected
  // members and their memberships. Heap-held because `cx` points into it.
  struct Selection {
    reference::State ref;
    campaign::State cp;
    std::vector<RecordNo> ids;
    std::string criteria;
    membership::Context cx;
  };
  Result<std::unique_ptr<Selection>> LoadSelection(ReadModel& rm, const MemberSelection& s);
  // The memberships of `ids` in `cp` and, with need_known, which ids exist (and which are
  // converted leads). `found`: ids a filter has just found in the read model (they exist and are
  // not converted leads), not looked up again; with many, the roster may be scanned once.
  Result<membership::Context> MemberContext(ReadModel& rm, const reference::State& ref, const campaign::State& cp,
                                            const std::vector<RecordNo>& ids, bool need_known,
                                            const std::set<RecordNo>* found = nullptr);
  // A response of `ids` to campaign `cp` (a logged response segment, or one logged by hand):
  // members move to the first responded status, others join with it. One definition of
  // "responded" for the roster and the statistics: the member's status (docs/design.md).
  Result<Events> Respond(ReadModel& rm, const reference::State& ref, const campaign::State& cp,
                         const std::vector<RecordNo>& ids, const CommandContext& ctx, const std::string& criteria);
  // Canceling entry `no` (a logged segment or an interaction entry) takes back the responses
  // its response entries registered; undoing the cancel puts them back (membership::TakeBack).
  Result<Events> TakeBackResponses(ReadModel& rm, const RecordNo& no, bool undo, const CommandContext& ctx);
  // The segment, its lines, the catalogue and, for `ids`, the facts a step needs.
  Result<segment::Context> SegmentContext(ReadModel& rm, const RecordNo& no, const reference::State* ref,
                                          const catalog::State* catalog);
  // Undo of an import (handler_undo.cc): its batches last first, each its own append, after a
  // pass that checks them all and writes nothing.
  Result<nlohmann::json> UndoImport(const Request& r, const CommandId& target);
  Result<campaign::Context> CampaignContext(ReadModel& rm, const reference::State* ref, const std::string& parent,
                                            const RecordNo* self);
  // Imports decided one batch at a time (campaigns, campaign members: app/handler_import_campaigns.cc),
  // with Import's batches, command ids, repeats and answers. `decide` decides one batch of rows into
  // `batch` and gives each row's outcome.
  using DecideRowsFn = std::function<Result<std::vector<import::RowResult>>(
      ReadModel& rm, const std::vector<io::TableRow>& rows, AppendBatch* batch)>;
  Result<nlohmann::json> ImportInBatches(const Request& r, const ImportOptions& o, io::RowSource* rows,
                                         const ImportRowFn& on_row, const DecideRowsFn& decide);
  // The rows per batch of import `r`: as an earlier run of the same command cut them (its first
  // batch's row count), whatever `given` says now, so that its batch n is this run's batch n.
  Result<size_t> ImportBatchRows(const Request& r, const ImportOptions& o);
  Result<nlohmann::json> ImportCampaigns(const Request& r, const ImportOptions& o, io::RowSource* rows,
                                         const ImportRowFn& on_row);
  Result<nlohmann::json> ImportMembers(const Request& r, const ImportOptions& o, io::RowSource* rows,
                                       const ImportRowFn& on_row);

  std::unique_ptr<Store> store_;
  std::unique_ptr<Keyring::Distributor> key_topic_;  // Kafka mode
  std::unique_ptr<Keyring> keyring_;
  std::unique_ptr<Projector> projector_;
  std::unique_ptr<EmbeddedLedger> replica_;
  std::unique_ptr<KafkaLedger> kafka_;
  Ledger* ledger_ = nullptr;  // replica_ or kafka_
  ProgressFn progress_;
  uint64_t snapshot_interval_ = 0;
};

}  // namespace crm
