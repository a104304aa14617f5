#include "tools/benchmark/data.h"

namespace crm::bench {
Request BenchRequest(const std::string& id) {
  return Request{CommandId(id), Actor("bench"), Timestamp(Generator::kBaseTime), {}, "", {}, ""};
}

namespace {

RecordNo Contact(uint64_t i) { return RecordNo(RecordKind::kContact, i); }
const RecordNo kCampaign(RecordKind::kCampaign, 1);

}  // namespace

Status Generator::Basics() {
  CRM_RETURN_IF_ERROR(h_->Reference(BenchRequest("bench-init"), reference::InitDataSet{"EUR"}).status());
  CRM_RETURN_IF_ERROR(h_->Reference(BenchRequest("bench-s1"), reference::AddMemberStatus{"Invited", false, false, {}}).status());
  CRM_RETURN_IF_ERROR(h_->Reference(BenchRequest("bench-s2"), reference::AddMemberStatus{"Attended", true, false, {}}).status());
  campaign::CreateCampaign cp;
  cp.f.name = "Benchmark campaign";
  return h_->CreateCampaign(BenchRequest("bench-cp"), cp).status();
}

Status Generator::Flush(std::vector<NewEvent>* pending, uint64_t contacts_high_water) {
  if (pending->empty()) return Status::Ok();
  AppendBatch b;
  b.command_id = CommandId(id_prefix_ + std::to_string(++batches_));
  b.actor = Actor("bench");
  b.now = Timestamp(kBaseTime + static_cast<int64_t>(batches_) * 1000000);
  b.events = std::move(*pending);
  b.answer = "{}";
  if (contacts_high_water > 0) b.numbers.emplace_back(RecordKind::kContact, contacts_high_water);
  if (sealing_) CRM_RETURN_IF_ERROR(h_->Seal(&b));  // as the product stores them: replays open them
  events_ += b.events.size();
  pending->clear();
  CRM_ASSIGN_OR_RETURN(AppendResult r, ledger_->Append(std::move(b)));
  if (r.superseded) return Status::Aborted("a benchmark batch lost a race: is another writer running?");
  if (snapshots_) h_->MaybeSnapshot();
  return Status::Ok();
}

Status Generator::Contacts(uint64_t n) {
  static const char* const kCities[] = {"Oslo", "Bergen", "Trondheim", "Stavanger"};
  std::vector<NewEvent> pending;
  for (uint64_t i = 1; i <= n; ++i) {
    fb::ContactCreatedT e;
    e.no = Contact(i).ToString();
    e.name = "Contact " + std::to_string(i);
    e.email = "contact" + std::to_string(i) + "@example.com";
    e.city = kCities[i % 4];
    pending.push_back(MakeEvent(Contact(i).Stream(), std::move(e)));
    if (pending.size() == batch_) CRM_RETURN_IF_ERROR(Flush(&pending, i));
  }
  return Flush(&pending, n);
}

Status Generator::Members(uint64_t n) {
  std::vector<NewEvent> pending;
  for (uint64_t i = 1; i <= n; ++i) {
    fb::MemberAddedT e;
    e.campaign = kCampaign.ToString();
    e.member = Contact(i).ToString();
    e.status = "Invited";
    pending.push_back(MakeEvent(kCampaign.Stream(), std::move(e)));
    if (pending.size() == batch_) CRM_RETURN_IF_ERROR(Flush(&pending, 0));
  }
  return Flush(&pending, 0);
}

Status Generator::Hierarchy(uint64_t n, int children) {
  for (int k = 0; k < children; ++k) {
    campaign::CreateCampaign cp;
    cp.f.name = "Benchmark child " + std::to_string(k + 1);
    cp.f.parent = kCampaign.ToString();
    CRM_RETURN_IF_ERROR(h_->CreateCampaign(BenchRequest("bench-child-" + std::to_string(k + 1)), cp).status());
  }
  std::vector<NewEvent> pending;
  for (uint64_t i = 1; i <= n; ++i) {
    const RecordNo child(RecordKind::kCampaign, 2 + i % static_cast<uint64_t>(children));
    fb::MemberAddedT e;
    e.campaign = child.ToString();
    e.member = Contact(i).ToString();
    e.responded = i % 10 == 0;
    e.status = e.responded ? "Attended" : "Invited";
    pending.push_back(MakeEvent(child.Stream(), std::move(e)));
    if (pending.size() == batch_) CRM_RETURN_IF_ERROR(Flush(&pending, 0));
  }
  return Flush(&pending, 0);
}

Status Generator::StatusUpdates(uint64_t n, int rounds) {
  std::vector<NewEvent> pending;
  for (int r = 0; r < rounds; ++r) {
    const bool to_attended = r % 2 == 0;
    for (uint64_t i = 1; i <= n; ++i) {
      fb::MemberStatusUpdatedT e;
      e.campaign = kCampaign.ToString();
      e.member = Contact(i).ToString();
      e.from_status = to_attended ? "Invited" : "Attended";
      e.status = to_attended ? "Attended" : "Invited";
      e.responded = to_attended;
      e.how = fb::MemberHow::MassUpdate;
      pending.push_back(MakeEvent(kCampaign.Stream(), std::move(e)));
      if (pending.size() == batch_) CRM_RETURN_IF_ERROR(Flush(&pending, 0));
    }
  }
  return Flush(&pending, 0);
}

}  // namespace crm::bench
