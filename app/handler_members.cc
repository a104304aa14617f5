// The handler's membership commands: add (by id or by criteria), remove, status changes and
// mass updates, and adding one contact to several campaigns (SPEC 4.4). See handler.h.
#include <set>

#include "app/handler.h"
#include "app/handler_internal.h"

namespace crm {

using namespace handler_internal;  // NOLINT: this file implements the handler
using nlohmann::json;

namespace {

constexpr uint64_t kProgressEvery = 10000;
// From this many ids on, MemberContext may scan the roster rather than look each id up.
constexpr size_t kScanRosterFrom = 1024;

}  // namespace

Result<membership::Context> Handler::MemberContext(ReadModel& rm, const reference::State& ref,
                                                   const campaign::State& cp, const std::vector<RecordNo>& ids,
                                                   bool need_known, const std::set<RecordNo>* found) {
  membership::Context cx;
  cx.reference = &ref;
  cx.campaign = &cp;
  // Many ids found by a filter against a roster not much larger: one scan of the roster instead
  // of a point lookup per id (a bulk add to a new campaign reads nothing). Only then: the scan
  // reads committed rows, and a filter's command has written nothing yet.
  uint64_t members = 0;
  const bool bulk = found != nullptr && ids.size() >= kScanRosterFrom;
  if (bulk) {
    CRM_ASSIGN_OR_RETURN(auto counts, rm.CountsByStatus(cp.no));
    for (const auto& [status, n] : counts) members += n;
  }
  const bool scan = bulk && members <= ids.size() * 8;
  if (scan) {
    const std::set<RecordNo> wanted(ids.begin(), ids.end());
    CRM_RETURN_IF_ERROR(rm.ForEachMember(cp.no, RecordNo(), [&](const RosterRow& row) {
      if (wanted.contains(row.member)) cx.current.emplace(row.member, row.m);
      return true;
    }));
  }
  for (const auto& id : ids) {
    std::optional<membership::Membership> m;
    if (scan) {
      if (auto it = cx.current.find(id); it != cx.current.end()) m = it->second;
    } else {
      CRM_ASSIGN_OR_RETURN(m, rm.Member(cp.no, id));
      if (m) cx.current[id] = *m;
    }
    if (need_known && !m && found != nullptr && found->contains(id)) {
      cx.known.insert(id);
    } else if (need_known && !m) {
      CRM_ASSIGN_OR_RETURN(std::optional<PartyState> party, rm.Party(id));
      if (party) cx.known.insert(id);
      if (const auto* lead = party ? std::get_if<contact::LeadState>(&*party) : nullptr; lead && lead->converted()) {
        cx.converted[id] = lead->converted_to;
      }
    } else if (m) {
      cx.known.insert(id);
    }
  }
  return cx;
}

Result<std::vector<RecordNo>> Handler::SelectMembers(ReadModel& rm, const MemberSelection& s, std::string* criteria) {
  if (!s.filter.empty() || s.all) {
    CRM_ASSIGN_OR_RETURN(Filter f, rm.ParseFilter(s.filter, RosterSchema()));
    *criteria = s.all ? "all" : f.Canonical();
    std::vector<RecordNo> out;
    uint64_t total = 0, seen = 0;
    if (progress_) {
      CRM_ASSIGN_OR_RETURN(auto counts, rm.CountsByStatus(s.campaign));
      for (const auto& [status, n] : counts) total += n;
    }
    auto select = [&](const RosterRow& row, const PartyState* party) {
      if (progress_ && ++seen % kProgressEvery == 0) progress_(seen, total);
      if (f.empty() || f.Matches(PartyRecord(party, &RosterSchema(), &row.m))) out.push_back(row.member);
      return true;
    };
    if (f.empty()) {  // --all: the roster alone
      CRM_RETURN_IF_ERROR(rm.ForEachMember(s.campaign, RecordNo(), [&](const RosterRow& row) { return select(row, nullptr); }));
    } else {
      CRM_RETURN_IF_ERROR(rm.ForEachMemberWithParty(s.campaign, RecordNo(), select));
    }
    if (progress_ && total >= kProgressEvery) progress_(total, total);
    return out;
  }
  return s.ids;
}

Result<json> Handler::AddMembers(const Request& r, const MemberSelection& s, const std::string& status) {
  return Run(r, s.campaign.Stream(), [&](ReadModel& rm, AppendBatch* batch) -> Result<json> {
    CRM_ASSIGN_OR_RETURN(reference::State ref, InitializedReference(rm));
    CRM_ASSIGN_OR_RETURN(campaign::State cp, LiveCampaign(rm, s.campaign));
    std::vector<RecordNo> ids = s.ids;
    std::set<RecordNo> found;  // by the filter
    std::string criteria;
    fb::MemberHow how = fb::MemberHow::Manual;
    if (!s.filter.empty()) {
      // Associate existing contacts and leads found by criteria (SPEC §4.4).
      CRM_ASSIGN_OR_RETURN(Filter f, rm.ParseFilter(s.filter, PartySchema()));
      criteria = f.Canonical();
      how = fb::MemberHow::Criteria;
      uint64_t total = 0, seen = 0;
      if (progress_) {
        CRM_ASSIGN_OR_RETURN(uint64_t contacts, ledger_->LastNumber(RecordKind::kContact));
        CRM_ASSIGN_OR_RETURN(uint64_t leads, ledger_->LastNumber(RecordKind::kLead));
        total = contacts + leads;
      }
      CRM_RETURN_IF_ERROR(rm.ForEachPartyState(true, true, [&](const RecordNo& no, const PartyState& party) {
        if (progress_ && ++seen % kProgressEvery == 0) progress_(seen, total);
        // A converted lead lives on as its contact: criteria find the contact.
        const auto* lead = std::get_if<contact::LeadState>(&party);
        if ((lead == nullptr || !lead->converted()) && !HiddenByDeletion(party, f) &&
            f.Matches(PartyRecord(&party, &PartySchema()))) {
          ids.push_back(no);
          found.insert(found.end(), no);  // in number order: each insert at the end
        }
        return true;
      }));
      if (progress_ && total >= kProgressEvery) progress_(total, total);
    }
    CRM_ASSIGN_OR_RETURN(membership::Context cx, MemberContext(rm, ref, cp, ids, true, &found));
    membership::AddMembers c{Ctx(r), s.campaign, ids, status, how, criteria, {}};
    CRM_ASSIGN_OR_RETURN(Events events, membership::DecideAdd(cx, c));
    std::vector<std::string> added, already;
    std::set<std::string> added_set, seen;
    for (const auto& e : events) added_set.insert(e.payload.AsMemberAdded()->member);
    for (const auto& id : ids) {
      if (!seen.insert(id.ToString()).second) continue;  // named twice: counted once
      (added_set.contains(id.ToString()) ? added : already).push_back(id.ToString());
    }
    batch->events = std::move(events);
    json answer{{"campaign", s.campaign.ToString()}, {"added", added.size()}, {"already_members", Ids(already)}};
    if (added.size() <= 1000) answer["added_ids"] = Ids(added);
    if (!criteria.empty()) answer["criteria"] = criteria;
    return answer;
  });
}

Result<std::unique_ptr<Handler::Selection>> Handler::LoadSelection(ReadModel& rm, const MemberSelection& s) {
  auto sel = std::make_unique<Selection>();
  CRM_ASSIGN_OR_RETURN(sel->ref, InitializedReference(rm));
  CRM_ASSIGN_OR_RETURN(sel->cp, LiveCampaign(rm, s.campaign));
  CRM_ASSIGN_OR_RETURN(sel->ids, SelectMembers(rm, s, &sel->criteria));
  CRM_ASSIGN_OR_RETURN(sel->cx, MemberContext(rm, sel->ref, sel->cp, sel->ids, false));
  return sel;
}

Result<json> Handler::RemoveMembers(const Request& r, const MemberSelection& s) {
  return Run(r, s.campaign.Stream(), [&](ReadModel& rm, AppendBatch* batch) -> Result<json> {
    CRM_ASSIGN_OR_RETURN(auto sel, LoadSelection(rm, s));
    const std::vector<RecordNo>& ids = sel->ids;
    membership::RemoveMembers c{Ctx(r), s.campaign, ids,
                                sel->criteria.empty() ? fb::MemberHow::Manual : fb::MemberHow::Criteria, sel->criteria};
    CRM_ASSIGN_OR_RETURN(Events events, membership::DecideRemove(sel->cx, c));
    std::set<std::string> removed, seen;
    for (const auto& e : events) removed.insert(e.payload.AsMemberRemoved()->member);
    std::vector<std::string> not_members;
    for (const auto& id : ids) {
      if (seen.insert(id.ToString()).second && !removed.contains(id.ToString())) not_members.push_back(id.ToString());
    }
    batch->events = std::move(events);
    return json{{"campaign", s.campaign.ToString()}, {"removed", removed.size()}, {"not_members", Ids(not_members)}};
  });
}

Result<json> Handler::SetMemberStatus(const Request& r, const MemberSelection& s, const std::string& status,
                                      fb::MemberHow how) {
  return Run(r, s.campaign.Stream(), [&](ReadModel& rm, AppendBatch* batch) -> Result<json> {
    CRM_ASSIGN_OR_RETURN(auto sel, LoadSelection(rm, s));
    const std::vector<RecordNo>& ids = sel->ids;
    const reference::State& ref = sel->ref;
    const std::string& criteria = sel->criteria;
    membership::UpdateStatus c{Ctx(r), s.campaign, ids, status, how, criteria, {}};
    CRM_ASSIGN_OR_RETURN(Events events, membership::DecideUpdateStatus(sel->cx, c));
    const size_t updated = events.size();
    batch->events = std::move(events);
    json answer{{"campaign", s.campaign.ToString()},
                {"status", ref.FindStatus(status) ? ref.FindStatus(status)->name : status},
                {"matched", ids.size()},
                {"updated", updated},
                {"unchanged", ids.size() - updated}};
    if (!criteria.empty()) answer["criteria"] = criteria;
    return answer;
  });
}

Result<json> Handler::AddToCampaigns(const Request& r, const RecordNo& member, const std::vector<RecordNo>& campaigns,
                                     const std::string& status) {
  return Run(r, StreamId(), [&](ReadModel& rm, AppendBatch* batch) -> Result<json> {
    CRM_ASSIGN_OR_RETURN(reference::State ref, InitializedReference(rm));
    std::vector<std::string> added, already;
    std::set<RecordNo> seen;
    for (const auto& cp_no : campaigns) {
      if (!seen.insert(cp_no).second) continue;
      CRM_ASSIGN_OR_RETURN(campaign::State cp, LiveCampaign(rm, cp_no));
      CRM_ASSIGN_OR_RETURN(membership::Context cx, MemberContext(rm, ref, cp, {member}, true));
      membership::AddMembers c{Ctx(r), cp_no, {member}, status, fb::MemberHow::ContactSide, "", {}};
      CRM_ASSIGN_OR_RETURN(Events events, membership::DecideAdd(cx, c));
      (events.empty() ? already : added).push_back(cp_no.ToString());
      for (auto& e : events) batch->events.push_back(std::move(e));
    }
    return json{{"member", member.ToString()}, {"added_to", Ids(added)}, {"already_in", Ids(already)}};
  });
}

}  // namespace crm
