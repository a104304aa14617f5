// Sales catalogue aggregate (stream "catalog"): interaction templates, salespeople and teams
// (SPEC §4.1), the reference data that segments, interactions and deliveries refer to, segment
// criteria saved for reuse (SPEC §4.5) and sales cycles (SPEC §4.8, aggregates/sales_cycle.cc).
//
// Rules: codes are normalised (upper case, <= 20 chars); a template needs a description, a
// non-negative unit cost and duration, and at most one attachment per language (a later one
// replaces it; at most 1 MiB, its content carried by the event so the ledger alone reproduces
// every message); a salesperson needs a name and a well-formed email if any; a team needs at
// least one member and only defined salespeople; saved criteria need a description and at least
// one step; mail settings need an smtp:// or smtps:// URL with a host and a well-formed sender.
// Adding what exists with the same definition is a
// no-op (a retry); with a different one it is refused (use `set`).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "aggregates/common.h"
#include "aggregates/reference.h"

namespace crm::catalog {

inline constexpr size_t kMaxAttachmentBytes = 1 << 20;

struct Attachment {
  std::string language;  // "" = any language
  std::string file_name;
  std::string sha256;    // hex of the content (kept in the projections by hash)
  uint64_t size = 0;
};

struct TemplateDef {
  std::string code;
  std::string description;
  std::string group;
  fb::Correspondence correspondence = fb::Correspondence::Email;
  Money unit_cost;
  int32_t unit_duration = 0;  // minutes
  fb::InformationFlow flow = fb::InformationFlow::Outbound;
  fb::InitiatedBy initiated_by = fb::InitiatedBy::Us;
  bool campaign_target = false;
  bool campaign_response = false;
  std::string language;
  std::vector<Attachment> attachments;  // sorted by language

  // The attachment for `language`, else the one for any language; nullptr when none.
  const Attachment* AttachmentFor(std::string_view language) const;
};

struct Salesperson {
  std::string code;
  std::string name;
  std::string email;
};

struct Team {
  std::string code;
  std::string description;
  std::vector<std::string> members;  // salesperson codes, sorted
};

// A segment's steps saved under a code, to run again on another segment (segment
// save-criteria / reuse-criteria).
struct SavedStep {
  fb::SegmentStepKind kind = fb::SegmentStepKind::AddContacts;
  std::string criteria, options;
  std::vector<std::string> filter;  // FIELD=EXPR arguments; empty for manual steps
  bool operator==(const SavedStep&) const = default;
};
// The schema table of a saved step (saved criteria, a logged segment's steps).
std::unique_ptr<fb::SavedSegmentStepT> SavedStepTable(const SavedStep& step);

struct SavedCriteria {
  std::string code, description, segment;
  std::vector<SavedStep> steps;
};

// Where deliveries go (SPEC 4.6, `crmctl mail set`): the SMTP server, the sender address, the
// outbox directory for letters ("": outbox/ in the data directory; relative: to the data
// directory).
struct MailSettings {
  std::string smtp_url;  // smtp://HOST[:PORT] or smtps://HOST[:PORT]
  std::string from;
  std::string outbox;
  bool configured() const { return !smtp_url.empty(); }
  bool operator==(const MailSettings&) const = default;
};

// A sales cycle (SPEC §4.8): the stages an opportunity goes through, numbered 1..n in order.
// Completed and chance in thousandths of a percent (events/values.h Percent).
struct Stage {
  int32_t stage = 0;
  std::string description;
  Percent completed{0}, chance{0};
  bool allow_skip = false, quote_required = false;
  bool operator==(const Stage&) const = default;
};
struct SalesCycle {
  std::string code, description;
  std::vector<Stage> stages;
  bool operator==(const SalesCycle&) const = default;
};

struct State {
  MailSettings mail;
  std::map<std::string, SalesCycle> sales_cycles;
  std::map<std::string, TemplateDef> templates;
  std::map<std::string, Salesperson> salespeople;
  std::map<std::string, Team> teams;
  std::map<std::string, SavedCriteria> criteria;
};

// The events this aggregate owns and folds (events/owner.h: Owner::kCatalog).
using OwnEvents = EventList<fb::InteractionTemplateAdded, fb::InteractionTemplateChanged,
                            fb::InteractionTemplateAttachmentSet, fb::SalespersonAdded, fb::SalespersonChanged,
                            fb::TeamAdded, fb::TeamChanged, fb::SegmentCriteriaSaved, fb::MailSettingsSet,
                            fb::SalesCycleAdded>;
State Evolve(State state, const fb::Envelope& env);

// The fields a template command may set; unset optionals keep the current value (or the
// default for a new template).
struct TemplateFields {
  std::optional<std::string> description, group, language;
  std::optional<fb::Correspondence> correspondence;
  std::optional<Money> unit_cost;
  std::optional<int32_t> unit_duration;
  std::optional<fb::InformationFlow> flow;
  std::optional<fb::InitiatedBy> initiated_by;
  std::optional<bool> campaign_target, campaign_response;
};
struct NewAttachment {
  std::string language;
  std::string file_name;
  std::string content;
};
struct AddTemplate {
  std::string code;
  TemplateFields fields;
  std::optional<NewAttachment> attachment;
};
struct SetTemplate {
  std::string code;
  TemplateFields fields;
  std::optional<NewAttachment> attachment;
};
struct AddSalesperson {
  std::string code, name, email;
};
struct SetSalesperson {
  std::string code;
  std::optional<std::string> name, email;
};
struct AddTeam {
  std::string code, description;
  std::vector<std::string> members;
};
struct SetTeam {
  std::string code;
  std::optional<std::string> description;
  std::optional<std::vector<std::string>> members;  // the whole new list
};

struct SaveCriteria {
  std::string code, description, segment;
  std::vector<SavedStep> steps;  // the segment's steps in effect, in order
};

// Unset fields keep their value; the first setting needs --smtp and --from.
struct SetMail {
  std::optional<std::string> smtp_url, from, outbox;
};

// sales-cycle add CODE --description TEXT --stage "DESCRIPTION|COMPLETED|CHANCE[|skip][|quote]"...
// Rules (aggregates/sales_cycle.cc): at least one stage, at most 50; each stage described;
// percentages 0..100; completed and chance never fall from one stage to the next; a cycle is
// never redefined (opportunities refer to its stages), adding it again the same is a no-op.
struct AddSalesCycle {
  std::string code, description;
  std::vector<Stage> stages;  // `stage` numbers are assigned 1..n in order
};
Result<Events> DecideAddSalesCycle(const State& state, const AddSalesCycle& c);
State EvolveSalesCycles(State state, const fb::SalesCycleAdded& e);
// A stage definition as the CLI takes it: "DESCRIPTION|COMPLETED|CHANCE[|skip][|quote]".
Result<Stage> ParseStage(std::string_view text);
// The sales cycle by code (any case); NotFound when none.
Result<const SalesCycle*> FindSalesCycle(const State& state, std::string_view code);

using Command = std::variant<AddTemplate, SetTemplate, AddSalesperson, SetSalesperson, AddTeam, SetTeam, SaveCriteria,
                             SetMail, AddSalesCycle>;

Result<Events> Decide(const reference::State& ref, const State& state, const Command& command);

// Saved criteria by code (any case); NotFound when none were saved under it.
Result<const SavedCriteria*> FindCriteria(const State& state, std::string_view code);

StreamId CatalogStream();

// "email" | "letter", "outbound" | "inbound", "us" | "them" (case-insensitive) and back.
Result<fb::Correspondence> ParseCorrespondence(std::string_view text);
std::string CorrespondenceName(fb::Correspondence c);
Result<fb::InformationFlow> ParseInformationFlow(std::string_view text);
std::string InformationFlowName(fb::InformationFlow f);
Result<fb::InitiatedBy> ParseInitiatedBy(std::string_view text);
std::string InitiatedByName(fb::InitiatedBy i);

// Lower-case hex SHA-256 of `bytes` (the attachment's identity).
std::string Sha256Hex(std::string_view bytes);

}  // namespace crm::catalog
