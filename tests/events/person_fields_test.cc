// The shared person fields' table (events/person_fields.h) against the schema: each entry's name
// is the name the schema gives the member and the accessor at its position, in all four events
// that carry the fields. A list out of step with the table, or with the schema, fails here.
#include "events/person_fields.h"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "events/codec.h"
#include "events/event_json.h"

namespace crm {
namespace {

template <typename T>
void CheckEvent() {
  using Table = typename T::TableType;
  T e;
  e.no = "CT0001";
  for (std::size_t i = 0; i < kPersonFields.size(); ++i) e.*kPersonFieldMembers<T>[i] = "value " + std::to_string(i);
  fb::EventUnion u;
  u.Set(std::move(e));
  EnvelopeHeader h;
  h.seq = LedgerSeq(1);
  h.stream = StreamId("contact/CT0001");
  h.command_id = CommandId("c1");
  h.command_last = true;
  const std::string record = EncodeEnvelope(h, u, Hash{});

  auto json = EventJson().ToJson(record);
  REQUIRE(json.ok());
  const nlohmann::json payload = nlohmann::json::parse(*json).at("payload");
  auto env = DecodeEnvelope(record);
  REQUIRE(env.ok());
  const Table* table = (*env)->template payload_as<Table>();
  REQUIRE(table != nullptr);
  for (std::size_t i = 0; i < kPersonFields.size(); ++i) {
    CAPTURE(std::string(kPersonFields[i].name));
    CHECK(payload.at(std::string(kPersonFields[i].name)) == "value " + std::to_string(i));
    const flatbuffers::String* value = (table->*kPersonFieldGetters<Table>[i])();
    REQUIRE(value != nullptr);
    CHECK(value->str() == "value " + std::to_string(i));
  }
}

TEST_CASE("the shared person fields are named as the schema names them, in all four events") {
  CheckEvent<fb::ContactCreatedT>();
  CheckEvent<fb::ContactChangedT>();
  CheckEvent<fb::LeadCreatedT>();
  CheckEvent<fb::LeadChangedT>();
}

TEST_CASE("names and labels are unique") {
  for (std::size_t i = 0; i < kPersonFields.size(); ++i) {
    for (std::size_t j = i + 1; j < kPersonFields.size(); ++j) {
      CHECK(kPersonFields[i].name != kPersonFields[j].name);
      CHECK(kPersonFields[i].label != kPersonFields[j].label);
    }
  }
}

}  // namespace
}  // namespace crm
