// Golden ledgers: records written once by an older build and committed under tests/golden/.
// They must decode with the schema verifier, chain by hash, and replay into the projections
// that the facts below describe, forever (STYLE rule 4). File format of a golden ledger:
//   file   := record*
//   record := length (u32 little-endian) envelope_bytes[length]
// To write a new golden file (never overwrite an existing one), run this binary with
// CRM_WRITE_GOLDEN=tests/golden/ledger-vN.bin; it runs the session in WriteGolden below.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "app/handler.h"

#ifndef CRM_GOLDEN_DIR
#error "CRM_GOLDEN_DIR must name tests/golden"
#endif

namespace crm {
namespace {

std::string TempDir() {
  char tmpl[] = "/tmp/crm-golden-XXXXXX";
  return ::mkdtemp(tmpl);
}

RecordNo No(const char* s) { return RecordNo::Parse(s).value(); }

// The session behind ledger-v1.bin (schema version 1).
void WriteGolden(const std::string& path) {
  const std::string dir = TempDir();
  Handler::Options o;
  o.data_dir = dir;
  o.create = true;
  auto h = std::move(Handler::Open(o).value());
  int n = 0;
  auto req = [&] {
    ++n;
    return Request{CommandId("golden-" + std::to_string(n)), Actor("golden"),
                   Timestamp(1799571600000000LL + n * 1000000LL), {}, "", {}, ""};
  };
  REQUIRE(h->Reference(req(), reference::InitDataSet{"EUR"}).ok());
  REQUIRE(h->Reference(req(), reference::AddCampaignStatus{"1-PLAN", "Planning"}).ok());
  REQUIRE(h->Reference(req(), reference::AddMemberStatus{"Invited", false, false, {}}).ok());
  REQUIRE(h->Reference(req(), reference::AddMemberStatus{"Attended", true, false, {}}).ok());
  REQUIRE(h->Reference(req(), reference::AddProfileCode{fb::ProfileKind::JobResponsibility, "PURCHASE", "Purchasing"}).ok());
  contact::CreateContact company;
  company.type = fb::ContactType::Company;
  company.f.name = "Cronus AS";
  REQUIRE(h->CreateContact(req(), company).ok());
  for (int i = 1; i <= 4; ++i) {
    contact::CreateContact c;
    c.f.name = "Person " + std::to_string(i);
    c.f.email = "p" + std::to_string(i) + "@cronus.example";
    c.company = "CT0001";
    c.job_responsibilities = {"PURCHASE"};
    REQUIRE(h->CreateContact(req(), c).ok());
  }
  contact::CreateLead lead;
  lead.f.name = "Lena";
  REQUIRE(h->CreateLead(req(), lead).ok());
  campaign::CreateCampaign cp;
  cp.f.name = "Golden campaign";
  cp.f.status = "1-PLAN";
  cp.f.budgeted_cost = Money(125050);
  REQUIRE(h->CreateCampaign(req(), cp).ok());
  REQUIRE(h->AddMembers(req(), MemberSelection{No("CP0001"), {}, {"job_responsibility=PURCHASE"}, false}, "Invited").ok());
  REQUIRE(h->AddMembers(req(), MemberSelection{No("CP0001"), {No("LD0001")}, {}, false}, "").ok());
  REQUIRE(h->SetMemberStatus(req(), MemberSelection{No("CP0001"), {No("CT0002"), No("CT0003")}, {}, false}, "Attended",
                             fb::MemberHow::MassUpdate).ok());
  REQUIRE(h->RemoveMembers(req(), MemberSelection{No("CP0001"), {No("CT0005")}, {}, false}).ok());
  campaign::ChangeCampaign change;
  change.no = No("CP0001");
  change.description = "Changed once";
  REQUIRE(h->ChangeCampaign(req(), change).ok());

  std::ofstream out(path, std::ios::binary);
  REQUIRE(h->ledger()->Read(LedgerSeq(1), [&](LedgerSeq, std::string_view rec) {
    const uint32_t len = static_cast<uint32_t>(rec.size());
    const char le[4] = {static_cast<char>(len), static_cast<char>(len >> 8), static_cast<char>(len >> 16),
                        static_cast<char>(len >> 24)};
    out.write(le, 4);
    out.write(rec.data(), static_cast<std::streamsize>(rec.size()));
    return true;
  }).ok());
  h.reset();
  std::filesystem::remove_all(dir);
}

std::vector<std::string> ReadGolden(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in.good());
  std::vector<std::string> records;
  char le[4];
  while (in.read(le, 4)) {
    const uint32_t len = static_cast<uint8_t>(le[0]) | static_cast<uint8_t>(le[1]) << 8 |
                         static_cast<uint8_t>(le[2]) << 16 | static_cast<uint32_t>(static_cast<uint8_t>(le[3])) << 24;
    std::string rec(len, '\0');
    REQUIRE(in.read(rec.data(), len));
    records.push_back(std::move(rec));
  }
  return records;
}

}  // namespace

TEST_CASE("golden ledger v1 decodes, chains and replays into the same read models") {
  const std::string path = std::string(CRM_GOLDEN_DIR) + "/ledger-v1.bin";
  if (const char* w = std::getenv("CRM_WRITE_GOLDEN"); w != nullptr && *w != '\0') {
    WriteGolden(w);
    return;
  }
  const auto records = ReadGolden(path);
  REQUIRE(records.size() == 23);

  const std::string dir = TempDir();
  {
    Store::Options o;
    o.mode = Store::Mode::kWrite;
    o.create_if_missing = true;
    auto store = std::move(Store::Open(dir, o, ProjectionColumnFamilies()).value());
    Projector projector(store.get());
    Store::Txn txn(store.get());
    Hash prev{};
    uint64_t seq = 0;
    for (const auto& rec : records) {
      auto env = DecodeEnvelope(rec);
      REQUIRE(env.ok());
      CHECK((*env)->seq() == ++seq);
      CHECK((*env)->schema_version() == 1);
      CHECK(StoredPrevHash(**env) == prev);
      CHECK(ComputeRecordHash(rec, **env) == StoredHash(**env));
      prev = StoredHash(**env);
      REQUIRE(projector.Apply(LedgerSeq(seq), **env, &txn).ok());
    }
    REQUIRE(txn.Commit(false).ok());

    Store::Txn read(store.get());
    ReadModel rm(store.get(), &read);
    auto ref = rm.Reference();
    REQUIRE(ref.ok());
    CHECK(ref->currency == "EUR");
    CHECK(ref->member_statuses.size() == 4);
    CHECK(ref->DefaultStatus()->name == "Sent");
    auto cp = rm.Campaign(No("CP0001"));
    REQUIRE(cp->has_value());
    CHECK((*cp)->name == "Golden campaign");
    CHECK((*cp)->description == "Changed once");
    CHECK((*cp)->budgeted_cost == Money(125050));
    CHECK(*rm.CountsByStatus(No("CP0001")) ==
          std::map<std::string, uint64_t>{{"Attended", 2}, {"Invited", 1}, {"Sent", 1}});
    CHECK((*rm.Contact(No("CT0002")))->job_responsibilities == std::vector<std::string>{"PURCHASE"});
    // Fields added by later schemas (2: number_sent; 5: consent, bounce; 6: users; 7: sealed,
    // erased) read as their defaults from records that never had them.
    CHECK((*cp)->number_sent == 0);
    CHECK((*rm.Contact(No("CT0002")))->consent.empty());
    CHECK_FALSE((*rm.Contact(No("CT0002")))->bounced);
    CHECK(rm.Users()->users.empty());
    // 7: contacts written before personal data was sealed carry no `sealed` and read in the clear.
    CHECK((*rm.Contact(No("CT0002")))->f.name == "Person 1");
    CHECK_FALSE((*rm.Contact(No("CT0002")))->erased);
    CHECK(rm.MemberHistory(No("CP0001"), No("CT0005"))->size() == 2);
    CHECK(*rm.Checkpoint() == 23);
  }
  std::filesystem::remove_all(dir);
}

}  // namespace crm
