// tools/dev_kafka: a throwaway Kafka cluster on loopback, for tests and for trying the Kafka mode
// without installing a broker. Started through tools/dev-kafka.
//
// The brokers are librdkafka's mock cluster (rdkafka_mock.h): real Kafka-protocol listeners that
// any client (crmctl, kcat, librdkafka, Java) can produce to and consume from, keeping every log in
// memory, so everything is gone when the program exits. They listen on 127.0.0.1 only, each on a
// port the OS picks. Limits of Debian's librdkafka 2.0.2 mock: transactions are acknowledged
// (InitProducerId, AddPartitionsToTxn, EndTxn succeed) but no commit/abort markers are written, so
// a read_committed consumer also sees aborted and still-open transactions' records; there is no
// CreateTopics API (topics are pre-created here, or auto-created on first use); the mock API cannot
// choose ports, so --port P runs a byte-for-byte TCP forwarder from 127.0.0.1:P to the first broker
// (clients bootstrap through it, then use the ports the brokers advertise in metadata).
//
// Command line:
//   crm_dev_kafka [--brokers N] [--topic NAME]... [--partitions N] [--replication N] [--port P]
// Defaults: 3 brokers (ids 1..N), topics crm.events, crm.events.dlq and crm.events.keys (--topic replaces them),
// 1 partition, replication min(3, brokers), no forwarder.
//
// Output: one line on stdout, the bootstrap list (`127.0.0.1:A,127.0.0.1:B,...`, or `127.0.0.1:P`
// with --port), once the topics exist and the ports listen.
//
// Control protocol on stdin, one command a line; each non-blank line gets exactly one answer line
// on stdout, `ok` or `error: MESSAGE`:
//   down ID | up ID              broker stops / resumes accepting connections (ID -1: all brokers)
//   leader TOPIC PARTITION ID    move the partition's leader (ID -1: leader-less)
//   errors API COUNT ERRCODE     the next COUNT requests of type API fail with ERRCODE
//   clear API                    drop the errors still queued for API
//   rtt ID MS                    delay broker ID's responses by MS milliseconds
//   quit                         answer ok and exit 0
// API is a protocol name (Produce, Fetch, ListOffsets, Metadata, InitProducerId, EndTxn, ...) or a
// number; ERRCODE is a number or a librdkafka error name without the RD_KAFKA_RESP_ERR_ prefix
// (NOT_LEADER_FOR_PARTITION, _TRANSPORT, ...). End of stdin does not stop the cluster: it runs until
// `quit`, SIGTERM or SIGINT, and then shuts down cleanly with exit status 0.
//
// Exit status: 0 on quit or signal, 1 bad options, 3 the mock cluster could not be set up,
// 4 the --port could not be bound.
#include <arpa/inet.h>
#include <fcntl.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace {

// The error half of a Status: empty means ok.
class Status {
 public:
  static Status Ok() { return Status(); }
  static Status Error(std::string message) { return Status(std::move(message)); }
  bool ok() const { return message_.empty(); }
  const std::string& message() const { return message_; }

 private:
  Status() = default;
  explicit Status(std::string message) : message_(std::move(message)) {}
  std::string message_;
};

Status KafkaStatus(std::string_view what, rd_kafka_resp_err_t err) {
  if (err == RD_KAFKA_RESP_ERR_NO_ERROR) return Status::Ok();
  return Status::Error(std::string(what) + ": " + rd_kafka_err2str(err));
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// Parses all of `text` as an integer in [lo, hi].
template <typename Int>
bool ParseInt(std::string_view text, long long lo, long long hi, Int* out) {
  long long value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < lo || value > hi) return false;
  *out = static_cast<Int>(value);
  return true;
}

// Kafka protocol request types by name (ApiKey numbers from the protocol, never change).
constexpr std::pair<std::string_view, int16_t> kApiKeys[] = {
    {"Produce", 0},          {"Fetch", 1},
    {"ListOffsets", 2},      {"Metadata", 3},
    {"OffsetCommit", 8},     {"OffsetFetch", 9},
    {"FindCoordinator", 10}, {"JoinGroup", 11},
    {"Heartbeat", 12},       {"LeaveGroup", 13},
    {"SyncGroup", 14},       {"ApiVersions", 18},
    {"InitProducerId", 22},  {"AddPartitionsToTxn", 24},
    {"AddOffsetsToTxn", 25}, {"EndTxn", 26},
    {"TxnOffsetCommit", 28},
};

bool ParseApiKey(std::string_view text, int16_t* out) {
  for (const auto& [name, key] : kApiKeys) {
    if (EqualsIgnoreCase(text, name)) {
      *out = key;
      return true;
    }
  }
  return ParseInt(text, 0, INT16_MAX, out);
}

// Error codes by librdkafka name (rd_kafka_get_err_descs), plus the aliases rdkafka.h #defines and
// Kafka's newer name for code 6.
bool ParseErrorCode(std::string_view text, rd_kafka_resp_err_t* out) {
  int number = 0;
  if (ParseInt(text, INT16_MIN, INT16_MAX, &number)) {
    *out = static_cast<rd_kafka_resp_err_t>(number);
    return true;
  }
  constexpr std::string_view kPrefix = "RD_KAFKA_RESP_ERR_";
  if (text.size() > kPrefix.size() && EqualsIgnoreCase(text.substr(0, kPrefix.size()), kPrefix)) {
    text.remove_prefix(kPrefix.size());
  }
  constexpr std::pair<std::string_view, rd_kafka_resp_err_t> kAliases[] = {
      {"NOT_LEADER_OR_FOLLOWER", RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION},
      {"GROUP_LOAD_IN_PROGRESS", RD_KAFKA_RESP_ERR_GROUP_LOAD_IN_PROGRESS},
      {"GROUP_COORDINATOR_NOT_AVAILABLE", RD_KAFKA_RESP_ERR_GROUP_COORDINATOR_NOT_AVAILABLE},
      {"NOT_COORDINATOR_FOR_GROUP", RD_KAFKA_RESP_ERR_NOT_COORDINATOR_FOR_GROUP},
  };
  for (const auto& [name, code] : kAliases) {
    if (EqualsIgnoreCase(text, name)) {
      *out = code;
      return true;
    }
  }
  const rd_kafka_err_desc* descs = nullptr;
  size_t count = 0;
  rd_kafka_get_err_descs(&descs, &count);
  for (size_t i = 0; i < count; ++i) {
    if (descs[i].name != nullptr && EqualsIgnoreCase(text, descs[i].name)) {
      *out = descs[i].code;
      return true;
    }
  }
  return false;
}

std::vector<std::string_view> SplitWords(std::string_view line) {
  std::vector<std::string_view> words;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && std::isspace(static_cast<unsigned char>(line[i]))) ++i;
    size_t start = i;
    while (i < line.size() && !std::isspace(static_cast<unsigned char>(line[i]))) ++i;
    if (i > start) words.push_back(line.substr(start, i - start));
  }
  return words;
}

// Runs one control command against the cluster; sets *quit for `quit`.
Status RunCommand(rd_kafka_mock_cluster_t* cluster, const std::vector<std::string_view>& words, bool* quit) {
  const std::string_view verb = words[0];
  const size_t args = words.size() - 1;
  std::string line(verb);  // prefixes errors from the mock API
  for (size_t i = 1; i < words.size(); ++i) line.append(" ").append(words[i]);
  auto usage = [](const char* form) { return Status::Error(std::string("usage: ") + form); };
  int32_t broker = 0;
  if (verb == "quit") {
    if (args != 0) return usage("quit");
    *quit = true;
    return Status::Ok();
  }
  if (verb == "down" || verb == "up") {
    if (args != 1 || !ParseInt(words[1], -1, INT32_MAX, &broker)) return usage("down|up ID");
    return KafkaStatus(line, verb == "down" ? rd_kafka_mock_broker_set_down(cluster, broker)
                                            : rd_kafka_mock_broker_set_up(cluster, broker));
  }
  if (verb == "leader") {
    int32_t partition = 0;
    if (args != 3 || !ParseInt(words[2], 0, INT32_MAX, &partition) || !ParseInt(words[3], -1, INT32_MAX, &broker)) {
      return usage("leader TOPIC PARTITION ID");
    }
    const std::string topic(words[1]);
    return KafkaStatus(line, rd_kafka_mock_partition_set_leader(cluster, topic.c_str(), partition, broker));
  }
  if (verb == "rtt") {
    int rtt_ms = 0;
    if (args != 2 || !ParseInt(words[1], -1, INT32_MAX, &broker) || !ParseInt(words[2], 0, INT32_MAX, &rtt_ms)) {
      return usage("rtt ID MS");
    }
    return KafkaStatus(line, rd_kafka_mock_broker_set_rtt(cluster, broker, rtt_ms));
  }
  int16_t api = 0;
  if (verb == "errors") {
    size_t count = 0;
    rd_kafka_resp_err_t code = RD_KAFKA_RESP_ERR_NO_ERROR;
    if (args != 3) return usage("errors API COUNT ERRCODE");
    if (!ParseApiKey(words[1], &api)) return Status::Error("unknown API '" + std::string(words[1]) + "'");
    if (!ParseInt(words[2], 1, 100000, &count)) return Status::Error("COUNT must be 1..100000");
    if (!ParseErrorCode(words[3], &code)) return Status::Error("unknown error code '" + std::string(words[3]) + "'");
    // COUNT copies of one code: the array form of rd_kafka_mock_push_request_errors.
    const std::vector<rd_kafka_resp_err_t> codes(count, code);
    rd_kafka_mock_push_request_errors_array(cluster, api, codes.size(), codes.data());
    return Status::Ok();
  }
  if (verb == "clear") {
    if (args != 1) return usage("clear API");
    if (!ParseApiKey(words[1], &api)) return Status::Error("unknown API '" + std::string(words[1]) + "'");
    rd_kafka_mock_clear_request_errors(cluster, api);
    return Status::Ok();
  }
  return Status::Error("unknown command '" + std::string(verb) + "' (down, up, leader, errors, clear, rtt, quit)");
}

// Listens on 127.0.0.1:port and copies bytes both ways between each accepted connection and a
// fresh connection to the target port, one thread per connection. Half-closes are passed on.
// Stop() (or the destructor) closes everything and waits for the threads.
class Forwarder {
 public:
  Forwarder() = default;
  Forwarder(const Forwarder&) = delete;
  Forwarder& operator=(const Forwarder&) = delete;
  ~Forwarder() { Stop(); }

  Status Listen(uint16_t port) {
    listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (listen_fd_ < 0 || pipe2(stop_pipe_, O_CLOEXEC) != 0) return Status::Error(std::strerror(errno));
    int one = 1;
    setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    sockaddr_in addr = Loopback(port);
    if (bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 || listen(listen_fd_, 64) != 0) {
      return Status::Error("cannot listen on 127.0.0.1:" + std::to_string(port) + ": " + std::strerror(errno));
    }
    return Status::Ok();
  }

  void Start(uint16_t target_port) {
    target_port_ = target_port;
    acceptor_ = std::thread([this] { AcceptLoop(); });
  }

  void Stop() {
    if (stop_pipe_[1] >= 0) (void)!write(stop_pipe_[1], "x", 1);  // never read: stays readable for all
    if (acceptor_.joinable()) acceptor_.join();
    {
      std::unique_lock<std::mutex> lock(mu_);
      for (int fd : open_fds_) shutdown(fd, SHUT_RDWR);  // wakes a pump blocked in send()
      pumps_done_.wait(lock, [this] { return pumps_ == 0; });
    }
    for (int* fd : {&listen_fd_, &stop_pipe_[0], &stop_pipe_[1]}) {
      if (*fd >= 0) close(*fd);
      *fd = -1;
    }
  }

 private:
  static sockaddr_in Loopback(uint16_t port) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return addr;
  }

  void AcceptLoop() {
    while (true) {
      pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {stop_pipe_[0], POLLIN, 0}};
      if (poll(fds, 2, -1) < 0 && errno != EINTR) return;
      if (fds[1].revents != 0) return;
      if (fds[0].revents == 0) continue;
      int client = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (client < 0) continue;
      int upstream = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
      sockaddr_in addr = Loopback(target_port_);
      if (upstream < 0 || connect(upstream, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
        close(client);
        if (upstream >= 0) close(upstream);
        continue;
      }
      std::lock_guard<std::mutex> lock(mu_);
      open_fds_.insert({client, upstream});
      ++pumps_;
      std::thread([this, client, upstream] { Pump(client, upstream); }).detach();
    }
  }

  // Copies client<->upstream until both directions ended, an error, or Stop().
  void Pump(int client, int upstream) {
    const int ends[2] = {client, upstream};
    bool reading[2] = {true, true};  // reading[i]: still copying from ends[i] to ends[1 - i]
    char buffer[64 * 1024];
    bool failed = false;
    while (!failed && (reading[0] || reading[1])) {
      pollfd fds[3] = {
          {reading[0] ? client : -1, POLLIN, 0}, {reading[1] ? upstream : -1, POLLIN, 0}, {stop_pipe_[0], POLLIN, 0}};
      if (poll(fds, 3, -1) < 0) {
        failed = errno != EINTR;
        continue;
      }
      if (fds[2].revents != 0) break;
      for (int i = 0; i < 2 && !failed; ++i) {
        if (fds[i].revents == 0) continue;
        ssize_t n = recv(ends[i], buffer, sizeof(buffer), 0);
        if (n == 0) {
          reading[i] = false;
          shutdown(ends[1 - i], SHUT_WR);
        }
        for (ssize_t sent = 0; n > 0 && sent < n && !failed;) {
          ssize_t m = send(ends[1 - i], buffer + sent, static_cast<size_t>(n - sent), MSG_NOSIGNAL);
          failed = m < 0;
          sent += m;
        }
        failed = failed || n < 0;
      }
    }
    std::lock_guard<std::mutex> lock(mu_);
    open_fds_.erase(client);
    open_fds_.erase(upstream);
    close(client);
    close(upstream);
    if (--pumps_ == 0) pumps_done_.notify_all();
  }

  int listen_fd_ = -1;
  int stop_pipe_[2] = {-1, -1};
  uint16_t target_port_ = 0;
  std::thread acceptor_;
  std::mutex mu_;  // guards open_fds_ and pumps_
  std::set<int> open_fds_;
  int pumps_ = 0;  // running Pump threads (detached, so finished ones cost nothing)
  std::condition_variable pumps_done_;
};

struct Options {
  int brokers = 3;
  std::vector<std::string> topics;
  int partitions = 1;
  int replication = 0;  // 0: min(3, brokers)
  uint16_t port = 0;    // 0: no forwarder
};

constexpr char kUsage[] =
    "usage: crm_dev_kafka [--brokers N] [--topic NAME]... [--partitions N] [--replication N] [--port P]\n"
    "Starts a mock Kafka cluster on 127.0.0.1 and prints its bootstrap address on one line.\n"
    "Defaults: 3 brokers, topics crm.events, crm.events.dlq and crm.events.keys, 1 partition, replication min(3, N).\n"
    "--port P: also accept clients on 127.0.0.1:P (forwarded to broker 1) and print that address.\n"
    "Commands on stdin (answer: ok | error: ...): down ID, up ID, leader TOPIC PARTITION ID,\n"
    "errors API COUNT ERRCODE, clear API, rtt ID MS, quit. Runs until quit, SIGTERM or SIGINT.\n";

Status ParseOptions(int argc, char** argv, Options* options, bool* help) {
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      *help = true;
      return Status::Ok();
    }
    std::string_view value;
    constexpr std::string_view kOptions[] = {"--brokers", "--topic", "--partitions", "--replication", "--port"};
    const std::string_view name = arg.substr(0, arg.find('='));
    if (std::find(std::begin(kOptions), std::end(kOptions), name) == std::end(kOptions)) {
      return Status::Error("unknown option '" + std::string(arg) + "' (see --help)");
    }
    if (size_t eq = arg.find('='); arg.starts_with("--") && eq != std::string_view::npos) {
      value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
    } else if (i + 1 < argc) {
      value = argv[++i];
    } else {
      return Status::Error("missing value for '" + std::string(arg) + "' (see --help)");
    }
    bool valid = true;
    if (arg == "--brokers") {
      valid = ParseInt(value, 1, 100, &options->brokers);
    } else if (arg == "--topic") {
      valid = !value.empty() && SplitWords(value).size() == 1;
      if (std::find(options->topics.begin(), options->topics.end(), value) == options->topics.end()) {
        options->topics.emplace_back(value);
      }
    } else if (arg == "--partitions") {
      valid = ParseInt(value, 1, 10000, &options->partitions);
    } else if (arg == "--replication") {
      valid = ParseInt(value, 1, 100, &options->replication);
    } else if (arg == "--port") {
      valid = ParseInt(value, 0, 65535, &options->port);
    }
    if (!valid) return Status::Error("bad value '" + std::string(value) + "' for " + std::string(arg));
  }
  if (options->topics.empty()) options->topics = {"crm.events", "crm.events.dlq", "crm.events.keys"};
  if (options->replication == 0) options->replication = std::min(3, options->brokers);
  if (options->replication > options->brokers) {
    return Status::Error("--replication " + std::to_string(options->replication) + " exceeds --brokers " +
                         std::to_string(options->brokers));
  }
  return Status::Ok();
}

// The port of the first address in the mock's bootstrap list, after checking that every address
// is on 127.0.0.1.
Status CheckLoopback(std::string_view bootstraps, uint16_t* first_port) {
  bool first = true;
  for (size_t start = 0; start <= bootstraps.size();) {
    size_t comma = std::min(bootstraps.find(',', start), bootstraps.size());
    std::string_view address = bootstraps.substr(start, comma - start);
    constexpr std::string_view kHost = "127.0.0.1:";
    uint16_t port = 0;
    if (!address.starts_with(kHost) || !ParseInt(address.substr(kHost.size()), 1, 65535, &port)) {
      return Status::Error("mock broker address '" + std::string(address) + "' is not 127.0.0.1:PORT");
    }
    if (first) *first_port = port;
    first = false;
    start = comma + 1;
  }
  return Status::Ok();
}

void Reply(const Status& status) {
  if (status.ok()) {
    std::fputs("ok\n", stdout);
  } else {
    std::fprintf(stdout, "error: %s\n", status.message().c_str());
  }
  std::fflush(stdout);
}

// Reads commands from stdin until `quit`, SIGTERM or SIGINT; end of stdin just stops reading.
void ServeCommands(rd_kafka_mock_cluster_t* cluster, int signal_fd) {
  std::string pending;
  bool stdin_open = true;
  while (true) {
    pollfd fds[2] = {{signal_fd, POLLIN, 0}, {stdin_open ? STDIN_FILENO : -1, POLLIN, 0}};
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (fds[0].revents != 0) return;
    if (fds[1].revents == 0) continue;
    char buffer[4096];
    ssize_t n = read(STDIN_FILENO, buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      stdin_open = false;  // a last line without '\n' still counts
      if (pending.empty()) continue;
      pending.push_back('\n');
    } else {
      pending.append(buffer, static_cast<size_t>(n));
    }
    for (size_t eol; (eol = pending.find('\n')) != std::string::npos; pending.erase(0, eol + 1)) {
      const std::vector<std::string_view> words = SplitWords(std::string_view(pending).substr(0, eol));
      if (words.empty()) continue;
      bool quit = false;
      Reply(RunCommand(cluster, words, &quit));
      if (quit) return;
    }
  }
}

int Fail(int exit_code, const std::string& message) {
  std::fprintf(stderr, "error: %s\n", message.c_str());
  return exit_code;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  bool help = false;
  if (Status s = ParseOptions(argc, argv, &options, &help); !s.ok()) return Fail(1, s.message());
  if (help) {
    std::fputs(kUsage, stdout);
    return 0;
  }

  // Block the stop signals before librdkafka and the forwarder start threads (they inherit the
  // mask), so only the signalfd read in ServeCommands sees them. SIGPIPE: a vanished reader of
  // stdout must not kill the cluster mid-test.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);
  const int signal_fd = signalfd(-1, &stop_signals, SFD_CLOEXEC);
  if (signal_fd < 0) return Fail(3, std::string("signalfd: ") + std::strerror(errno));

  Forwarder forwarder;
  if (options.port != 0) {
    if (Status s = forwarder.Listen(options.port); !s.ok()) return Fail(4, s.message());
  }

  // The producer handle exists only because the mock cluster needs one to live in.
  char errstr[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  if (rd_kafka_conf_set(conf, "log_level", "2", errstr, sizeof(errstr)) != RD_KAFKA_CONF_OK) {
    rd_kafka_conf_destroy(conf);
    return Fail(3, errstr);
  }
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
  if (rk == nullptr) return Fail(3, std::string("rd_kafka_new: ") + errstr);
  rd_kafka_mock_cluster_t* cluster = rd_kafka_mock_cluster_new(rk, options.brokers);
  if (cluster == nullptr) {
    rd_kafka_destroy(rk);
    return Fail(3, "rd_kafka_mock_cluster_new failed");
  }
  auto teardown = [&] {
    forwarder.Stop();
    rd_kafka_mock_cluster_destroy(cluster);
    rd_kafka_destroy(rk);
  };

  const std::string bootstraps = rd_kafka_mock_cluster_bootstraps(cluster);
  uint16_t first_port = 0;
  Status status = CheckLoopback(bootstraps, &first_port);
  for (size_t i = 0; status.ok() && i < options.topics.size(); ++i) {
    const std::string& topic = options.topics[i];
    status = KafkaStatus("creating topic " + topic,
                         rd_kafka_mock_topic_create(cluster, topic.c_str(), options.partitions, options.replication));
  }
  if (!status.ok()) {
    teardown();
    return Fail(3, status.message());
  }
  if (options.port != 0) forwarder.Start(first_port);

  std::puts(options.port != 0 ? ("127.0.0.1:" + std::to_string(options.port)).c_str() : bootstraps.c_str());
  std::fflush(stdout);
  ServeCommands(cluster, signal_fd);
  teardown();
  close(signal_fd);
  return 0;
}
