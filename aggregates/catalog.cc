// The catalog aggregate: Decide and Evolve dispatch to each concept's DecideOne and Fold
// (catalog_internal.h), plus what the concept files share.
#include "aggregates/catalog.h"

#include "aggregates/catalog_internal.h"

namespace crm::catalog {

State Evolve(State s, const fb::Envelope& env) {
  Visit(OwnEvents{}, env, [&](const auto* e) { Fold(&s, e); });
  return s;
}

Result<Events> Decide(const reference::State& ref, const State& state, const Command& command) {
  if (!ref.initialized) return Status::FailedPrecondition("the data set is not initialised (run 'crmctl init')");
  return std::visit([&](const auto& c) { return DecideOne(ref, state, c); }, command);
}

StreamId CatalogStream() { return StreamId("catalog"); }

std::string Sha256Hex(std::string_view bytes) { return HashToHex(Sha256(bytes)); }

}  // namespace crm::catalog
