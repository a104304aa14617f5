// Saved segment criteria: decision, fold and lookup. Rules: catalog_criteria.h.
#include "aggregates/catalog_criteria.h"

#include <utility>

#include "aggregates/catalog_internal.h"

namespace crm::catalog {

Result<Events> DecideOne(const reference::State&, const State& s, const SaveCriteria& c) {
  SavedCriteria saved;
  CRM_ASSIGN_OR_RETURN(saved.code, NormalizeCode(c.code, "criteria code"));
  CRM_ASSIGN_OR_RETURN(saved.description, CheckText(c.description, "description", 100, true));
  if (c.steps.empty()) return Status::FailedPrecondition("segment " + c.segment + " has no steps in effect to save");
  if (auto it = s.criteria.find(saved.code); it != s.criteria.end()) {
    if (it->second.description == saved.description && it->second.steps == c.steps) return Events{};
    return Status::AlreadyExists("criteria " + saved.code + " already exist; save under another code");
  }
  fb::SegmentCriteriaSavedT e;
  e.code = saved.code;
  e.description = saved.description;
  e.segment = c.segment;
  for (const SavedStep& step : c.steps) e.steps.push_back(SavedStepTable(step));
  return Events{MakeEvent(CatalogStream(), std::move(e))};
}

void Fold(State* s, const fb::SegmentCriteriaSaved* e) {
  SavedCriteria saved{Str(e->code()), Str(e->description()), Str(e->segment()), {}};
  if (e->steps() != nullptr) {
    for (const auto* step : *e->steps()) {
      saved.steps.push_back({step->kind(), Str(step->criteria()), Str(step->options()), Strs(step->filter())});
    }
  }
  s->criteria[saved.code] = std::move(saved);
}

Result<const SavedCriteria*> FindCriteria(const State& state, std::string_view code) {
  const std::string key = Upper(Trim(code));
  auto it = state.criteria.find(key);
  if (it == state.criteria.end()) return Status::NotFound("criteria " + key + " do not exist");
  return &it->second;
}

std::unique_ptr<fb::SavedSegmentStepT> SavedStepTable(const SavedStep& step) {
  auto t = std::make_unique<fb::SavedSegmentStepT>();
  t->kind = step.kind;
  t->criteria = step.criteria;
  t->options = step.options;
  t->filter = step.filter;
  return t;
}

}  // namespace crm::catalog
