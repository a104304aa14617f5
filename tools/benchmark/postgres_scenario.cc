// crmledger against a CRUD CRM on PostgreSQL 15 (SPEC §6, issue 16): the same generated data
// (200,000 contacts, half of them purchasers, 20 cities; 1,000,000 more without --quick), the
// same work, both as whole processes: `crmctl` against the real `psql` binary talking to a
// server that tools/bench starts (as the postgres user, initdb in a temporary directory, a unix
// socket there and no TCP, fsync and synchronous commit on, stopped after).
//
// PostgreSQL does it as a CRUD CRM does: a row per contact and per member, the status updated in
// place, and a member-history table filled by a trigger (the audit trail crmctl gets from its
// ledger). Each round uses a fresh data directory and a fresh database; bulk operations run once
// a round (three rounds at 200k, one at 1M), reads and single commands five times a round. The
// figure is the median over rounds of ours, of theirs, and of the ratio taken round by round:
// PostgreSQL's time / ours, so above 1 means crmctl was faster. Beside the import, the plain
// RocksDB loader of the same file (PlainLoad, in-process, the cells as they are, no ledger,
// sealing or projections) against the same \copy: the floor under any importer writing through
// RocksDB.
//
// Needs CRM_BENCH_PG_SOCKET (the server's socket directory) and CRM_BENCH_PSQL (the psql
// binary); without them the scenario says so and adds nothing.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "tools/benchmark/bench.h"

namespace crm::bench {
namespace {

constexpr int kCities = 20;

// name,email,city,job_responsibility: every second contact a purchaser.
std::string WriteContactsCsv(const std::string& path, uint64_t n) {
  std::FILE* f = CreateFile(path);
  std::fputs("name,email,city,job_responsibility\n", f);
  for (uint64_t i = 1; i <= n; ++i) {
    const auto u = static_cast<unsigned long long>(i);
    std::fprintf(f, "Contact %llu,contact%llu@example.com,City%llu,%s\n", u, u, u % kCities,
                 i % 2 == 1 ? "PURCHASE" : "");
  }
  std::fclose(f);
  return path;
}

constexpr char kSchema[] = R"SQL(
create table contacts (id bigserial primary key, name text not null, email text, city text,
                       job_responsibility text);
create index contacts_email on contacts (email);
create table members (campaign text not null, contact bigint not null references contacts (id),
                      status text not null, updated_at timestamptz not null default now(),
                      primary key (campaign, contact));
create table member_history (id bigserial primary key, campaign text, contact bigint, status text,
                             op char(1), changed_at timestamptz not null default now());
create function member_audit() returns trigger language plpgsql as $$
begin
  insert into member_history (campaign, contact, status, op) values (new.campaign, new.contact, new.status, left(TG_OP, 1));
  return new;
end $$;
create trigger member_audit after insert or update on members for each row execute function member_audit();
)SQL";

struct Pg {
  std::string psql, socket;
  std::vector<std::string> Command(const std::string& db, const std::string& sql) const {
    return {psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", socket, "-U", "crm", "-d", db, "-c", sql};
  }
  double Run(const std::string& db, const std::string& sql) const { return RunProcess(Command(db, sql), {}).seconds; }
  double Median(const std::string& db, const std::string& sql, int runs) const {
    return MedianProcessMillis(Command(db, sql), {}, runs) / 1000;
  }
};

// Per operation: ours and theirs (seconds), round by round.
struct Timings {
  std::vector<double> ours, theirs;
  void Add(double o, double t) {
    ours.push_back(o);
    theirs.push_back(t);
  }
};

}  // namespace

void PostgresScenario(const Config& c, std::vector<Result>* out) {
  const char* socket = std::getenv("CRM_BENCH_PG_SOCKET");
  const char* psql = std::getenv("CRM_BENCH_PSQL");
  if (socket == nullptr || psql == nullptr) {
    std::fprintf(stderr, "bench: postgres: CRM_BENCH_PG_SOCKET and CRM_BENCH_PSQL are not set (tools/bench sets them)\n");
    return;
  }
  const Pg pg{psql, socket};
  std::vector<std::pair<uint64_t, int>> sizes = {{200000, 3}};
  if (!c.quick) sizes.push_back({1000000, 1});
  if (const char* n = std::getenv("CRM_BENCH_PG_CONTACTS")) sizes = {{std::strtoull(n, nullptr, 10), 1}};

  for (const auto& [n, rounds] : sizes) {
    const std::string csv = WriteContactsCsv(c.scratch + "/pg-contacts.csv", n);
    std::map<std::string, Timings> t;
    for (int round = 0; round < rounds; ++round) {
      const std::string db = "bench" + std::to_string(n) + "_" + std::to_string(round);
      pg.Run("postgres", "drop database if exists " + db);
      pg.Run("postgres", "create database " + db);
      pg.Run(db, kSchema);
      const std::string dir = Fresh(c, "pg-crm-" + std::to_string(n) + "-" + std::to_string(round));
      const std::vector<std::string> env = {"CRM_DATA=" + dir, "CRM_USER=bench"};
      auto crm = [&](std::vector<std::string> args) {
        args.insert(args.begin(), c.crmctl);
        return args;
      };
      RunProcess(crm({"init"}), env);
      RunProcess(crm({"code", "add", "job-responsibility", "PURCHASE"}), env);
      RunProcess(crm({"member-status", "add", "Invited"}), env);
      RunProcess(crm({"member-status", "add", "Attended", "--responded"}), env);
      RunProcess(crm({"campaign", "create", "--name", "Purchasers"}), env);

      const double pg_import = pg.Run(db, "\\copy contacts (name, email, city, job_responsibility) from '" + csv +
                                              "' with (format csv, header true)");
      t["import"].Add(RunProcess(crm({"import", "contacts", csv}), env).seconds, pg_import);
      // The floor under any importer through RocksDB's write path, in the same round: where it
      // is not 2x PostgreSQL's \copy, neither can the import be.
      const std::string plain_dir = Fresh(c, "pg-plain-" + std::to_string(n));
      const double plain_rows_per_s = PlainLoad(csv, plain_dir, false, 1, PlainRows::kRaw);
      t["import_plain_rocksdb"].Add(static_cast<double>(n) / plain_rows_per_s, pg_import);
      std::filesystem::remove_all(plain_dir);
      t["add_by_filter"].Add(
          RunProcess(crm({"member", "add", "CP0001", "--status", "Invited", "--filter", "job_responsibility=PURCHASE"}), env)
              .seconds,
          pg.Run(db, "insert into members (campaign, contact, status) select 'CP0001', id, 'Invited' from contacts "
                     "where job_responsibility = 'PURCHASE'"));
      t["mass_update_city"].Add(
          RunProcess(crm({"member", "mass-update", "CP0001", "--status", "Attended", "--filter", "city=City7"}), env).seconds,
          pg.Run(db, "update members m set status = 'Attended', updated_at = now() from contacts c "
                     "where m.campaign = 'CP0001' and m.contact = c.id and c.city = 'City7'"));
      t["counts_by_status"].Add(
          MedianProcessMillis(crm({"roster", "CP0001", "--count"}), env, 5) / 1000,
          pg.Median(db, "select status, count(*) from members where campaign = 'CP0001' group by status", 5));
      t["roster_page_50"].Add(
          MedianProcessMillis(crm({"roster", "CP0001", "--limit", "50"}), env, 5) / 1000,
          pg.Median(db, "select c.id, c.name, c.email, m.status from members m join contacts c on c.id = m.contact "
                        "where m.campaign = 'CP0001' order by m.contact limit 50", 5));
      // One durable status change: five members, each changed once by each system.
      std::vector<double> ours, theirs;
      for (uint64_t i = 1; i <= 9; i += 2) {
        ours.push_back(RunProcess(crm({"member", "set-status", "CP0001", RecordNo(RecordKind::kContact, i).ToString(),
                                       "Attended"}), env).seconds);
        theirs.push_back(pg.Run(db, "update members set status = 'Attended', updated_at = now() where campaign = "
                                    "'CP0001' and contact = " + std::to_string(i)));
      }
      t["single_status_change"].Add(Median(ours), Median(theirs));
      pg.Run("postgres", "drop database " + db);
      std::filesystem::remove_all(dir);
    }
    std::filesystem::remove(csv);

    const std::string size = n % 1000000 == 0 ? std::to_string(n / 1000000) + "M" : std::to_string(n / 1000) + "k";
    for (const char* op : {"import", "import_plain_rocksdb", "add_by_filter", "mass_update_city", "counts_by_status",
                           "roster_page_50", "single_status_change"}) {
      const Timings& x = t[op];
      std::vector<double> speedups;
      for (size_t i = 0; i < x.ours.size(); ++i) speedups.push_back(x.theirs[i] / x.ours[i]);
      const std::string name = std::string("pg_") + op + "_" + size;
      const bool single = std::string(op) == "single_status_change";
      const bool floor = std::string(op) == "import_plain_rocksdb";  // not ours: no target
      const double need = single ? 1.0 : 2.0;  // issue 16's targets
      const double speedup = Median(speedups);
      std::fprintf(stderr, "bench: %s over %zu round(s): ours %s ms, PostgreSQL %s ms, pg/ours %s\n", name.c_str(),
                   x.ours.size(), Range(x.ours, 1000, 0).c_str(), Range(x.theirs, 1000, 0).c_str(),
                   Range(speedups, 1, 3).c_str());
      out->push_back({name, Median(x.ours) * 1000, "ms", Median(x.theirs) * 1000, speedup,
                      floor ? "info (plain RocksDB loader, pg/plain)"
                            : std::string(">= ") + (single ? "1" : "2") + "x PostgreSQL (pg/ours)",
                      floor || speedup >= need});
    }
  }
}

}  // namespace crm::bench
