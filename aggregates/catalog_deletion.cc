// Deleting salespeople and interaction templates: decision and fold. Rules: catalog_deletion.h.
#include "aggregates/catalog_deletion.h"

#include <utility>

#include "aggregates/catalog_internal.h"

namespace crm::catalog {
namespace {

// Moves `code` from the live map to the deleted one (back with `restore`), if it is there.
template <typename T>
void MoveEntry(std::map<std::string, T>* live, std::map<std::string, T>* deleted, const std::string& code,
               bool restore) {
  auto node = (restore ? deleted : live)->extract(code);
  if (!node.empty()) (restore ? live : deleted)->insert(std::move(node));
}

bool IsDeleted(const State& s, fb::CatalogEntryKind kind, const std::string& code) {
  return kind == fb::CatalogEntryKind::Salesperson ? s.deleted_salespeople.contains(code)
                                                   : s.deleted_templates.contains(code);
}

}  // namespace

std::string EntryKindName(fb::CatalogEntryKind kind) {
  switch (kind) {
    case fb::CatalogEntryKind::Salesperson: return "salesperson";
    case fb::CatalogEntryKind::InteractionTemplate: return "interaction template";
  }
  return "entry";
}

bool IsLive(const State& s, fb::CatalogEntryKind kind, const std::string& code) {
  return kind == fb::CatalogEntryKind::Salesperson ? s.salespeople.contains(code) : s.templates.contains(code);
}

Status RefuseDeletedEntry(const State& s, fb::CatalogEntryKind kind, const std::string& code) {
  if (!IsDeleted(s, kind, code)) return Status::Ok();
  const std::string noun = EntryKindName(kind);
  const std::string command = kind == fb::CatalogEntryKind::Salesperson ? "salesperson" : "interaction-template";
  return Status::FailedPrecondition(noun + " " + code + " was deleted (crmctl " + command + " restore " + code + ")");
}

Result<Events> DecideOne(const reference::State&, const State& s, const DeleteEntry& c) {
  const std::string noun = EntryKindName(c.kind);
  CRM_ASSIGN_OR_RETURN(std::string code, NormalizeCode(c.code, noun + " code"));
  const bool live = IsLive(s, c.kind, code), deleted = IsDeleted(s, c.kind, code);
  if (!live && !deleted) return Status::NotFound(noun + " " + code + " does not exist");
  if (c.restore ? live : deleted) return Events{};  // already as asked
  if (!c.restore && !c.dependents.empty()) {
    std::string names;
    for (const std::string& d : c.dependents) names += (names.empty() ? "" : ", ") + d;
    return Status::FailedPrecondition(noun + " " + code + " is still named by " + names);
  }
  fb::CatalogEntryDeletedT e;
  e.kind = c.kind;
  e.code = code;
  e.restored = c.restore;
  return Events{MakeEvent(CatalogStream(), std::move(e))};
}

void Fold(State* s, const fb::CatalogEntryDeleted* e) {
  const std::string code = Str(e->code());
  switch (e->kind()) {
    case fb::CatalogEntryKind::Salesperson:
      return MoveEntry(&s->salespeople, &s->deleted_salespeople, code, e->restored());
    case fb::CatalogEntryKind::InteractionTemplate:
      return MoveEntry(&s->templates, &s->deleted_templates, code, e->restored());
  }
}

}  // namespace crm::catalog
