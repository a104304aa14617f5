// Sealing personal data (events/sealing.h): what is sealed, opening with the key, "(erased)"
// without it, tampering detected, answers sealed and opened, records without personal data
// passed through untouched.
#include "events/sealing.h"

#include <doctest/doctest.h>

#include <map>
#include <set>
#include <tuple>

#include "events/codec.h"
#include "events/owner.h"

namespace crm {
namespace {

// Keys in memory: a subject's key, or erased.
class MapKeys final : public KeySource {
 public:
  Result<std::optional<SealKey>> Find(std::string_view subject, std::string_view id) override {
    if (erased.contains(std::string(subject))) return std::optional<SealKey>();
    auto it = keys.find(std::string(subject) + "/" + std::string(id));
    if (it == keys.end()) return Status::NotFound("no key");
    return std::optional<SealKey>(it->second);
  }
  Result<bool> Erased(std::string_view subject) override { return erased.contains(std::string(subject)); }
  std::map<std::string, SealKey> keys;
  std::set<std::string> erased;
};

fb::EventUnion Created() {
  fb::ContactCreatedT e;
  e.no = "CT0001";
  e.name = "Zelda Quintessa";
  e.email = "zelda@example.org";
  e.city = "Quintopolis";
  e.country = "FR";
  fb::EventUnion u;
  u.Set(std::move(e));
  return u;
}

std::string Record(const fb::EventUnion& payload, const std::string& answer = "") {
  EnvelopeHeader h;
  h.seq = LedgerSeq(1);
  h.stream = StreamId("contact/CT0001");
  h.command_id = CommandId("c1");
  h.command_last = true;
  h.command_answer = answer;
  return EncodeEnvelope(h, payload, Hash{});
}

const fb::ContactCreated* Opened(const std::optional<std::string>& record) {
  REQUIRE(record.has_value());
  return fb::GetEnvelope(record->data())->payload_as_ContactCreated();
}

TEST_CASE("personal fields are sealed and open with the person's key only") {
  MapKeys keys;
  const PersonKey key = NewPersonKey();
  CHECK(key.id.size() == 16);
  keys.keys["CT0001/" + key.id] = key.key;

  fb::EventUnion u = Created();
  CHECK(PersonalSubject(u) == "CT0001");
  SealPayload(&u, key);
  const auto* sealed = u.AsContactCreated();
  CHECK(sealed->name.empty());
  CHECK(sealed->email.empty());
  CHECK(sealed->city.empty());
  CHECK(sealed->country == "FR");  // not personal: stays in the clear
  REQUIRE(sealed->sealed);
  CHECK(sealed->sealed->fields == std::vector<std::string>{"name", "email", "city"});
  CHECK(sealed->sealed->key == key.id);
  CHECK(PersonalSubject(u).empty());  // nothing left in the clear

  const std::string record = Record(u);
  CHECK(record.find("Quintessa") == std::string::npos);
  CHECK(record.find("zelda@") == std::string::npos);
  const fb::Envelope* env = DecodeEnvelope(record).value();
  auto opened = OpenRecord(*env, &keys);
  REQUIRE(opened.ok());
  const auto* e = Opened(*opened);
  CHECK(e->name()->str() == "Zelda Quintessa");
  CHECK(e->email()->str() == "zelda@example.org");
  CHECK(e->city()->str() == "Quintopolis");
  CHECK(e->phone() == nullptr);  // was empty: not sealed, not invented
  // The stored hashes are kept (for reading); the original still verifies.
  CHECK(fb::GetEnvelope((*opened)->data())->hash()->bytes()->Get(0) == env->hash()->bytes()->Get(0));
  CHECK(ComputeRecordHash(record, *env) == StoredHash(*env));

  SUBCASE("erased: every sealed field reads (erased)") {
    keys.erased.insert("CT0001");
    auto erased = OpenRecord(*env, &keys);
    REQUIRE(erased.ok());
    const auto* x = Opened(*erased);
    CHECK(x->name()->str() == kErasedText);
    CHECK(x->email()->str() == kErasedText);
    CHECK(x->city()->str() == kErasedText);
    CHECK(x->phone() == nullptr);
    CHECK(x->country()->str() == "FR");
  }
  SUBCASE("another key does not open it") {
    keys.keys["CT0001/" + key.id] = NewPersonKey().key;
    CHECK(OpenRecord(*env, &keys).status().code() == StatusCode::kCorruption);
  }
  SUBCASE("a lost key is an error, not an erasure") {
    keys.keys.clear();
    CHECK(OpenRecord(*env, &keys).status().code() == StatusCode::kNotFound);
  }
}

TEST_CASE("a lead's description and a consent's reason are personal too") {
  fb::LeadChangedT lead;
  lead.no = "LD0001";
  lead.description = "met at the fair";
  lead.lead_status = "Contacted";
  fb::EventUnion u;
  u.Set(std::move(lead));
  CHECK(PersonalSubject(u) == "LD0001");
  SealPayload(&u, NewPersonKey());
  CHECK(u.AsLeadChanged()->description.empty());
  CHECK(u.AsLeadChanged()->lead_status == "Contacted");

  fb::ConsentRecordedT consent;
  consent.no = "CT0002";
  consent.kind = fb::ConsentKind::Bounce;
  fb::EventUnion c;
  c.Set(consent);
  CHECK(PersonalSubject(c).empty());  // no reason: nothing to seal
  consent.reason = "550 <ann@example.com>: no such user";
  c.Set(std::move(consent));
  CHECK(PersonalSubject(c) == "CT0002");
}

TEST_CASE("a person's custom values are sealed; a cleared one stays in the clear") {
  MapKeys keys;
  const PersonKey key = NewPersonKey();
  keys.keys["CT0001/" + key.id] = key.key;
  fb::ContactChangedT change;
  change.no = "CT0001";
  for (auto [name, value, cleared] : {std::tuple{"Birthday", "1990-02-28", false}, {"Tier", "", true}}) {
    auto v = std::make_unique<fb::CustomValueT>();
    v->name = name;
    v->value = value;
    v->cleared = cleared;
    change.custom.push_back(std::move(v));
  }
  fb::EventUnion u;
  u.Set(std::move(change));
  CHECK(PersonalSubject(u) == "CT0001");
  SealPayload(&u, key);
  const auto* sealed = u.AsContactChanged();
  CHECK(sealed->custom[0]->value.empty());
  CHECK_FALSE(sealed->custom[0]->cleared);  // sealed, not cleared: a reader without the key can tell
  CHECK(sealed->custom[1]->cleared);
  REQUIRE(sealed->sealed);
  CHECK(sealed->sealed->fields == std::vector<std::string>{"custom.Birthday"});

  const std::string record = Record(u);
  CHECK(record.find("1990-02-28") == std::string::npos);
  const fb::Envelope* env = DecodeEnvelope(record).value();
  auto opened = OpenRecord(*env, &keys);
  REQUIRE(opened.ok());
  REQUIRE(opened->has_value());
  const auto* e = fb::GetEnvelope((*opened)->data())->payload_as_ContactChanged();
  CHECK(e->custom()->Get(0)->value()->str() == "1990-02-28");
  CHECK(e->custom()->Get(1)->cleared());
  keys.erased.insert("CT0001");
  auto erased = OpenRecord(*env, &keys);
  REQUIRE(erased.ok());
  const auto* x = fb::GetEnvelope((*erased)->data())->payload_as_ContactChanged();
  CHECK(x->custom()->Get(0)->value()->str() == kErasedText);
}

TEST_CASE("answers are sealed for one person and read back, or as erased") {
  MapKeys keys;
  const PersonKey key = NewPersonKey();
  keys.keys["CT0001/" + key.id] = key.key;
  const std::string answer = R"({"name":"Zelda Quintessa","no":"CT0001"})";
  const std::string stored = SealAnswer(answer, "CT0001", key);
  CHECK(stored.find("Quintessa") == std::string::npos);
  CHECK(OpenAnswer(stored, &keys).value() == answer);
  CHECK(OpenAnswer(R"({"changed":true})", &keys).value() == R"({"changed":true})");  // never sealed

  fb::EventUnion u = Created();
  SealPayload(&u, key);
  const std::string record = Record(u, stored);
  auto opened = OpenRecord(*DecodeEnvelope(record).value(), &keys);
  REQUIRE(opened.ok());
  CHECK(fb::GetEnvelope((*opened)->data())->command_answer()->str() == answer);

  keys.erased.insert("CT0001");
  CHECK(OpenAnswer(stored, &keys).value() == R"({"erased":true,"no":"CT0001"})");
}

TEST_CASE("records without personal data pass through") {
  MapKeys keys;
  fb::CampaignCreatedT cp;
  cp.no = "CP0001";
  cp.name = "Spring";
  fb::EventUnion u;
  u.Set(std::move(cp));
  CHECK(PersonalSubject(u).empty());
  const std::string record = Record(u, R"({"no":"CP0001"})");
  auto opened = OpenRecord(*DecodeEnvelope(record).value(), &keys);
  REQUIRE(opened.ok());
  CHECK_FALSE(opened->has_value());
  // A contact written before schema 7 (unsealed) passes through as well...
  std::unique_ptr<fb::EnvelopeT> unpacked(DecodeEnvelope(Record(Created())).value()->UnPack());
  unpacked->schema_version = kSchemaSealed - 1;
  flatbuffers::FlatBufferBuilder fbb;
  fbb.Finish(fb::Envelope::Pack(fbb, unpacked.get()), fb::EnvelopeIdentifier());
  const std::string old(reinterpret_cast<const char*>(fbb.GetBufferPointer()), fbb.GetSize());
  auto old_opened = OpenRecord(*DecodeEnvelope(old).value(), &keys);
  REQUIRE(old_opened.ok());
  CHECK_FALSE(old_opened->has_value());
  // ...until the person is erased: then its values are hidden (the record still holds them).
  keys.erased.insert("CT0001");
  auto hidden = OpenRecord(*DecodeEnvelope(old).value(), &keys);
  REQUIRE(hidden.ok());
  const auto* e = Opened(*hidden);
  CHECK(e->name()->str() == kErasedText);
  CHECK(e->city()->str() == kErasedText);
  CHECK(e->phone() == nullptr);
  CHECK(e->country()->str() == "FR");
  // A later record in the clear is a writer's own opened copy of what it has just sealed (its
  // subject holds a live key): the erased mark is not read for it.
  auto current = OpenRecord(*DecodeEnvelope(Record(Created())).value(), &keys);
  REQUIRE(current.ok());
  CHECK_FALSE(current->has_value());
}

TEST_CASE("sealing's list of personal events is the one RouteOf names") {
  for (fb::Event type : fb::EnumValuesEvent()) {
    if (type == fb::Event::NONE) continue;
    CAPTURE(std::string(fb::EnumNameEvent(type)));
    REQUIRE(RouteOf(type).has_value());
    CHECK(PersonalEvents::Contains(type) == RouteOf(type)->personal);
  }
}

}  // namespace
}  // namespace crm
