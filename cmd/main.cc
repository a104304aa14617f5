// crmctl: the command line of crmledger. Parses, runs one command, prints, exits (cmd/app.h).
#include <sys/stat.h>

#include "cmd/app.h"

int main(int argc, char** argv) {
  // Everything crmctl creates holds personal data or describes it (the data directory, the
  // outbox, exports, reports, the access log): owner-only, whatever the caller's umask.
  ::umask(077);
  crm::cli::App app;
  return app.Run(argc, argv);
}
