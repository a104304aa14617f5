// The delivery benchmark: sending a logged segment's emails (2,000; 200 with --quick) to a real
// SMTP server on loopback (python3-aiosmtpd, started by tools/bench), side by side with a plain
// libcurl client (app/smtp's SmtpClient alone) sending the same number of messages of the same
// size to the same server. Ours composes each message from the read models, merges it, and
// appends its attempt and its outcome (two synced commands) around the send. Ratio = ours / plain
// in messages per second (1 = recording costs nothing).
#include <cstdio>
#include <cstdlib>

#include "app/delivery.h"
#include "app/smtp.h"
#include "tools/benchmark/bench.h"
#include "tools/benchmark/data.h"

namespace crm::bench {
namespace {

using Clock = std::chrono::steady_clock;

Request DeliveryRequest(const std::string& id) { return BenchRequest("delivery-bench-" + id); }

constexpr const char* kLetter =
    "Dear {{name}},\n\nthank you for visiting our stand at the Office Futurus trade show.\n\n"
    "We look forward to seeing you in {{city}}.\n\n{{salesperson_name}}\n";

}  // namespace

void DeliveryScenario(const Config& c, std::vector<Result>* out) {
  const char* url = std::getenv("CRM_BENCH_SMTP");
  if (url == nullptr || *url == '\0') {
    std::fprintf(stderr, "bench: delivery skipped: CRM_BENCH_SMTP (an SMTP server URL) is not set\n");
    return;
  }
  const uint64_t n = c.quick ? 200 : 2000;
  const std::string dir = Fresh(c, "delivery");
  auto h = OpenHandler(dir);
  Generator gen(h.get(), 10000);
  Check(gen.Basics(), "basics");
  Check(gen.Contacts(n), "contacts");
  catalog::AddTemplate bus;
  bus.code = "BUS";
  bus.fields.description = "Business letter";
  bus.attachment = catalog::NewAttachment{"", "thanks.txt", kLetter};
  Check(h->Catalog(DeliveryRequest("template"), bus).status(), "template");
  Check(h->Catalog(DeliveryRequest("mail"), catalog::SetMail{url, "news@bench.example", std::nullopt}).status(), "mail");
  const RecordNo sm = SegmentOfContacts(h.get(), "delivery-bench-", n, "BUS", "Thank you for visiting");
  SegmentLogOptions log;
  log.send = true;
  Check(h->LogSegment(DeliveryRequest("log"), sm, log).status(), "log");

  const auto start = Clock::now();
  auto report = DeliverLoggedSegment(h.get(), dir, DeliveryRequest("send"), RecordNo(RecordKind::kLoggedSegment, 1), {});
  Check(report.status(), "deliver");
  const double ours = Since(start);
  if (report->emails != n) {
    std::fprintf(stderr, "bench: delivery sent %llu of %llu messages\n", static_cast<unsigned long long>(report->emails),
                 static_cast<unsigned long long>(n));
    std::exit(4);
  }

  auto smtp = SmtpClient::Open({url, std::chrono::seconds(30)});
  Check(smtp.status(), "smtp");
  MailMessage m;
  m.from = "news@bench.example";
  m.subject = "Thank you for visiting";
  m.body = kLetter;
  m.attachment = MailAttachment{"thanks.txt", "text/plain; charset=UTF-8", kLetter};
  const auto plain_start = Clock::now();
  for (uint64_t i = 1; i <= n; ++i) {
    m.to = "plain" + std::to_string(i) + "@example.com";
    m.to_name = "Contact " + std::to_string(i);
    m.message_id = "plain" + std::to_string(i) + "@bench.example";
    Check((*smtp)->Send(m), "plain send");
  }
  const double plain = Since(plain_start);
  const double rate = n / ours, plain_rate = n / plain;
  std::fprintf(stderr, "bench: delivered %llu emails in %.2f s (plain libcurl: %.2f s)\n",
               static_cast<unsigned long long>(n), ours, plain);
  out->push_back({"delivery_" + std::to_string(n) + "_emails", rate, "msg/s", plain_rate, rate / plain_rate,
                  "info (ratio = ours/plain)", true});
}

}  // namespace crm::bench
