// Undo (SPEC §4.10 `crmctl undo COMMAND-ID`): what compensates a command, decided from the
// command's own records as the ledger holds them. Pure; the handler loads what is current.
//
// Undoable: member changes (add, remove, status changes: manual, by criteria, mass updates,
// from a contact's side, and undos of those), imports of contacts, companies, leads and members
// (ImportBatch below; not of campaigns), a segment step, go-back or redo (the one that is last in
// effect), the cancel or un-cancel of logged segments and their entries, and
// changes of one record's own fields (CompensateRestore below: a task's set, complete or
// cancel; a campaign's price lines, activation and deactivation, attachments), the deletion of a
// contact, lead, campaign, segment, salesperson or interaction template (restored; the undo of a
// restore is refused: deleting again must check what still needs the record, which the delete
// command does).
// Refused with the reason: a command that delivered messages (a delivered email stays
// delivered), the logging of a segment (cancel the logged segment instead), creations, reference
// data other than a deletion, and everything else, a command that wrote nothing.
//
// Member compensations are exact inverses in reverse order (MemberAdded -> MemberRemoved, ...,
// `how` Undo), and only when each member is still as the command left it: an undo never
// overwrites a later change (undo that first). Undoing an undo therefore redoes.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "aggregates/common.h"
#include "aggregates/reference.h"

namespace crm::undo {

enum class Kind {
  kMembers,       // compensate member events (CompensateMembers)
  kGoBack,        // the segment's last step in effect: go back (`step` must be the last in effect)
  kRedo,          // a go-back: redo (`step` must be the next to redo)
  kCancel,        // un-cancel: cancel `target` again (`cancel` = true) or take the cancel back
  kRestore,       // put back what the command replaced on record `target` (CompensateRestore)
};

struct Plan {
  Kind kind = Kind::kMembers;
  RecordNo target;   // the segment, logged segment or entry
  uint32_t step = 0;
  bool cancel = false;
  // kRestore of what has no record number (a salesperson, a template): its stream and its name.
  StreamId stream;
  std::string label;
};

// What undoes the command whose records are `records` (non-empty, in ledger order).
// FailedPrecondition with the reason when nothing can.
Result<Plan> Classify(const CommandId& id, const std::vector<const fb::Envelope*>& records);

// One appended batch of an import (Handler::Import), as its records say. Its undo removes the
// records it created (RecordRemoved), restores the fields of the records it changed as they
// were before, and compensates its member events; all only when nothing changed them since
// (the stream versions below), so that an undo never overwrites a later change. Consent the
// import recorded on an existing record stands: it is the person's word, and only the person
// takes it back.
struct ImportBatch {
  struct Record {
    RecordNo no;
    uint64_t before = 0;  // stream version before the batch's first record on it
    uint64_t after = 0;   // after its last
    bool created = false;
  };
  std::vector<Record> records;  // in ledger order of their first record
  std::vector<const fb::Envelope*> members;
};
// An import is undone as a whole: asking for one of its batches but the last ("ID#n", whose
// answer is not "done") is refused with FailedPrecondition naming the whole import's id.
Status CheckWholeImport(const CommandId& id, bool last_batch);
// FailedPrecondition when the records are not an import's.
Result<ImportBatch> ReadImportBatch(const CommandId& id, const std::vector<const fb::Envelope*>& records);

// What an imported record is now, as the handler read it: the undo of its import refuses to
// overwrite anything that happened to it since.
struct ImportedNow {
  StreamVersion version;           // its stream's version now
  std::optional<RecordNo> joined;  // created records: a campaign it joined after the import
  bool logged = false;             // created records: it has interaction log entries
  bool on_lines = false;           // created records: it is on a segment's lines
};

// FailedPrecondition, with what to do first, when the record changed after the import.
Status CheckUnchangedSinceImport(const ImportBatch::Record& rec, const ImportedNow& now);
// A record the import created goes (RecordRemoved: its row and its key), unless it changed, joined
// a campaign, was logged or went onto a segment's lines since: FailedPrecondition saying which.
Result<Events> DecideRemoveImported(const ImportBatch::Record& rec, const ImportedNow& now);

// Members' statuses now, for every (campaign, member) the command touched; nullopt when not a
// member.
using MemberKey = std::pair<RecordNo, RecordNo>;  // campaign, member
struct MembersNow {
  const reference::State* reference = nullptr;
  std::map<MemberKey, std::optional<std::string>> status;
  // Leads among the members converted since, and the contact each became: a converted lead
  // lives on as its contact and takes no membership back.
  std::map<RecordNo, std::string> converted;
};

// A segment step is undone only when it is the step last in effect (kGoBack) or the next to
// redo (kRedo), so that later steps are never undone under the user's feet. `active`: the
// segment's steps in effect now. FailedPrecondition with the reason otherwise.
// Refuses to undo `id` again while an undo of it is in effect. `undone_by` maps each command
// id to the latest command whose records name it as causation, over the records after `id`'s
// (the handler reads them): the chain id <- undo U <- undo of U ... leaves `id` undone when it
// has an odd number of links. An undo written in batches ("U#1", "U#2", ..., then "U": an
// import's) counts once its last batch is there, so one stopped partway can be finished.
Status CheckNotUndone(const CommandId& id, const std::map<std::string, std::string>& undone_by);

Status CheckSegmentPosition(const CommandId& id, const Plan& plan, uint32_t active);

// The (campaign, member) pairs a kMembers command touched.
std::vector<MemberKey> TouchedMembers(const std::vector<const fb::Envelope*>& records);

// The inverse events, last change first. FailedPrecondition naming the member when one changed
// since (or a status it would restore is no longer defined).
Result<Events> CompensateMembers(const std::vector<const fb::Envelope*>& records, const MembersNow& now,
                                 const std::string& criteria);

// kRestore: the command changed a task's fields (TaskChanged) or a campaign's price lines,
// activation or attachments. `stream` is the record's whole stream in order, the command's own records among
// them. The undo puts back what the command replaced, as the stream held it before the command:
// the task's fields; each price line it set or removed (set again as it was, or removed when
// there was none); the target group of the activation before (CampaignActivated with its
// targets) or none (CampaignDeactivated); each attachment it added or removed (the one of that
// name before, its content from the record that added it, or none). Only while what the command changed is still as it
// left it: FailedPrecondition naming the later change otherwise. Nothing to put back: no events.
Result<Events> CompensateRestore(const CommandId& id, const std::vector<const fb::Envelope*>& stream);

}  // namespace crm::undo
