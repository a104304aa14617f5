// Typed visits over a closed list of event types (STYLE rule 5). An aggregate names the events it
// folds as an EventList, and its Evolve visits a record with one overload per listed type:
//
//   using Events = EventList<fb::MemberAdded, fb::MemberRemoved>;
//   Visit(Events{}, env, Overloaded{[&](const fb::MemberAdded* e) {...},
//                                   [&](const fb::MemberRemoved* e) {...}});
//
// A listed type without an overload does not compile; a record of a type not in the list is not
// visited (Visit returns false). So an aggregate never spells the events it ignores, and adding an
// event to its list makes the compiler ask for the code that folds it. Header-only, constexpr.
#pragma once

#include <cstddef>
#include <type_traits>

#include "events/crm_events_generated.h"

namespace crm {

template <typename... Ts>
struct EventList {
  static constexpr std::size_t kSize = sizeof...(Ts);
  static constexpr bool Contains(fb::Event type) { return ((type == fb::EventTraits<Ts>::enum_value) || ...); }
};

// The union of two lists (for a fold that also reads another owner's event).
template <typename A, typename B>
struct JoinEvents;
template <typename... As, typename... Bs>
struct JoinEvents<EventList<As...>, EventList<Bs...>> {
  using type = EventList<As..., Bs...>;
};
template <typename A, typename B>
using JoinedEvents = typename JoinEvents<A, B>::type;

// An overload set built from lambdas.
template <typename... Fs>
struct Overloaded : Fs... {
  using Fs::operator()...;
};
template <typename... Fs>
Overloaded(Fs...) -> Overloaded<Fs...>;

// Calls visitor(const T*) with the record's payload (never null) when its type T is in the list;
// returns whether it did.
template <typename... Ts, typename Visitor>
bool Visit(EventList<Ts...>, const fb::Envelope& env, Visitor&& visitor) {
  static_assert((std::is_invocable_v<Visitor&, const Ts*> && ...), "every listed event type needs an overload");
  const fb::Event type = env.payload_type();
  return ((type == fb::EventTraits<Ts>::enum_value && (visitor(env.template payload_as<Ts>()), true)) || ...);
}

// The same over an unpacked payload (the object API): visitor(T::NativeTableType*).
template <typename... Ts, typename Visitor>
bool VisitUnpacked(EventList<Ts...>, fb::EventUnion* payload, Visitor&& visitor) {
  static_assert((std::is_invocable_v<Visitor&, typename Ts::NativeTableType*> && ...),
                "every listed event type needs an overload");
  return ((payload->type == fb::EventTraits<Ts>::enum_value &&
           (visitor(static_cast<typename Ts::NativeTableType*>(payload->value)), true)) ||
          ...);
}

}  // namespace crm
