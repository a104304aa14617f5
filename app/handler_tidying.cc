// The handler's deletions of catalogue entries (SPEC §4.11): salesperson and interaction-template
// delete and restore. It gathers what still names the entry from the read models (a decision
// refuses the deletion while anything does) and the catalog aggregate (aggregates/
// catalog_deletion.h) decides. Contacts', leads', campaigns' and segments' deletions are with
// their other commands (handler.cc, handler_segments.cc).
#include "app/handler.h"
#include "app/handler_internal.h"

namespace crm {

using namespace handler_internal;  // NOLINT: this file implements the handler

namespace {

using nlohmann::json;

// The names of what depends on an entry, the first kListed of each kind by name and the rest
// counted ("contacts CT0001, CT0002 and 3 more").
class Dependents {
 public:
  static constexpr size_t kListed = 3;
  void Add(const std::string& kind, const std::string& name) {
    auto& [names, count] = by_kind_[kind];
    if (names.size() < kListed) names.push_back(name);
    ++count;
  }
  std::vector<std::string> Named() const {
    std::vector<std::string> out;
    for (const auto& [kind, listed] : by_kind_) {
      const auto& [names, count] = listed;
      std::string text = kind;
      for (size_t i = 0; i < names.size(); ++i) text += (i == 0 ? " " : ", ") + names[i];
      if (count > names.size()) text += " and " + std::to_string(count - names.size()) + " more";
      out.push_back(std::move(text));
    }
    return out;
  }

 private:
  std::map<std::string, std::pair<std::vector<std::string>, size_t>> by_kind_;
};

// What still names salesperson `code`: records that are not deleted and can still change (contacts
// and leads not erased, leads not converted, campaigns, segments not logged), open tasks and
// opportunities, teams.
Result<std::vector<std::string>> SalespersonDependents(ReadModel& rm, const catalog::State& catalog,
                                                       const std::string& code) {
  Dependents d;
  CRM_RETURN_IF_ERROR(rm.ForEachPartyState(true, true, [&](const RecordNo& no, const PartyState& party) {
    std::visit([&](const auto& s) {  // neither an erased nor a converted record can change any more
      if (!s.deleted && !s.erased && s.f.salesperson == code) {
        if constexpr (std::is_same_v<std::decay_t<decltype(s)>, contact::LeadState>) {
          if (s.converted()) return;
        }
        d.Add(no.kind() == RecordKind::kLead ? "lead" : "contact", no.ToString());
      }
    }, party);
    return true;
  }));
  CRM_RETURN_IF_ERROR(rm.ForEachCampaign([&](const campaign::State& cp) {
    if (!cp.deleted && cp.salesperson == code) d.Add("campaign", cp.no.ToString());
    return true;
  }));
  CRM_RETURN_IF_ERROR(rm.ForEachSegment([&](const segment::Header& h) {
    if (!h.deleted && h.logged_segment.empty() && h.salesperson == code) d.Add("segment", h.no.ToString());
    return true;
  }));
  CRM_RETURN_IF_ERROR(rm.ForEachTask(RecordNo(), [&](const TaskRow& t) {
    if (task::IsOpen(t.status) && t.salesperson == code) d.Add("open task", t.no.ToString());
    return true;
  }));
  CRM_RETURN_IF_ERROR(rm.ForEachOpportunity(RecordNo(), [&](const OpportunityRow& op) {
    if (op.open() && op.salesperson == code) d.Add("open opportunity", op.no.ToString());
    return true;
  }));
  for (const auto& [team, t] : catalog.teams) {
    if (std::find(t.members.begin(), t.members.end(), code) != t.members.end()) d.Add("team", team);
  }
  return d.Named();
}

// What still names interaction template `code`: segments not logged nor deleted (logging them
// would use it).
Result<std::vector<std::string>> TemplateDependents(ReadModel& rm, const std::string& code) {
  Dependents d;
  CRM_RETURN_IF_ERROR(rm.ForEachSegment([&](const segment::Header& h) {
    if (!h.deleted && h.logged_segment.empty() && h.interaction_template == code) d.Add("segment", h.no.ToString());
    return true;
  }));
  return d.Named();
}

}  // namespace

Result<json> Handler::DeleteCatalogEntry(const Request& r, catalog::DeleteEntry c) {
  return Run(r, catalog::CatalogStream(), [&](ReadModel& rm, AppendBatch* batch) -> Result<json> {
    CRM_ASSIGN_OR_RETURN(reference::State ref, InitializedReference(rm));
    CRM_ASSIGN_OR_RETURN(catalog::State catalog, rm.Catalog());
    const std::string code = Upper(Trim(c.code));  // as NormalizeCode gives it; a bad one is refused below
    const bool salesperson = c.kind == fb::CatalogEntryKind::Salesperson;
    if (catalog::IsLive(catalog, c.kind, code) && !c.restore) {  // only asked when it would be deleted
      CRM_ASSIGN_OR_RETURN(c.dependents, salesperson ? SalespersonDependents(rm, catalog, code)
                                                     : TemplateDependents(rm, code));
    }
    CRM_ASSIGN_OR_RETURN(batch->events, catalog::Decide(ref, catalog, c));
    return json{{"no", code}, {"deleted", !c.restore}, {"changed", !batch->events.empty()}};
  }, access::Need::kReferenceData);
}

}  // namespace crm
