#include "aggregates/membership.h"

namespace crm::membership {
namespace {

Status CheckCampaign(const Context& cx, const RecordNo& no) {
  if (cx.campaign == nullptr || !cx.campaign->exists) {
    return Status::NotFound("campaign " + no.ToString() + " does not exist");
  }
  return Status::Ok();
}

Status CheckMemberKind(const RecordNo& id) {
  if (id.kind() != RecordKind::kContact && id.kind() != RecordKind::kLead) {
    return Status::FailedPrecondition(id.ToString() + " is neither a contact (CT) nor a lead (LD)");
  }
  return Status::Ok();
}

Result<const reference::MemberStatusDef*> ResolveStatus(const Context& cx, const std::string& name) {
  const reference::MemberStatusDef* def = name.empty() ? cx.reference->DefaultStatus() : cx.reference->FindStatus(name);
  if (def == nullptr) {
    if (name.empty()) return Status::FailedPrecondition("no default member status is defined");
    return Status::NotFound("member status '" + name + "' is not defined (crmctl member-status list)");
  }
  return def;
}

const Membership* Current(const Context& cx, const RecordNo& id) {
  auto it = cx.current.find(id);
  return it != cx.current.end() && it->second.exists ? &it->second : nullptr;
}

// The three membership changes, on the campaign's stream, each saying how it came about.
// `responded_at`: when the member responded, as an import's source says (kept only with a
// responded status).
NewEvent Added(const RecordNo& campaign, const RecordNo& id, const reference::MemberStatusDef& def, fb::MemberHow how,
               const std::string& criteria, Timestamp responded_at = Timestamp()) {
  fb::MemberAddedT e;
  e.campaign = campaign.ToString();
  e.member = id.ToString();
  e.status = def.name;
  e.responded = def.responded;
  e.how = how;
  e.criteria = criteria;
  e.responded_at = def.responded ? responded_at.value() : 0;
  return MakeEvent(campaign.Stream(), std::move(e));
}

NewEvent Removed(const RecordNo& campaign, const RecordNo& id, const std::string& status, fb::MemberHow how,
                 const std::string& criteria) {
  fb::MemberRemovedT e;
  e.campaign = campaign.ToString();
  e.member = id.ToString();
  e.status = status;
  e.how = how;
  e.criteria = criteria;
  return MakeEvent(campaign.Stream(), std::move(e));
}

NewEvent StatusUpdated(const RecordNo& campaign, const RecordNo& id, const std::string& from,
                       const reference::MemberStatusDef& def, fb::MemberHow how, const std::string& criteria,
                       Timestamp responded_at = Timestamp()) {
  fb::MemberStatusUpdatedT e;
  e.campaign = campaign.ToString();
  e.member = id.ToString();
  e.from_status = from;
  e.status = def.name;
  e.responded = def.responded;
  e.how = how;
  e.criteria = criteria;
  e.responded_at = def.responded ? responded_at.value() : 0;
  return MakeEvent(campaign.Stream(), std::move(e));
}

// When a membership that now counts as responded first responded: as the event says (an
// import's source), else when it already had, else now.
Timestamp RespondedAt(const Membership& before, int64_t said, Timestamp at) {
  if (said != 0) return Timestamp(said);
  if (before.exists && before.responded && before.responded_at.value() != 0) return before.responded_at;
  return at;
}

}  // namespace

Membership Evolve(Membership m, const fb::Envelope& env) {
  const Timestamp at(env.recorded_at());
  Visit(FoldedEvents{}, env,
        Overloaded{[&](const fb::MemberAdded* e) {
                     m.exists = true;
                     m.status = Str(e->status());
                     m.responded = e->responded();
                     m.responded_at = m.responded ? RespondedAt(Membership{}, e->responded_at(), at) : Timestamp();
                     m.added_at = m.changed_at = at;
                     m.added_by = Actor(Str(env.actor()));
                     m.how = e->how();
                   },
                   [&](const fb::MemberRemoved* e) { m = Membership{}; },
                   [&](const fb::MemberStatusUpdated* e) {
                     const Timestamp first = RespondedAt(m, e->responded_at(), at);
                     m.status = Str(e->status());
                     m.responded = e->responded();
                     m.responded_at = m.responded ? first : Timestamp();
                     m.changed_at = at;
                     m.how = e->how();
                   }});
  return m;
}

Status CheckResponded(const reference::MemberStatusDef& status, std::optional<bool> said) {
  if (!said || *said == status.responded) return Status::Ok();
  return Status::FailedPrecondition(std::string("HasResponded says ") + (*said ? "yes" : "no") +
                                    ", but member status '" + status.name + "' counts as " +
                                    (status.responded ? "responded" : "not responded"));
}

Result<Events> DecideAdd(const Context& cx, const AddMembers& c) {
  CRM_RETURN_IF_ERROR(CheckCampaign(cx, c.campaign));
  CRM_ASSIGN_OR_RETURN(const reference::MemberStatusDef* def, ResolveStatus(cx, c.status));
  Events out;
  std::set<RecordNo> seen;
  for (const auto& id : c.ids) {
    CRM_RETURN_IF_ERROR(CheckMemberKind(id));
    if (!cx.known.contains(id)) {
      return Status::NotFound(std::string(id.kind() == RecordKind::kLead ? "lead " : "contact ") + id.ToString() +
                              " does not exist");
    }
    if (auto it = cx.converted.find(id); it != cx.converted.end() && Current(cx, id) == nullptr) {
      return Status::FailedPrecondition("lead " + id.ToString() + " was converted to contact " + it->second +
                                        ": add the contact instead");
    }
    if (Current(cx, id) != nullptr || !seen.insert(id).second) continue;  // already a member: no-op
    out.push_back(Added(c.campaign, id, *def, c.how, c.criteria, c.responded_at));
  }
  return out;
}

Result<Events> DecideRemove(const Context& cx, const RemoveMembers& c) {
  CRM_RETURN_IF_ERROR(CheckCampaign(cx, c.campaign));
  Events out;
  std::set<RecordNo> seen;
  for (const auto& id : c.ids) {
    CRM_RETURN_IF_ERROR(CheckMemberKind(id));
    const Membership* m = Current(cx, id);
    if (m == nullptr || !seen.insert(id).second) continue;  // not a member: no-op
    out.push_back(Removed(c.campaign, id, m->status, c.how, c.criteria));
  }
  return out;
}

Result<Events> DecideUpdateStatus(const Context& cx, const UpdateStatus& c) {
  CRM_RETURN_IF_ERROR(CheckCampaign(cx, c.campaign));
  if (c.status.empty()) return Status::FailedPrecondition("a member status is required");
  CRM_ASSIGN_OR_RETURN(const reference::MemberStatusDef* def, ResolveStatus(cx, c.status));
  Events out;
  std::set<RecordNo> seen;
  for (const auto& id : c.ids) {
    CRM_RETURN_IF_ERROR(CheckMemberKind(id));
    const Membership* m = Current(cx, id);
    if (m == nullptr) {
      return Status::NotFound(id.ToString() + " is not a member of campaign " + c.campaign.ToString());
    }
    const bool same_time = c.responded_at.value() == 0 || c.responded_at == m->responded_at || !def->responded;
    if ((m->status == def->name && same_time) || !seen.insert(id).second) continue;
    out.push_back(StatusUpdated(c.campaign, id, m->status, *def, c.how, c.criteria, c.responded_at));
  }
  return out;
}

std::vector<CampaignTakeBack> PlanTakeBacks(const RecordNo& canceled, bool undo,
                                            const std::vector<ResponseEntry>& entries, const CommandContext& ctx) {
  const bool segment = canceled.kind() == RecordKind::kLoggedSegment;
  const std::string withdrawn = "canceled " + canceled.ToString();
  std::map<RecordNo, CampaignTakeBack> by_campaign;
  for (const ResponseEntry& e : entries) {
    const bool other_cancel = segment ? e.canceled_self : e.canceled_with_segment;
    if (!e.campaign_response || !e.campaign.valid() || other_cancel) continue;
    CampaignTakeBack& t = by_campaign[e.campaign];
    t.members.push_back(e.contact);
    const std::string logged_as = e.logged_segment.valid() ? "logged segment " + e.logged_segment.ToString()
                                                           : "interaction " + e.entry.ToString();
    TakeBack& c = t.command;
    c.ctx = ctx;
    c.campaign = e.campaign;
    if (undo) {  // put back: the take-back was written as the cancel of the entry or of its segment
      c.change_how = fb::MemberHow::Undo;
      c.change_criteria.insert("canceled " + e.entry.ToString());
      if (e.logged_segment.valid()) c.change_criteria.insert("canceled " + e.logged_segment.ToString());
      c.how = fb::MemberHow::Response;
      c.criteria = logged_as;
    } else {
      c.change_how = fb::MemberHow::Response;
      c.change_criteria = {logged_as};
      c.how = fb::MemberHow::Undo;
      c.criteria = withdrawn;
    }
  }
  std::vector<CampaignTakeBack> out;
  for (auto& [campaign, t] : by_campaign) out.push_back(std::move(t));
  return out;
}

Result<Events> DecideTakeBack(const Context& cx, const TakeBack& c) {
  CRM_RETURN_IF_ERROR(CheckCampaign(cx, c.campaign));
  Events out;
  for (const auto& [id, env] : c.last) {
    const Membership* m = Current(cx, id);
    auto taken_back = [&](fb::MemberHow how, const flatbuffers::String* criteria) {
      return how == c.change_how && c.change_criteria.contains(Str(criteria));
    };
    if (const auto* e = env->payload_as_MemberStatusUpdated(); e != nullptr && taken_back(e->how(), e->criteria())) {
      if (m == nullptr || m->status != Str(e->status())) continue;
      CRM_ASSIGN_OR_RETURN(const reference::MemberStatusDef* def, ResolveStatus(cx, Str(e->from_status())));
      out.push_back(StatusUpdated(c.campaign, id, m->status, *def, c.how, c.criteria));
    } else if (const auto* a = env->payload_as_MemberAdded(); a != nullptr && taken_back(a->how(), a->criteria())) {
      if (m == nullptr || m->status != Str(a->status())) continue;
      out.push_back(Removed(c.campaign, id, m->status, c.how, c.criteria));
    } else if (const auto* r = env->payload_as_MemberRemoved(); r != nullptr && taken_back(r->how(), r->criteria())) {
      if (m != nullptr) continue;
      CRM_ASSIGN_OR_RETURN(const reference::MemberStatusDef* def, ResolveStatus(cx, Str(r->status())));
      out.push_back(Added(c.campaign, id, *def, c.how, c.criteria));
    }
  }
  return out;
}

NewEvent MoveMember(const RecordNo& campaign, const RecordNo& lead, const Membership& m, const RecordNo& contact) {
  fb::MemberMovedT e;
  e.campaign = campaign.ToString();
  e.from = lead.ToString();
  e.to = contact.ToString();
  e.status = m.status;
  e.responded = m.responded;
  return MakeEvent(campaign.Stream(), std::move(e));
}

std::string_view HowName(fb::MemberHow how) {
  switch (how) {
    case fb::MemberHow::Manual:
      return "manual";
    case fb::MemberHow::Criteria:
      return "criteria";
    case fb::MemberHow::MassUpdate:
      return "mass update";
    case fb::MemberHow::StatusReplaced:
      return "status replaced";
    case fb::MemberHow::ContactSide:
      return "from the contact";
    case fb::MemberHow::Import:
      return "import";
    case fb::MemberHow::SegmentLog:
      return "segment log";
    case fb::MemberHow::Response:
      return "response";
    case fb::MemberHow::Conversion:
      return "conversion";
    case fb::MemberHow::Undo:
      return "undo";
  }
  return "unknown";
}

}  // namespace crm::membership
