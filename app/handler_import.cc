// Handler::Import (SPEC §4.9): rows become contacts, companies or leads through the same
// decisions as `contact create` / `set` / `opt-out` and `member add`, a batch of rows per append.
// Campaigns and campaign members: app/handler_import_campaigns.cc (batches: handler_import_batches.cc).
//
// Batches: rows are read `batch_rows` at a time; batch n is appended as command "ID#n", the last
// as "ID" itself (its answer is the import's totals), every record with correlation id ID, so
// that `crmctl undo ID` finds the whole import. Each batch is decided on the read models as the
// batches before it left them, or, decided and sealed ahead while the batch before is appended,
// on them plus what that batch took (numbers, the file's emails, its companies). A row whose
// email an earlier row of the same file had is a duplicate of that row: a set of the emails seen
// so far (the file's, not the data set's) tells, whichever batch the earlier row was in.
#include <cstring>
#include <future>
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <string_view>

#include "app/handler.h"
#include "app/handler_internal.h"
#include "app/import_batch.h"

namespace crm {

using handler_internal::Ctx;
using nlohmann::json;
using import_batch::AddCounts;
using import_batch::BatchRequest;
using import_batch::Count;
using import_batch::ImportReference;
using import_batch::ReadBatch;
using import_batch::ReportBatch;

namespace {

// The emails of the file's rows so far (lower case), each with the line of its first row, in
// about 35 bytes an email (a std::unordered_map of strings takes about 110): an open-addressing
// table of (offset, line) pairs into 1 MiB blocks of NUL-terminated texts (blocks, not one
// growing string, so that no copy doubles the memory while it grows). A batch decided again
// (Kafka: another writer came first) takes back what its attempt added: those are the newest
// entries, so clearing their slots breaks no older entry's probe sequence.
class EmailsSeen {
 public:
  EmailsSeen() : slots_(1 << 16) {}

  // The line of the first row with `email`, or 0.
  uint64_t Find(std::string_view email) const {
    const Slot& s = slots_[Probe(email)];
    return s.offset == 0 ? 0 : s.line;
  }
  // Remembers `email` at `line` unless known. Reserve() first: an attempt never grows the table.
  void Add(std::string_view email, uint64_t line) {
    const size_t i = Probe(email);
    if (slots_[i].offset != 0) return;
    if (blocks_.empty() || used_ + email.size() + 1 > kBlock) {
      blocks_.push_back(std::make_unique<char[]>(kBlock));
      used_ = 0;
    }
    char* at = blocks_.back().get() + used_;
    std::memcpy(at, email.data(), email.size());
    at[email.size()] = '\0';
    slots_[i] = {static_cast<uint32_t>(((blocks_.size() - 1) << kBlockBits | used_) + 1), static_cast<uint32_t>(line)};
    used_ += email.size() + 1;
    ++count_;
    attempt_.push_back(i);
  }
  // Room for `more` emails at most half full (between attempts: growing forgets the attempt).
  void Reserve(size_t more) {
    while ((count_ + more) * 2 > slots_.size()) Grow();
  }
  // Forgets what was added since the last call (or since the start).
  void TakeBackAttempt() {
    for (size_t i : attempt_) slots_[i] = Slot{};
    count_ -= attempt_.size();
    attempt_.clear();
  }
  void KeepAttempt() { attempt_.clear(); }

 private:
  static constexpr int kBlockBits = 20;
  static constexpr size_t kBlock = size_t{1} << kBlockBits;  // emails are at most 254 bytes
  struct Slot {
    uint32_t offset = 0;  // block << 20 | position, plus one (0: empty)
    uint32_t line = 0;
  };
  std::string_view Text(uint32_t offset) const {
    const uint32_t o = offset - 1;
    return std::string_view(blocks_[o >> kBlockBits].get() + (o & (kBlock - 1)));
  }
  size_t Probe(std::string_view email) const {
    const size_t mask = slots_.size() - 1;
    for (size_t i = std::hash<std::string_view>()(email) & mask;; i = (i + 1) & mask) {
      if (slots_[i].offset == 0 || Text(slots_[i].offset) == email) return i;
    }
  }
  void Grow() {
    std::vector<Slot> old(slots_.size() * 2);
    old.swap(slots_);
    for (const Slot& s : old) {
      if (s.offset != 0) slots_[Probe(Text(s.offset))] = s;
    }
    attempt_.clear();
  }
  std::vector<Slot> slots_;
  std::vector<std::unique_ptr<char[]>> blocks_;
  size_t used_ = 0, count_ = 0;
  std::vector<size_t> attempt_;
};

// The companies an import has created, by CompanyKey: by source id, and by name.
using FileCompanies = std::map<std::string, RecordNo>;
std::string CompanyKey(std::string_view source, std::string_view source_id, std::string_view name) {
  return source_id.empty() ? "n" + contact::CompanyNameKey(name)
                           : "s" + std::string(source) + '\0' + std::string(source_id);
}

// A contact's company as a file names it (`text`, a row of product `source`; `file`: the
// companies the import created that the read model may not have yet). A row from another
// product names it by the source id it was imported with (Salesforce's AccountId, BC's Company
// No., which may look like a number here and is not one) or by its name (Zoho's Account Name); a
// row of no product by a CT number (left as it is: RecordNo()) or its name. NotFound or
// FailedPrecondition (the row fails): no company, or several of that name.
Result<RecordNo> FindCompany(ReadModel& rm, const std::string& cell, const std::string& row_source,
                             std::initializer_list<const FileCompanies*> file) {
  const std::string text = Trim(cell), source = Lower(Trim(row_source));
  if (text.empty() || (source.empty() && RecordNo::Parse(text, RecordKind::kContact).ok())) return RecordNo();
  auto in_file = [&](const std::string& key) -> std::optional<RecordNo> {
    for (const FileCompanies* companies : file) {
      if (auto it = companies->find(key); it != companies->end()) return it->second;
    }
    return std::nullopt;
  };
  if (!source.empty()) {
    const std::string id = SourceIdAsKept(source, text);
    if (auto no = in_file(CompanyKey(source, id, ""))) return *no;
    CRM_ASSIGN_OR_RETURN(const std::vector<std::string> imported, rm.SourceOwners({{source, id}}));
    if (!imported.front().empty()) return RecordNo::Parse(imported.front());
  }
  if (auto no = in_file(CompanyKey("", "", text))) return *no;
  CRM_ASSIGN_OR_RETURN(const std::vector<RecordNo> named, rm.CompaniesNamed(text));
  if (named.size() == 1) return named.front();
  if (named.size() > 1) {
    return Status::FailedPrecondition(std::to_string(named.size()) + " companies are named like '" + text + "' (" +
                                      named[0].ToString() + ", " + named[1].ToString() +
                                      (named.size() > 2 ? ", ..." : "") + "): give the company's number");
  }
  return Status::NotFound("no company was imported with the id or has the name '" + text +
                          "' (import the companies first: crmctl import companies)");
}

// Everything one row asks for, decided; its events go into the batch only when all of it holds.
struct RowDecision {
  import::RowResult result;
  Events events;
  std::optional<RecordNo> member;  // joins the campaign
};

}  // namespace

Result<json> Handler::Import(const Request& r, const ImportOptions& o, io::RowSource* rows, const ImportRowFn& on_row) {
  if (o.target == import::Target::kCampaigns) return ImportCampaigns(r, o, rows, on_row);
  if (o.target == import::Target::kMembers) return ImportMembers(r, o, rows, on_row);
  const bool contacts = o.target != import::Target::kLeads;
  const RecordKind kind = contacts ? RecordKind::kContact : RecordKind::kLead;
  if (!o.dry_run) {
    CRM_ASSIGN_OR_RETURN(auto finished, ledger_->FindCommand(r.command_id));
    if (finished) return Repeat(r);  // answered as the first time
  }
  // What makes every row fail is refused before the first one.
  {
    Store::Txn txn(store_.get());
    ReadModel rm(store_.get(), &txn);
    CRM_ASSIGN_OR_RETURN(reference::State ref, ImportReference(rm, r.actor));
    if (o.campaign) {
      CRM_RETURN_IF_ERROR(handler_internal::LiveCampaign(rm, *o.campaign).status());
      if (!o.member_status.empty() && ref.FindStatus(Trim(o.member_status)) == nullptr) {
        return Status::NotFound("member status '" + o.member_status + "' is not defined (crmctl member-status list)");
      }
    } else if (!o.member_status.empty()) {
      return Status::FailedPrecondition("--member-status needs --campaign");
    }
  }
  const std::string file = rows->file();
  EmailsSeen seen;
  // Numbers the batches before took (dry runs, and batches decided ahead of their append).
  uint64_t next_free = 0;
  json totals = Count({});
  totals["batches"] = 0;

  // Company contacts the batch being decided creates: its persons may name them. When batches
  // are decided ahead, those of the batch before too (it may not be appended yet).
  std::map<RecordNo, contact::ContactState> batch_companies, prev_companies;
  auto company_of = [&](ReadModel& rm, const std::string& text) -> Result<std::optional<contact::ContactState>> {
    auto no = RecordNo::Parse(text, RecordKind::kContact);
    if (no.ok()) {
      if (auto it = batch_companies.find(*no); it != batch_companies.end()) return std::optional(it->second);
      if (auto it = prev_companies.find(*no); it != prev_companies.end()) return std::optional(it->second);
    }
    return handler_internal::CompanyOf(rm, text);
  };
  // The companies the batch being decided creates (and, decided ahead, the batch before): the
  // persons of the file may name them by source id or name.
  FileCompanies batch_company_keys, prev_company_keys;
  std::set<std::string> salespeople;  // the defined codes, loaded with each batch
  import::Owners owners;              // who an owner column may name, loaded with each batch
  // `row` is the table row read by the mapping, `owner` the record it already is: the one imported
  // with its source id (`by_source`: updated whatever --duplicates says, for it is that record), or
  // the one with its email.
  auto decide_row = [&](ReadModel& rm, const reference::State& ref, const io::TableRow& tr, Result<import::Row> row,
                        const std::string& owner, bool by_source, uint64_t* next) -> Result<RowDecision> {
    RowDecision d;
    d.result.line = tr.line;
    auto fail = [&](import::Outcome outcome, std::string reason) {
      d.result.outcome = outcome;
      d.result.reason = std::move(reason);
      d.events.clear();
      d.member.reset();
      return d;
    };
    if (!row.ok()) return fail(import::Outcome::kFailed, row.status().message());
    if (Status s = import::ResolveOwner(owners, &*row); !s.ok()) return fail(import::Outcome::kFailed, s.message());
    if (contacts) {
      auto company = FindCompany(rm, row->company, row->f.source, {&batch_company_keys, &prev_company_keys});
      if (!company.ok()) {
        const StatusCode code = company.status().code();
        if (code != StatusCode::kNotFound && code != StatusCode::kFailedPrecondition) return company.status();
        return fail(import::Outcome::kFailed, company.status().message());
      }
      if (company->valid()) row->company = company->ToString();
    }
    const std::string email = Lower(Trim(row->f.email));
    // A source id is seen under a key no email can be (emails have no control characters).
    const std::string source_key =
        row->f.source_id.empty() ? "" : "\x01" + Lower(Trim(row->f.source)) + '\x02' + Trim(row->f.source_id);
    if (!source_key.empty()) {
      if (const uint64_t first = seen.Find(source_key); first != 0) {
        return fail(import::Outcome::kSkipped, "duplicate of line " + std::to_string(first) + " (same source id)");
      }
    }
    if (!email.empty() && !by_source) {
      if (const uint64_t first = seen.Find(email); first != 0 && o.duplicates != import::Duplicates::kCreate) {
        return fail(import::Outcome::kSkipped, "duplicate of line " + std::to_string(first) + " (same email)");
      }
    }
    const CommandContext ctx = Ctx(r);
    contact::ContactContext cx{&ref, std::nullopt, "", &salespeople};
    std::optional<contact::ContactState> contact_now;
    std::optional<contact::LeadState> lead_now;
    RecordNo no;
    if (!owner.empty() && (by_source || o.duplicates != import::Duplicates::kCreate)) {
      CRM_ASSIGN_OR_RETURN(no, RecordNo::Parse(owner));
      d.result.no = no;
      if (!by_source && o.duplicates == import::Duplicates::kSkip) {
        return fail(import::Outcome::kSkipped, "duplicate of " + owner + " (same email)");
      }
      if (no.kind() != kind) {
        return fail(import::Outcome::kSkipped, std::string(by_source ? "the source id" : "the email") + " belongs to " +
                                                   owner + ", not a " + std::string(RecordNoun(kind)));
      }
      Result<Events> ev = Status::Ok();
      if (contacts) {
        CRM_ASSIGN_OR_RETURN(contact_now, rm.Contact(no));
        contact::ChangeContact c = import::ToChangeContact(*row, no);
        c.ctx = ctx;
        if (c.company) {
          CRM_ASSIGN_OR_RETURN(cx.company, company_of(rm, *c.company));
        }
        ev = contact::DecideChange(contact_now.value_or(contact::ContactState{}), cx, c);
      } else {
        CRM_ASSIGN_OR_RETURN(lead_now, rm.Lead(no));
        contact::ChangeLead c = import::ToChangeLead(*row, no);
        c.ctx = ctx;
        ev = contact::DecideChangeLead(lead_now.value_or(contact::LeadState{}), cx, c);
      }
      if (!ev.ok()) return fail(import::Outcome::kFailed, ev.status().message());
      d.events = std::move(*ev);
      d.result.outcome = d.events.empty() ? import::Outcome::kUnchanged : import::Outcome::kUpdated;
    } else {
      no = RecordNo(kind, *next);
      cx.email_owner = owner;
      Result<Events> ev = Status::Ok();
      if (contacts) {
        contact::CreateContact c = import::ToCreateContact(*row);
        c.ctx = ctx;
        c.no = no;
        CRM_ASSIGN_OR_RETURN(cx.company, company_of(rm, c.company));
        ev = contact::DecideCreate(contact::ContactState{}, cx, c);
        contact_now = contact::ContactState{};
        contact_now->exists = true;
        contact_now->no = no;
        contact_now->type = c.type;
        contact_now->f.email = row->f.email;
      } else {
        contact::CreateLead c = import::ToCreateLead(*row);
        c.ctx = ctx;
        c.no = no;
        ev = contact::DecideCreateLead(contact::LeadState{}, cx, c);
        lead_now = contact::LeadState{};
        lead_now->exists = true;
        lead_now->no = no;
        lead_now->f.email = row->f.email;
      }
      if (!ev.ok()) return fail(import::Outcome::kFailed, ev.status().message());
      d.events = std::move(*ev);
      d.result.outcome = import::Outcome::kCreated;
      d.result.no = no;
      if (!owner.empty()) d.result.reason = "duplicate of " + owner + " (same email), created as asked";
    }
    if (row->consent) {
      contact::RecordConsent c{ctx, no, *row->consent, row->consent_reason};
      if (c.reason.empty()) c.reason = "imported";
      auto ev = contacts ? contact::DecideConsent(contact_now.value_or(contact::ContactState{}), c)
                         : contact::DecideConsent(lead_now.value_or(contact::LeadState{}), c);
      if (!ev.ok()) return fail(import::Outcome::kFailed, ev.status().message());
      if (!ev->empty() && d.result.outcome == import::Outcome::kUnchanged) d.result.outcome = import::Outcome::kUpdated;
      for (auto& e : *ev) d.events.push_back(std::move(e));
    }
    if (!email.empty()) seen.Add(email, tr.line);
    if (!source_key.empty()) seen.Add(source_key, tr.line);
    if (d.result.outcome == import::Outcome::kCreated) {
      ++*next;
      if (contact_now && contact_now->type == fb::ContactType::Company) {
        batch_companies[no] = *contact_now;
        const std::string source = Lower(Trim(row->f.source));
        const std::string id = SourceIdAsKept(source, Trim(row->f.source_id));
        if (!id.empty()) batch_company_keys[CompanyKey(source, id, "")] = no;
        batch_company_keys[CompanyKey("", "", row->f.name)] = no;
      }
    }
    if (o.campaign) d.member = no;
    return d;
  };

  // Decides one batch into `batch`, its answer the totals `before` plus its own; `results` gets
  // each row's outcome.
  auto decide_batch = [&](const std::vector<io::TableRow>& batch_rows, bool last, const json& before, ReadModel& rm,
                          AppendBatch* batch, std::vector<import::RowResult>* results) -> Result<json> {
    results->clear();
    seen.TakeBackAttempt();               // decided again: start afresh
    seen.Reserve(2 * batch_rows.size());  // an email and a source id a row
    batch_companies.clear();
    batch_company_keys.clear();
    CRM_ASSIGN_OR_RETURN(reference::State ref, handler_internal::InitializedReference(rm));
    CRM_ASSIGN_OR_RETURN(salespeople, handler_internal::SalespersonCodes(rm));
    if (o.mapping.owner_column) {
      CRM_ASSIGN_OR_RETURN(catalog::State catalog, rm.Catalog());
      owners = import::OwnersOf(catalog);
    }
    // A dry run's rows as if what the import would add were there (nothing is written).
    for (const auto& [owner, code] : o.planned_owners) {
      owners.emplace(owner, code);
      salespeople.insert(code);
    }
    for (const auto& [status, responded] : o.planned_statuses) {
      if (!ref.FindLeadStatus(status)) ref.AddLeadStatus(status, ref.NextLeadStatusOrder());
    }
    CRM_ASSIGN_OR_RETURN(uint64_t last_no, ledger_->LastNumber(kind));
    uint64_t next = std::max(last_no + 1, next_free);
    const uint64_t first_no = next;
    std::vector<RecordNo> members, existing;
    // The rows read first, so that the owners of their emails are found in one pass.
    std::vector<Result<import::Row>> read;
    std::vector<std::string> emails;
    std::vector<std::pair<std::string, std::string>> source_ids;
    read.reserve(batch_rows.size());
    emails.reserve(batch_rows.size());
    source_ids.reserve(batch_rows.size());
    for (const io::TableRow& tr : batch_rows) {
      read.push_back(import::ReadRow(o.mapping, tr.cells));
      const bool ok = read.back().ok();
      emails.push_back(ok ? Trim(read.back()->f.email) : "");
      source_ids.emplace_back(ok ? Lower(Trim(read.back()->f.source)) : "", ok ? Trim(read.back()->f.source_id) : "");
    }
    CRM_ASSIGN_OR_RETURN(const std::vector<std::string> owners, rm.EmailOwners(emails));
    CRM_ASSIGN_OR_RETURN(const std::vector<std::string> imported, rm.SourceOwners(source_ids));
    for (size_t i = 0; i < batch_rows.size(); ++i) {
      const bool by_source = !imported[i].empty();
      CRM_ASSIGN_OR_RETURN(RowDecision d, decide_row(rm, ref, batch_rows[i], std::move(read[i]),
                                                     by_source ? imported[i] : owners[i], by_source, &next));
      for (auto& e : d.events) batch->events.push_back(std::move(e));
      if (d.member) {
        members.push_back(*d.member);
        if (d.result.outcome != import::Outcome::kCreated) existing.push_back(*d.member);
      }
      results->push_back(std::move(d.result));
    }
    if (next > first_no) batch->numbers.emplace_back(kind, next - 1);
    if (o.campaign && !members.empty()) {
      CRM_ASSIGN_OR_RETURN(campaign::State cp, handler_internal::LiveCampaign(rm, *o.campaign));
      CRM_ASSIGN_OR_RETURN(membership::Context mcx, MemberContext(rm, ref, cp, existing, true));
      for (const RecordNo& m : members) mcx.known.insert(m);
      membership::AddMembers add{Ctx(r),           *o.campaign, members, o.member_status, fb::MemberHow::Import,
                                 "import " + file, {}};
      CRM_ASSIGN_OR_RETURN(Events ev, membership::DecideAdd(mcx, add));
      for (auto& e : ev) batch->events.push_back(std::move(e));
    }
    json answer = before;
    AddCounts(&answer, Count(*results));
    answer["batches"] = before["batches"].get<uint64_t>() + 1;
    answer["import"] = true;
    answer["file"] = file;
    answer["target"] = std::string(import::TargetName(o.target));
    if (o.campaign) answer["campaign"] = o.campaign->ToString();
    if (o.dry_run) answer["dry_run"] = true;
    if (last) answer["done"] = true;
    return answer;
  };

  // Batches are cut as an earlier run of this command cut them (its first batch's row count),
  // whatever --batch-rows or the default says now: its batch n must be this run's batch n.
  CRM_ASSIGN_OR_RETURN(const size_t batch_rows, ImportBatchRows(r, o));
  std::vector<io::TableRow> current, ahead;
  auto read_batch = [&](std::vector<io::TableRow>* into) { return ReadBatch(rows, batch_rows, into); };

  // A batch decided before its Run: its events, numbers, rows' outcomes and answer.
  struct Decided {
    AppendBatch scratch;
    std::vector<import::RowResult> results;
    Result<json> answer = Status::Ok();
  };
  auto decide_ahead = [&](const std::vector<io::TableRow>* batch_rows, const json& before) {
    Decided d;
    Store::Txn txn(store_.get());
    ReadModel rm(store_.get(), &txn);
    d.answer = decide_batch(*batch_rows, /*last=*/false, before, rm, &d.scratch, &d.results);
    // Sealed here too (Run's Seal then finds nothing left in the clear); its keys are written
    // before the synced append of the batch that uses them, as Run's would be.
    if (d.answer.ok()) {
      if (Status sealed = Seal(&d.scratch); !sealed.ok()) d.answer = sealed;
    }
    return d;
  };
  // With the embedded ledger, and duplicates found by email (not created again), batch n+1 is
  // decided and sealed on the second core while batch n is appended: its decision does not
  // depend on batch n's writes. Its numbers follow batch n's (next_free), the file's earlier
  // emails are in `seen` already, and the companies batch n creates are in prev_companies.
  // (With --duplicates create, a row's report names an earlier row's record found by email,
  // which must be appended first; in Kafka mode a batch may be decided again after another
  // writer's append.) A batch that an earlier run of the command appended answers from the
  // ledger without its decision; the batch after it is then decided again, on its totals.
  const bool pipelined = kafka_ == nullptr && !o.dry_run && o.duplicates != import::Duplicates::kCreate;
  std::optional<Decided> pre;  // the current batch's decision, made ahead
  std::future<Decided> next;   // the next batch's, being made (joined before the state it uses goes)

  CRM_RETURN_IF_ERROR(read_batch(&current));
  uint64_t done_rows = 0;
  for (uint64_t n = 1;; ++n) {
    CRM_RETURN_IF_ERROR(read_batch(&ahead));
    const bool last = ahead.empty();
    const Request br = BatchRequest(r, n, last);
    std::vector<import::RowResult> results;
    Result<json> answer = Status::Ok();
    if (o.dry_run) {
      Store::Txn txn(store_.get());
      ReadModel rm(store_.get(), &txn);
      AppendBatch scratch;
      answer = decide_batch(current, last, totals, rm, &scratch, &results);
      if (answer.ok() && !scratch.numbers.empty()) next_free = scratch.numbers.back().second + 1;
      if (answer.ok()) seen.KeepAttempt();
    } else if (pipelined) {
      // A batch an earlier run appended is answered from the ledger: nothing to decide.
      CRM_ASSIGN_OR_RETURN(auto earlier, ledger_->FindCommand(br.command_id));
      if (earlier) {
        pre.reset();
      } else if (!pre) {
        pre = decide_ahead(&current, totals);
      }
      const uint64_t free_before = next_free;
      if (pre && pre->answer.ok()) {
        seen.KeepAttempt();
        if (!pre->scratch.numbers.empty()) next_free = pre->scratch.numbers.back().second + 1;
        prev_companies = batch_companies;
        prev_company_keys = batch_company_keys;
        if (last) (*pre->answer)["done"] = true;
        if (!last) next = std::async(std::launch::async, decide_ahead, &ahead, *pre->answer);
      }
      bool decided_here = false;
      answer = Run(br, StreamId(), [&](ReadModel&, AppendBatch* batch) -> Result<json> {
        if (decided_here || !pre) return Status::Internal("an import batch decided ahead cannot be decided again");
        decided_here = true;
        CRM_RETURN_IF_ERROR(pre->answer.status());
        batch->events = std::move(pre->scratch.events);
        batch->opened = std::move(pre->scratch.opened);
        batch->numbers = std::move(pre->scratch.numbers);
        results = std::move(pre->results);
        return *pre->answer;
      });
      pre.reset();
      if (answer.ok() && !decided_here) {
        // Appended by an earlier run: what was decided for it and for the next batch is void.
        if (next.valid()) next.get();
        seen.TakeBackAttempt();
        next_free = free_before;
        prev_companies.clear();
        prev_company_keys.clear();
      } else if (answer.ok() && next.valid()) {
        pre = next.get();
      }
    } else {
      answer = Run(br, StreamId(), [&](ReadModel& rm, AppendBatch* batch) -> Result<json> {
        return decide_batch(current, last, totals, rm, batch, &results);
      });
      if (answer.ok()) seen.KeepAttempt();
    }
    CRM_RETURN_IF_ERROR(ReportBatch(answer, current, results, file, r.command_id, on_row, {&progress_, o.total_rows},
                                    &done_rows, &totals));
    if (last) break;
    std::swap(current, ahead);
  }
  totals.erase("done");
  return totals;
}

}  // namespace crm
