// Segment criteria saved for reuse (SPEC §4.5, `segment save-criteria` / `reuse-criteria`), part
// of the catalog aggregate (catalog.h): a segment's steps in effect, saved under a code to run
// again on another segment. Command SaveCriteria; its DecideOne and Fold are in
// catalog_criteria.cc, reached through catalog.h's Decide and Evolve.
//
// Rules: the code is normalised (upper case, <= 20 chars); saved criteria need a description and
// at least one step. Saved criteria are never redefined: saving the same description and steps
// under the same code again is a no-op (a retry), anything else under it is refused (save under
// another code).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "aggregates/common.h"

namespace crm::catalog {

struct State;  // catalog.h

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

struct SaveCriteria {
  std::string code, description, segment;
  std::vector<SavedStep> steps;  // the segment's steps in effect, in order
};

// Saved criteria by code (any case); NotFound when none were saved under it.
Result<const SavedCriteria*> FindCriteria(const State& state, std::string_view code);

}  // namespace crm::catalog
