#include "events/sealing.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <type_traits>
#include <utility>
#include <vector>

#include "events/codec.h"
#include "events/event_list.h"
#include "events/owner.h"
#include "events/person_fields.h"

namespace crm {
namespace {

using json = nlohmann::json;

// The personal fields of each event type: what a person could be recognised by (the shared
// fields events/person_fields.h marks personal), free text about them and custom values. Numbers, codes,
// languages, countries and the company stay in the clear (segments, statistics and links need
// them; a company is not a person).
template <typename T, typename Fn>
void ForEachPersonal(T* t, Fn fn) {
  for (std::size_t i = 0; i < kPersonFields.size(); ++i) {
    if (kPersonFields[i].personal) fn(kPersonFields[i].name, &(t->*kPersonFieldMembers<T>[i]));
  }
  if constexpr (std::is_same_v<T, fb::LeadCreatedT> || std::is_same_v<T, fb::LeadChangedT>) {
    fn("description", &t->description);
  }
  // Custom values (schema 13): no one knows what a custom field of a person holds, so all are
  // sealed, each named "custom.NAME" (a custom field's name has no '.').
  for (auto& v : t->custom) fn("custom." + v->name, &v->value);
}
template <typename Fn>
void ForEachPersonal(fb::ConsentRecordedT* t, Fn fn) {
  fn("reason", &t->reason);
}

// Whether the record's payload has personal fields, sealed or (written before schema 7) in
// the clear, and whose they are.
struct PersonalPart {
  enum Kind { kNone, kClear, kSealed } kind = kNone;
  std::string_view subject;
};

PersonalPart PersonalPartOf(const fb::Envelope& env) {
  PersonalPart part;
  const std::optional<Route> route = RouteOf(env.payload_type());
  if (!route || !route->personal) return part;
  Visit(PersonalEvents{}, env, [&](const auto* t) {
    part = {t->sealed() != nullptr ? PersonalPart::kSealed : PersonalPart::kClear,
            t->no() != nullptr ? t->no()->string_view() : std::string_view()};
  });
  return part;
}

// An erased person's fields written in the clear (before schema 7): shown as erased too.
template <typename T>
void Mask(T* t) {
  ForEachPersonal(t, [](std::string_view, std::string* value) {
    if (!value->empty()) *value = kErasedText;
  });
}

std::string Box(std::string_view plain, const SealKey& key) {
  std::string out(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plain.size(), '\0');
  auto* nonce = reinterpret_cast<unsigned char*>(out.data());
  randombytes_buf(nonce, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(nonce + crypto_secretbox_NONCEBYTES, reinterpret_cast<const unsigned char*>(plain.data()),
                        plain.size(), nonce, key.data());
  return out;
}

Result<std::string> Unbox(std::string_view box, const SealKey& key, std::string_view subject) {
  if (box.size() < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) {
    return Status::Corruption("sealed data of " + std::string(subject) + " is too short");
  }
  std::string plain(box.size() - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES, '\0');
  const auto* nonce = reinterpret_cast<const unsigned char*>(box.data());
  if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(plain.data()), nonce + crypto_secretbox_NONCEBYTES,
                                 box.size() - crypto_secretbox_NONCEBYTES, nonce, key.data()) != 0) {
    return Status::Corruption("sealed data of " + std::string(subject) + " does not open with its key");
  }
  return plain;
}

template <typename T>
void Seal(T* t, const PersonKey& key) {
  json values = json::object();
  std::vector<std::string> names;
  ForEachPersonal(t, [&](std::string_view name, std::string* value) {
    if (value->empty()) return;
    values[name] = std::move(*value);
    value->clear();
    names.emplace_back(name);
  });
  if (names.empty()) return;
  t->sealed = std::make_unique<fb::SealedT>();
  t->sealed->fields = std::move(names);
  t->sealed->key = key.id;
  const std::string box = Box(values.dump(), key.key);
  t->sealed->box.assign(box.begin(), box.end());
}

// Puts the sealed values back (or "(erased)" into each sealed field); keeps the names, drops
// the box.
template <typename T>
Status Open(T* t, std::string_view subject, KeySource* keys) {
  if (!t->sealed || t->sealed->box.empty()) return Status::Ok();  // never sealed, or opened already
  CRM_ASSIGN_OR_RETURN(std::optional<SealKey> key, keys->Find(subject, t->sealed->key));
  json values;
  if (key) {
    const std::string box(t->sealed->box.begin(), t->sealed->box.end());
    CRM_ASSIGN_OR_RETURN(std::string plain, Unbox(box, *key, subject));
    values = json::parse(plain, nullptr, false);
    if (!values.is_object()) return Status::Corruption("sealed data of " + std::string(subject) + " is not an object");
  }
  const auto& sealed = t->sealed->fields;
  ForEachPersonal(t, [&](std::string_view name, std::string* value) {
    if (std::find(sealed.begin(), sealed.end(), name) == sealed.end()) return;
    if (!key) {
      *value = kErasedText;
    } else if (auto it = values.find(name); it != values.end() && it->is_string()) {
      *value = it->get<std::string>();
    }
  });
  t->sealed->box.clear();
  return Status::Ok();
}

// Calls fn with the payload's table when its type has personal fields.
template <typename Fn>
void WithPersonal(fb::EventUnion* u, Fn fn) {
  VisitUnpacked(PersonalEvents{}, u, fn);
}

bool IsSealedAnswer(std::string_view stored) { return stored.starts_with("{\"box\":"); }

}  // namespace

PersonKey NewPersonKey() {
  PersonKey k;
  crypto_secretbox_keygen(k.key.data());
  unsigned char id[8];
  randombytes_buf(id, sizeof id);
  char hex[2 * sizeof id + 1];
  k.id = sodium_bin2hex(hex, sizeof hex, id, sizeof id);
  return k;
}

std::string PersonalSubject(const fb::EventUnion& payload) {
  auto* u = const_cast<fb::EventUnion*>(&payload);  // read only
  std::string subject;
  WithPersonal(u, [&](auto* t) {
    bool any = false;
    ForEachPersonal(t, [&](std::string_view, std::string* value) { any = any || !value->empty(); });
    if (any) subject = t->no;
  });
  return subject;
}

void SealPayload(fb::EventUnion* payload, const PersonKey& key) {
  WithPersonal(payload, [&](auto* t) { Seal(t, key); });
}

std::string SealAnswer(std::string_view answer, std::string_view subject, const PersonKey& key) {
  // Keys sorted, so the stored answer starts with {"box": (IsSealedAnswer).
  return json{{"sealed", subject}, {"key", key.id}, {"box", Base64(Box(answer, key.key))}}.dump();
}

Result<std::string> OpenAnswer(std::string_view stored, KeySource* keys) {
  if (!IsSealedAnswer(stored)) return std::string(stored);
  const json j = json::parse(stored, nullptr, false);
  if (!j.is_object() || !j.contains("sealed") || !j["sealed"].is_string() || !j["box"].is_string() ||
      !j.contains("key") || !j["key"].is_string()) {
    return Status::Corruption("a sealed answer does not parse");
  }
  const std::string subject = j["sealed"];
  CRM_ASSIGN_OR_RETURN(std::optional<SealKey> key, keys->Find(subject, j["key"].get<std::string>()));
  if (!key) return json{{"erased", true}, {"no", subject}}.dump();
  auto box = FromBase64(j["box"].get<std::string>());
  if (!box.ok()) return Status::Corruption("a sealed answer's box is not base64");
  return Unbox(*box, *key, subject);
}

Result<std::optional<std::string>> OpenRecord(const fb::Envelope& env, KeySource* keys) {
  const PersonalPart part = PersonalPartOf(env);
  const bool sealed_answer = env.command_answer() != nullptr && IsSealedAnswer(env.command_answer()->string_view());
  bool erased_clear = false;
  // Only a record written before personal data was sealed can hold an erased person's fields in
  // the clear. A later one in the clear has none, or is the writer's own opened copy of a record
  // it has just sealed with the person's live key (the projector's input at append): no read of
  // the erased mark for those (it was 6% of an import's appending thread).
  if (part.kind == PersonalPart::kClear && env.schema_version() < kSchemaSealed) {
    CRM_ASSIGN_OR_RETURN(erased_clear, keys->Erased(part.subject));
  }
  if (part.kind != PersonalPart::kSealed && !erased_clear && !sealed_answer) return std::optional<std::string>();

  std::unique_ptr<fb::EnvelopeT> t(env.UnPack());
  if (part.kind == PersonalPart::kSealed) {
    Status opened;
    WithPersonal(&t->payload, [&](auto* p) { opened = Open(p, p->no, keys); });
    CRM_RETURN_IF_ERROR(opened);
  } else if (erased_clear) {
    WithPersonal(&t->payload, [](auto* p) { Mask(p); });
  }
  if (sealed_answer) {
    CRM_ASSIGN_OR_RETURN(t->command_answer, OpenAnswer(t->command_answer, keys));
  }
  flatbuffers::FlatBufferBuilder fbb(512);
  fbb.Finish(fb::Envelope::Pack(fbb, t.get()), fb::EnvelopeIdentifier());
  return std::optional<std::string>(std::string(reinterpret_cast<const char*>(fbb.GetBufferPointer()), fbb.GetSize()));
}

}  // namespace crm
