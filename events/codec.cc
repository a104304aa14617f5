#include "events/codec.h"

#include <dlfcn.h>
#include <openssl/evp.h>
#include <sodium.h>

#include <cstring>
#include <memory>

namespace crm {
namespace {

// SHA-256 through OpenSSL's libcrypto, which uses the CPU's SHA extensions where present
// (libsodium's is portable C, a few times slower). libcrypto is loaded on first use, not at
// start: every read command (most commands) never hashes, and loading it cost about 3 ms of a
// 30 ms process. Only its declarations are compiled in (decltype); without libcrypto at run
// time, hashing falls back to libsodium's SHA-256, which gives the same digests.
struct Sha256Api {
  decltype(&EVP_MD_CTX_new) ctx_new = nullptr;
  decltype(&EVP_MD_CTX_free) ctx_free = nullptr;
  decltype(&EVP_sha256) sha256 = nullptr;
  decltype(&EVP_DigestInit_ex) init = nullptr;
  decltype(&EVP_DigestUpdate) update = nullptr;
  decltype(&EVP_DigestFinal_ex) final = nullptr;
};

const Sha256Api* LoadLibCrypto() {
  void* lib = ::dlopen("libcrypto.so.3", RTLD_NOW | RTLD_LOCAL);  // never closed
  if (lib == nullptr) return nullptr;
  static Sha256Api api;
  auto resolve = [&](auto* fn, const char* name) {
    *fn = reinterpret_cast<std::remove_pointer_t<decltype(fn)>>(::dlsym(lib, name));
    return *fn != nullptr;
  };
  const bool all = resolve(&api.ctx_new, "EVP_MD_CTX_new") && resolve(&api.ctx_free, "EVP_MD_CTX_free") &&
                   resolve(&api.sha256, "EVP_sha256") && resolve(&api.init, "EVP_DigestInit_ex") &&
                   resolve(&api.update, "EVP_DigestUpdate") && resolve(&api.final, "EVP_DigestFinal_ex");
  return all ? &api : nullptr;
}

const Sha256Api* LibCrypto() {
  static const Sha256Api* api = LoadLibCrypto();  // thread-safe, once
  return api;
}

// The digest of the concatenation of `parts`.
Hash Sha256Of(std::initializer_list<std::string_view> parts) {
  Hash h{};
  if (const Sha256Api* api = LibCrypto()) {
    struct Free {
      const Sha256Api* api;
      void operator()(EVP_MD_CTX* c) const { api->ctx_free(c); }
    };
    thread_local std::unique_ptr<EVP_MD_CTX, Free> ctx(api->ctx_new(), Free{api});
    unsigned int len = 0;
    api->init(ctx.get(), api->sha256(), nullptr);
    for (std::string_view p : parts) api->update(ctx.get(), p.data(), p.size());
    api->final(ctx.get(), h.data(), &len);
    return h;
  }
  crypto_hash_sha256_state state;
  crypto_hash_sha256_init(&state);
  for (std::string_view p : parts) {
    crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char*>(p.data()), p.size());
  }
  crypto_hash_sha256_final(&state, h.data());
  return h;
}

fb::Hash256 ToStruct(const Hash& h) {
  return fb::Hash256(flatbuffers::span<const uint8_t, 32>(h.data(), h.size()));
}

Hash FromStruct(const fb::Hash256* s) {
  Hash h{};
  if (s != nullptr) std::memcpy(h.data(), s->bytes()->data(), h.size());
  return h;
}

}  // namespace

Result<Hash> HashFromHex(std::string_view hex) {
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  Hash h{};
  if (hex.size() != 2 * h.size()) return Status::InvalidArgument("a digest is 64 hex digits, not '" + std::string(hex) + "'");
  for (size_t i = 0; i < h.size(); ++i) {
    const int hi = nibble(hex[2 * i]), lo = nibble(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return Status::InvalidArgument("a digest is 64 hex digits, not '" + std::string(hex) + "'");
    h[i] = static_cast<uint8_t>(hi << 4 | lo);
  }
  return h;
}

std::string Base64(std::string_view bytes) {
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

Result<std::string> FromBase64(std::string_view text) {
  std::string out(text.size(), '\0');
  size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(), text.size(), nullptr,
                        &len, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0) {
    return Status::Corruption("not base64");
  }
  out.resize(len);
  return out;
}

std::string HashToHex(const Hash& h) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(64);
  for (uint8_t b : h) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 15]);
  }
  return out;
}

std::string EncodeEnvelope(const EnvelopeHeader& header, const fb::EventUnion& payload, const Hash& prev) {
  flatbuffers::FlatBufferBuilder fbb(512);
  const auto stream = fbb.CreateString(header.stream.value());
  const auto event_id = fbb.CreateString(header.event_id);
  const auto command_id = fbb.CreateString(header.command_id.value());
  const auto correlation = fbb.CreateString(header.correlation_id);
  const auto causation = fbb.CreateString(header.causation_id);
  const auto actor = fbb.CreateString(header.actor.value());
  const auto body = payload.Pack(fbb);
  flatbuffers::Offset<flatbuffers::String> answer;
  flatbuffers::Offset<flatbuffers::Vector<flatbuffers::Offset<fb::NumberMark>>> numbers;
  if (header.command_last) {
    answer = fbb.CreateString(header.command_answer);
    std::vector<flatbuffers::Offset<fb::NumberMark>> marks;
    for (const auto& [kind, last] : header.numbers) {
      marks.push_back(fb::CreateNumberMark(fbb, fbb.CreateString(std::string(RecordPrefix(kind))), last));
    }
    if (!marks.empty()) numbers = fbb.CreateVector(marks);
  }
  const fb::Hash256 prev_struct = ToStruct(prev);
  const fb::Hash256 zero{};
  fb::EnvelopeBuilder b(fbb);
  b.add_seq(header.seq.value());
  b.add_stream(stream);
  b.add_stream_version(header.stream_version.value());
  b.add_event_id(event_id);
  b.add_command_id(command_id);
  b.add_correlation_id(correlation);
  b.add_causation_id(causation);
  b.add_actor(actor);
  b.add_recorded_at(header.recorded_at.value());
  b.add_schema_version(kSchemaVersion);
  b.add_payload_type(payload.type);
  b.add_payload(body);
  b.add_prev_hash(&prev_struct);
  b.add_hash(&zero);
  if (header.command_last) {
    b.add_command_last(true);
    b.add_command_answer(answer);
    if (!numbers.IsNull()) b.add_numbers(numbers);
  }
  fbb.Finish(b.Finish(), fb::EnvelopeIdentifier());

  std::string record(reinterpret_cast<const char*>(fbb.GetBufferPointer()), fbb.GetSize());
  const fb::Envelope* env = fb::GetEnvelope(record.data());
  const Hash h = ComputeRecordHash(record, *env);
  const size_t offset = reinterpret_cast<const char*>(env->hash()) - record.data();
  std::memcpy(record.data() + offset, h.data(), h.size());
  return record;
}

Result<const fb::Envelope*> DecodeEnvelope(std::string_view record) {
  flatbuffers::Verifier verifier(reinterpret_cast<const uint8_t*>(record.data()), record.size());
  if (record.size() < 8 || !fb::EnvelopeBufferHasIdentifier(record.data()) ||
      !fb::VerifyEnvelopeBuffer(verifier)) {
    return Status::Corruption("record fails the schema verifier");
  }
  const fb::Envelope* env = fb::GetEnvelope(record.data());
  if (env->hash() == nullptr || env->prev_hash() == nullptr || env->stream() == nullptr) {
    return Status::Corruption("record lacks its stream or hashes");
  }
  return env;
}

Hash ComputeRecordHash(std::string_view record, const fb::Envelope& env) {
  const size_t offset = reinterpret_cast<const char*>(env.hash()) - record.data();
  static const char kZero[32] = {};
  return Sha256Of({record.substr(0, offset), std::string_view(kZero, sizeof kZero), record.substr(offset + 32)});
}

Hash Sha256(std::string_view bytes) { return Sha256Of({bytes}); }

Hash StoredHash(const fb::Envelope& env) { return FromStruct(env.hash()); }
Hash StoredPrevHash(const fb::Envelope& env) { return FromStruct(env.prev_hash()); }

std::string_view EventTypeName(fb::Event type) { return fb::EnumNameEvent(type); }

std::string NewUuid() {
  // A version-4 UUID from xoshiro256** seeded once per thread with 256 random bits: ids need to
  // be unique, not unpredictable, and a getrandom call per event was measurable in bulk appends.
  thread_local uint64_t st[4] = {0, 0, 0, 0};
  if ((st[0] | st[1] | st[2] | st[3]) == 0) randombytes_buf(st, sizeof st);
  auto next = [] {
    auto rotl = [](uint64_t x, int k) { return (x << k) | (x >> (64 - k)); };
    const uint64_t result = rotl(st[1] * 5, 7) * 9;
    const uint64_t t = st[1] << 17;
    st[2] ^= st[0];
    st[3] ^= st[1];
    st[1] ^= st[2];
    st[0] ^= st[3];
    st[2] ^= t;
    st[3] = rotl(st[3], 45);
    return result;
  };
  uint8_t b[16];
  const uint64_t hi = next(), lo = next();
  std::memcpy(b, &hi, 8);
  std::memcpy(b + 8, &lo, 8);
  b[6] = static_cast<uint8_t>((b[6] & 0x0f) | 0x40);
  b[8] = static_cast<uint8_t>((b[8] & 0x3f) | 0x80);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kHex[b[i] >> 4]);
    out.push_back(kHex[b[i] & 15]);
  }
  return out;
}

}  // namespace crm
