// ReadModel: typed reads over the projections, through a Store::Txn so that the command handler
// sees its own pending writes and readers see a consistent store. Used by the handler to build
// decision contexts and by the CLI's read commands. Costs: point reads are one RocksDB Get;
// roster pages and counts read only the rows they return (no scans to count).
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "aggregates/access.h"
#include "aggregates/campaign.h"
#include "aggregates/catalog.h"
#include "aggregates/contact.h"
#include "aggregates/lead.h"
#include "aggregates/membership.h"
#include "aggregates/opportunity.h"
#include "aggregates/reference.h"
#include "aggregates/segment.h"
#include "events/store.h"
#include "projections/filter.h"
#include "projections/interaction_rows.h"
#include "projections/opportunity_rows.h"
#include "projections/party_rows.h"
#include "projections/stats_rows.h"
#include "projections/task_rows.h"

namespace crm {

struct RosterRow {
  RecordNo member;
  membership::Membership m;
};

class ReadModel {
 public:
  ReadModel(Store* store, const Store::Txn* txn) : store_(store), txn_(txn) {}

  // Parses `FIELD=EXPR` arguments (projections/filter.h) and refuses, with NotFound naming the
  // value and where the catalogue is listed, a value that a closed catalogue lacks: profile
  // codes, member, lead and campaign statuses, interaction templates (SPEC §4.1:
  // using an undefined code is an error; such a filter would match nothing by mistake).
  Result<Filter> ParseFilter(const std::vector<std::string>& args, const FieldSchema& schema) const;

  Result<reference::State> Reference() const;
  Result<catalog::State> Catalog() const;
  Result<access::State> Users() const;
  // An attachment's content by its SHA-256 (hex), or nullopt.
  Result<std::optional<std::string>> AttachmentContent(const std::string& sha256) const;
  Result<std::optional<campaign::State>> Campaign(const RecordNo& no) const;
  Status ForEachCampaign(const std::function<bool(const campaign::State&)>& fn) const;
  Result<std::vector<RecordNo>> Children(const RecordNo& no) const;
  // The active campaigns whose target group holds `contact` (campaign activate), in number order.
  Result<std::vector<RecordNo>> CampaignsTargeting(const RecordNo& contact) const;

  // A contact or lead as its read model holds it (projections/party_rows.h), or nullopt.
  Result<std::optional<PartyState>> Party(const RecordNo& no) const;
  Result<std::optional<contact::ContactState>> Contact(const RecordNo& no) const;
  Result<std::optional<contact::LeadState>> Lead(const RecordNo& no) const;
  // The JSON row of a contact or lead (what `show` prints), or nullopt.
  Result<std::optional<nlohmann::json>> PartyJson(const RecordNo& no) const;
  // Contacts and/or leads in number order: fn(no, state); filter them with PartyRecord.
  Status ForEachPartyState(bool contacts, bool leads,
                           const std::function<bool(const RecordNo&, const PartyState&)>& fn) const;
  // The same with each one's JSON row (rows.h ToJson), for what prints or exports them.
  Status ForEachParty(bool contacts, bool leads, const std::function<bool(const RecordNo&, const nlohmann::json&)>& fn) const;
  // The first contact or lead other than `except` with this email (case-insensitive), or "".
  Result<std::string> EmailOwner(const std::string& email, const RecordNo& except) const;
  // EmailOwner(emails[i], none) for each, found by one iterator seeking the index in email
  // order (a bulk path asks for thousands: an iterator each cost a tenth of an import).
  Result<std::vector<std::string>> EmailOwners(const std::vector<std::string>& emails) const;
  // The record imported with each (source, source id) ("" for none, or no id), as EmailOwners.
  Result<std::vector<std::string>> SourceOwners(const std::vector<std::pair<std::string, std::string>>& ids) const;
  // The campaign imported with each (source, source id) ("" for none), as SourceOwners.
  Result<std::vector<std::string>> CampaignSourceOwners(const std::vector<std::pair<std::string, std::string>>& ids) const;
  // The existing, unerased company contacts named `name`, or with an email at `email`'s domain,
  // as aggregates/lead.h CompanyMatchOf compares them (nothing for a public mail domain), in
  // number order: from the company index, not a scan.
  Result<std::vector<RecordNo>> CompaniesNamed(std::string_view name) const;
  Result<std::vector<RecordNo>> CompaniesAtDomainOf(std::string_view email) const;

  Result<std::optional<membership::Membership>> Member(const RecordNo& cp, const RecordNo& member) const;
  // Members of a campaign in member-number order, starting after `after` (if valid).
  Status ForEachMember(const RecordNo& cp, const RecordNo& after, const std::function<bool(const RosterRow&)>& fn) const;
  // The same, each member with its contact or lead row (nullptr: none). The party rows are read
  // by a second iterator walking forward beside the roster (both are in member-number order), not
  // by a point lookup per member. Committed rows only, as every scan here.
  Status ForEachMemberWithParty(const RecordNo& cp, const RecordNo& after,
                                const std::function<bool(const RosterRow&, const PartyState*)>& fn) const;
  Result<std::map<std::string, uint64_t>> CountsByStatus(const RecordNo& cp) const;
  // Every (campaign, member) with a status, across campaigns.
  Status ForEachWithStatus(const std::string& status,
                           const std::function<bool(const RecordNo& cp, const RecordNo& member)>& fn) const;
  Result<uint64_t> TotalWithStatus(const std::string& status) const;
  Result<std::vector<std::pair<RecordNo, membership::Membership>>> CampaignsOf(const RecordNo& member) const;
  // Ledger positions of every change of one membership, oldest first.
  Result<std::vector<uint64_t>> MemberHistory(const RecordNo& cp, const RecordNo& member) const;

  // Memberships of the campaign that moved from converted leads (lead convert).
  Result<uint64_t> ConvertedLeads(const RecordNo& cp) const;
  // The campaign's figures as its statistics read model keeps them (projections/stats_rows.h).
  Result<CampaignFigures> Figures(const RecordNo& cp) const;

  Result<std::optional<OpportunityRow>> Opportunity(const RecordNo& no) const;
  // Opportunities in number order: all, or those of one campaign when `campaign` is valid.
  Status ForEachOpportunity(const RecordNo& campaign, const std::function<bool(const OpportunityRow&)>& fn) const;

  Result<std::optional<TaskRow>> Task(const RecordNo& no) const;
  // Tasks in number order: all, or those of one campaign when `campaign` is valid.
  Status ForEachTask(const RecordNo& campaign, const std::function<bool(const TaskRow&)>& fn) const;

  Result<std::optional<segment::Header>> Segment(const RecordNo& no) const;
  Status ForEachSegment(const std::function<bool(const segment::Header&)>& fn) const;
  // A segment's lines in contact-number order.
  Status ForEachSegmentLine(const RecordNo& no, const std::function<bool(const RecordNo&, const segment::Line&)>& fn) const;

  // Interaction log entries in entry order: all, or those of one contact, campaign or logged
  // segment (at most one of them given).
  struct InteractionQuery {
    RecordNo contact, campaign, logged_segment;
  };
  Status ForEachInteraction(const InteractionQuery& q, const std::function<bool(const InteractionRow&)>& fn) const;
  Result<std::optional<InteractionRow>> Interaction(const RecordNo& entry) const;
  Result<std::optional<LoggedSegmentRow>> LoggedSegment(const RecordNo& no) const;
  // A contact's row with the SegmentSchema interaction fields filled from its interactions.
  Result<nlohmann::json> WithInteractions(const RecordNo& contact, nlohmann::json row) const;
  Result<std::optional<CampaignEntryRow>> CampaignEntry(const RecordNo& entry) const;
  // The row of a logged segment (LS), interaction entry (IE) or campaign entry (CE) as its JSON
  // (what `show` and an entry's history print).
  Result<std::optional<nlohmann::json>> EntryRow(const RecordNo& no) const;
  Status ForEachLoggedSegment(const std::function<bool(const LoggedSegmentRow&)>& fn) const;
  // Campaign entries in entry order, of one campaign when `campaign` is valid.
  Status ForEachCampaignEntry(const RecordNo& campaign, const std::function<bool(const CampaignEntryRow&)>& fn) const;

  Result<uint64_t> Checkpoint() const;
  // The record of the last erasure (0: none).
  Result<uint64_t> LastErasure() const;

 private:
  // JSON rows under `prefix`; a row that does not parse or convert (fn throws) is Corruption.
  Status ForEachJsonRow(rocksdb::ColumnFamilyHandle* cf, const std::string& prefix, const char* what,
                        const std::function<bool(std::string_view key, const nlohmann::json&)>& fn) const;
  // The contacts under a company index prefix (keys.h CompaniesNamed, CompaniesAtDomain).
  Result<std::vector<RecordNo>> CompaniesUnder(const std::string& prefix) const;
  // The first record number under each index prefix of the read model `cf_name` ("" for none, or
  // an empty prefix), found by one iterator seeking them in key order.
  Result<std::vector<std::string>> FirstUnder(const std::vector<std::string>& prefixes, const char* cf_name) const;
  Status Scan(rocksdb::ColumnFamilyHandle* cf, const std::string& prefix, const std::string& start,
              const std::function<bool(std::string_view key, std::string_view value)>& fn) const;
  // The rows of a binary read model keyed `row_prefix` K(no), in number order: all of them, or
  // those the index of a record lists (`index_prefix` K(owner) K(no) -> "": a campaign's tasks,
  // a contact's interactions) when `owner` is valid; each decoded by `decode(no, bytes)`, a row
  // that does not decode is the error.
  template <typename Row>
  Status ForEachIndexedRow(rocksdb::ColumnFamilyHandle* cf, char row_prefix, char index_prefix,
                           const RecordNo& owner, Result<Row> (*decode)(const RecordNo&, std::string_view),
                           const std::function<bool(const Row&)>& fn) const;
  Store* store_;
  const Store::Txn* txn_;
};

// Filter fields over contacts and leads, over roster rows (which add the member fields), and
// over campaigns. Field names are the JSON keys of the rows.
const FieldSchema& PartySchema();
// Segment criteria: the contact fields and the contact's past interactions (SPEC §4.5), as
// multi-valued fields interaction_template, interaction_campaign, interaction_date and
// interaction_segment (canceled entries do not count). See WithInteractions.
const FieldSchema& SegmentSchema();
const FieldSchema& RosterSchema();
const FieldSchema& CampaignSchema();

// A JSON row as a FilterRecord: a field's values are the row's value under the field's name
// (arrays give several values, booleans yes/no, dates the first 10 characters of a timestamp).
// With a membership, the roster fields (member_status, responded, ...) come from it.
class JsonRecord final : public FilterRecord {
 public:
  JsonRecord(const nlohmann::json* row, const FieldSchema* schema, const membership::Membership* m = nullptr)
      : row_(row), schema_(schema), m_(m) {}
  void Values(int field, std::vector<std::string>* out) const override;
  void CustomValues(const std::string& name, std::vector<std::string>* out) const override;

 private:
  const nlohmann::json* row_;
  const FieldSchema* schema_;
  const membership::Membership* m_;
};

}  // namespace crm
