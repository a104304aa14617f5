// crmctl: the command line of crmledger. Parses, runs one command, prints, exits (cmd/app.h).
#include "cmd/app.h"

int main(int argc, char** argv) {
  crm::cli::App app;
  return app.Run(argc, argv);
}
