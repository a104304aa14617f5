// Handler::Import of campaigns and campaign members (issue 19): rows become campaigns through the
// decisions of `campaign create` / `campaign set`, and memberships through those of `member add` /
// `member set-status`, a batch of rows per append (Handler::ImportInBatches).
//
// Campaigns: a row whose (source, source id) a campaign already has is that campaign (updated or
// unchanged); a second row with an id the file already gave is skipped. Its owner is a salesperson
// (code, name or email); its parent, in a row of another product (it has a source), the source id
// of a campaign imported before or earlier in the file, else a CP number.
// Members: the campaign is --campaign's, or in a row of another product the campaign and the member are found by the
// source ids they were imported with (ids of another product may look like numbers here and are not one), else by CP
// and CT/LD numbers; the member's contact before its lead; the leads and contacts imported in any order before. A row
// naming what was never imported fails, naming it. A new member is added with the row's status, a member is moved to
// it; a responded status keeps the source's responded date. HasResponded must agree with the status: a status that
// counts otherwise fails the row (membership::CheckResponded; import --add-missing-statuses adds the statuses a file
// names with its flag).
#include <algorithm>
#include <map>

#include "aggregates/import_campaigns.h"
#include "app/handler.h"
#include "app/handler_internal.h"

namespace crm {

using handler_internal::Ctx;
using nlohmann::json;

namespace {

import::RowResult Failed(uint64_t line, std::string reason, import::Outcome outcome = import::Outcome::kFailed){
    return import::RowResult{line, outcome, RecordNo(), std::move(reason)};
}

// What the rows of a file have given so far (`seen`) is as the batches before left it when a
// batch is decided again (Kafka: another writer appended first): Begin takes back what the
// batch's earlier attempt added.
template <typename Seen>
class AttemptOf {
 public:
  void Begin(const std::vector<io::TableRow>& batch_rows, Seen* seen) {
    const uint64_t first = batch_rows.empty() ? 0 : batch_rows.front().line;
    if (first == first_line_) {
      *seen = before_;
    } else {
      before_ = *seen;
      first_line_ = first;
    }
  }

 private:
  uint64_t first_line_ = 0;
  Seen before_;
};

}  // namespace crm

Result<json> Handler::ImportCampaigns(const Request& r, const ImportOptions& o, io::RowSource* rows,
                                      const ImportRowFn& on_row) {
  // The campaigns the file has given so far, by source id: a second row with one is skipped; a
  // parent may be one of them.
  std::map<std::pair<std::string, std::string>, std::pair<uint64_t, RecordNo>> seen;
  AttemptOf<decltype(seen)> attempt;
  uint64_t dry_run_next = 0;
  auto decide = [&](ReadModel& rm, const std::vector<io::TableRow>& batch_rows,
                    AppendBatch* batch) -> Result<std::vector<import::RowResult>> {
    attempt.Begin(batch_rows, &seen);
    std::vector<import::RowResult> results;
    CRM_ASSIGN_OR_RETURN(reference::State ref, handler_internal::InitializedReference(rm));
    for (const auto& [code, responded] : o.planned_statuses) ref.campaign_statuses.emplace(code, code);
    CRM_ASSIGN_OR_RETURN(catalog::State catalog, rm.Catalog());
    import::Owners owners = import::OwnersOf(catalog);
    for (const auto& [owner, code] : o.planned_owners) owners.emplace(owner, code);
    CRM_ASSIGN_OR_RETURN(uint64_t last_no, ledger_->LastNumber(RecordKind::kCampaign));
    uint64_t next = std::max(last_no + 1, dry_run_next);  // a dry run's batches before took numbers too
    const uint64_t first = next;
    std::map<RecordNo, campaign::State> created;  // by this batch: a later row's parent may be one
    for (const io::TableRow& tr : batch_rows) {
      auto row = import::ReadCampaignRow(o.mapping, tr.cells);
      if (!row.ok()) {
        results.push_back(Failed(tr.line, row.status().message()));
        continue;
      }
      campaign::Fields& f = row->f;
      if (!row->owner.empty()) {
        auto code = import::OwnerCode(owners, row->owner);
        if (!code.ok()) {
          results.push_back(Failed(tr.line, code.status().message()));
          continue;
        }
        f.salesperson = *code;
        row->given.insert("salesperson");
      }
      const std::string source = Lower(Trim(f.source));
      // The campaign a source id names: one this file gave, else one imported before.
      auto imported = [&](const std::string& id) -> Result<std::optional<RecordNo>> {
        const auto key = std::make_pair(source, SourceIdAsKept(source, Trim(id)));
        if (auto it = seen.find(key); it != seen.end()) return std::optional(it->second.second);
        CRM_ASSIGN_OR_RETURN(auto found, rm.CampaignSourceOwners({key}));
        if (found.front().empty()) return std::optional<RecordNo>();
        CRM_ASSIGN_OR_RETURN(RecordNo no, RecordNo::Parse(found.front()));
        return std::optional(no);
      };
      if (!f.parent.empty() && !source.empty()) {  // another product's id, even when it looks like a CP number
        CRM_ASSIGN_OR_RETURN(auto parent, imported(f.parent));
        if (!parent) {
          results.push_back(Failed(tr.line, "no campaign was imported with the id '" + f.parent +
                                                "' (its parent; import the file again once it is)"));
          continue;
        }
        f.parent = parent->ToString();
      }
      const std::string id = SourceIdAsKept(source, Trim(f.source_id));
      std::optional<RecordNo> existing;
      if (!id.empty()) {
        if (auto it = seen.find({source, id}); it != seen.end()) {
          results.push_back(Failed(tr.line,
                                   "duplicate of line " + std::to_string(it->second.first) + " (same source id)",
                                   import::Outcome::kSkipped));
          continue;
        }
        CRM_ASSIGN_OR_RETURN(existing, imported(id));
      }
      // The campaigns this batch creates are not in the read model yet: a parent's chain goes up
      // through them first, then on in the read model.
      auto context = [&](const std::string& parent, const RecordNo* self) -> Result<campaign::Context> {
        std::vector<std::string> in_batch;
        std::string up = parent;
        for (auto no = RecordNo::Parse(up, RecordKind::kCampaign);
             !up.empty() && no.ok() && created.contains(*no) && in_batch.size() <= campaign::kMaxLevels;
             no = RecordNo::Parse(up, RecordKind::kCampaign)) {
          in_batch.push_back(no->ToString());
          up = created[*no].parent;
        }
        CRM_ASSIGN_OR_RETURN(campaign::Context cx, CampaignContext(rm, &ref, up, self));
        if (!in_batch.empty()) {
          cx.parent_exists = true;
          cx.parent_chain.insert(cx.parent_chain.begin(), in_batch.begin(), in_batch.end());
        }
        return cx;
      };
      import::RowResult result{tr.line, import::Outcome::kCreated, RecordNo(), ""};
      Result<Events> events = Status::Ok();
      if (existing) {
        CRM_ASSIGN_OR_RETURN(auto state, rm.Campaign(*existing));
        campaign::ChangeCampaign c = import::ToChangeCampaign(*row, *existing);
        c.ctx = Ctx(r);
        CRM_ASSIGN_OR_RETURN(campaign::Context cx, context(c.parent.value_or(""), &*existing));
        events = campaign::DecideChange(state.value_or(campaign::State{}), cx, c);
        result.no = *existing;
        if (events.ok()) result.outcome = events->empty() ? import::Outcome::kUnchanged : import::Outcome::kUpdated;
      } else {
        campaign::CreateCampaign c = import::ToCreateCampaign(*row);
        c.ctx = Ctx(r);
        c.no = RecordNo(RecordKind::kCampaign, next);
        CRM_ASSIGN_OR_RETURN(campaign::Context cx, context(c.f.parent, nullptr));
        events = campaign::DecideCreate(campaign::State{}, cx, c);
        result.no = c.no;
        if (events.ok()) {
          created[c.no] = handler_internal::CreatedState<campaign::State>(*events, r, campaign::Evolve);
          ++next;
        }
      }
      if (!events.ok()) {
        results.push_back(Failed(tr.line, events.status().message()));
        continue;
      }
      if (!id.empty()) seen[{source, id}] = {tr.line, result.no};
      for (auto& e : *events) batch->events.push_back(std::move(e));
      results.push_back(std::move(result));
    }
    if (next > first) batch->numbers.emplace_back(RecordKind::kCampaign, next - 1);
    if (o.dry_run) dry_run_next = next;
    return results;
  };
  return ImportInBatches(r, o, rows, on_row, decide);
}

Result<json> Handler::ImportMembers(const Request& r, const ImportOptions& o, io::RowSource* rows,
                                    const ImportRowFn& on_row) {
  const std::string criteria = "import " + rows->file();
  std::map<std::pair<RecordNo, RecordNo>, uint64_t> seen;  // (campaign, member) -> the line that gave it
  AttemptOf<decltype(seen)> attempt;
  auto decide = [&](ReadModel& rm, const std::vector<io::TableRow>& batch_rows,
                    AppendBatch* batch) -> Result<std::vector<import::RowResult>> {
    attempt.Begin(batch_rows, &seen);
    std::vector<import::RowResult> results;
    CRM_ASSIGN_OR_RETURN(reference::State ref, handler_internal::InitializedReference(rm));
    for (const auto& [name, responded] : o.planned_statuses) {
      if (ref.FindStatus(name) == nullptr) ref.member_statuses.push_back({name, responded, false, 0});
    }
    std::map<RecordNo, campaign::State> campaigns;
    for (const io::TableRow& tr : batch_rows) {
      auto row = import::ReadMemberRow(o.mapping, tr.cells);
      if (!row.ok()) {
        results.push_back(Failed(tr.line, row.status().message()));
        continue;
      }
      // The campaign and the member: by the source id they were imported with when the row is
      // another product's (its ids may look like numbers here and are not), else by number.
      const bool foreign = !row->source.empty();
      RecordNo cp;
      if (o.campaign) {  // import members --campaign: every row's (the file has no campaign column)
        cp = *o.campaign;
      } else if (row->campaign.empty()) {
        results.push_back(Failed(tr.line, "the row names no campaign"));
        continue;
      } else if (!foreign) {
        auto no = RecordNo::Parse(row->campaign, RecordKind::kCampaign);
        if (!no.ok()) {
          results.push_back(Failed(tr.line, "'" + row->campaign +
                                                "' is no campaign number, and another product's id needs its source "
                                                "(--from or --source)"));
          continue;
        }
        cp = *no;
      } else {
        CRM_ASSIGN_OR_RETURN(auto found,
                             rm.CampaignSourceOwners({{row->source, SourceIdAsKept(row->source, row->campaign)}}));
        if (found.front().empty()) {
          results.push_back(Failed(tr.line, "no campaign was imported with the id '" + row->campaign +
                                                "' (import the campaigns first: crmctl import campaigns)"));
          continue;
        }
        CRM_ASSIGN_OR_RETURN(cp, RecordNo::Parse(found.front()));
      }
      RecordNo member;
      for (const std::string& id : row->ids) {
        auto no = RecordNo::Parse(id);
        if (!foreign && no.ok() && (no->kind() == RecordKind::kContact || no->kind() == RecordKind::kLead)) {
          member = *no;
          break;
        }
        if (!foreign) continue;
        CRM_ASSIGN_OR_RETURN(auto found, rm.SourceOwners({{row->source, SourceIdAsKept(row->source, id)}}));
        if (!found.front().empty()) {
          CRM_ASSIGN_OR_RETURN(member, RecordNo::Parse(found.front()));
          break;
        }
      }
      if (!member.valid()) {
        std::string ids;
        for (const std::string& id : row->ids) ids += (ids.empty() ? "'" : ", '") + id + "'";
        results.push_back(Failed(tr.line, foreign
                                              ? "no contact or lead was imported with the id " + ids +
                                                    " (import the contacts and leads first)"
                                              : "no contact or lead number in " + ids +
                                                    " (another product's ids need its source: --from or --source)"));
        continue;
      }
      const auto key = std::make_pair(cp, member);
      if (auto it = seen.find(key); it != seen.end()) {
        results.push_back(Failed(
            tr.line, "duplicate of line " + std::to_string(it->second) + " (the same member of the same campaign)",
            import::Outcome::kSkipped));
        continue;
      }
      const reference::MemberStatusDef* def =
          row->status.empty() ? ref.DefaultStatus() : ref.FindStatus(Trim(row->status));
      if (def == nullptr) {
        results.push_back(Failed(tr.line, "member status '" + row->status +
                                              "' is not defined (crmctl member-status add, or import "
                                              "--add-missing-statuses)"));
        continue;
      }
      if (Status agrees = membership::CheckResponded(*def, row->responded); !agrees.ok()) {
        results.push_back(Failed(tr.line, agrees.message()));
        continue;
      }
      if (!campaigns.contains(cp)) {
        auto live = handler_internal::LiveCampaign(rm, cp);
        if (!live.ok()) {
          if (live.status().code() != StatusCode::kNotFound &&
              live.status().code() != StatusCode::kFailedPrecondition) {
            return live.status();
          }
          results.push_back(Failed(tr.line, live.status().message()));
          continue;
        }
        campaigns[cp] = std::move(*live);
      }
      // A (campaign, member) comes once a file (`seen`): the read model has it as it is.
      CRM_ASSIGN_OR_RETURN(membership::Context mcx, MemberContext(rm, ref, campaigns[cp], {member}, true));
      const bool present = mcx.current.contains(member) && mcx.current[member].exists;
      const CommandContext ctx = Ctx(r);
      Result<Events> events = Status::Ok();
      if (present) {
        events = membership::DecideUpdateStatus(
            mcx,
            membership::UpdateStatus{ctx, cp, {member}, def->name, fb::MemberHow::Import, criteria, row->responded_at});
      } else {
        events = membership::DecideAdd(
            mcx,
            membership::AddMembers{ctx, cp, {member}, def->name, fb::MemberHow::Import, criteria, row->responded_at});
      }
      if (!events.ok()) {
        results.push_back(Failed(tr.line, events.status().message()));
        continue;
      }
      import::RowResult result{tr.line, import::Outcome::kCreated, member, ""};
      if (present) result.outcome = events->empty() ? import::Outcome::kUnchanged : import::Outcome::kUpdated;
      seen[key] = tr.line;
      for (auto& e : *events) batch->events.push_back(std::move(e));
      results.push_back(std::move(result));
    }
    return results;
  };
  return ImportInBatches(r, o, rows, on_row, decide);
}

}  // namespace crm
