// crmctl history ID (SPEC §4.10): every change of one record, oldest first (app/history.h). Each
// change: sequence number, time, actor, command id, event, and with --json its fields as the
// schema names them.
#include "cmd/app.h"
#include "app/history.h"
#include "cmd/table.h"

namespace crm::cli {
namespace {

using nlohmann::json;

Result<Output> History(App* app, const std::string& id) {
  CRM_ASSIGN_OR_RETURN(RecordNo no, RecordNo::Parse(id));
  CRM_ASSIGN_OR_RETURN(Reader r, app->OpenReader());
  CRM_ASSIGN_OR_RETURN(auto changes, RecordHistory(&r, no));
  json out = json::array();
  Table t({"SEQ", "AT", "ACTOR", "EVENT", "COMMAND"});
  for (const auto& [seq, change] : changes) {
    if (r.as_of && seq > *r.as_of) break;  // --at: the changes up to then
    t.Add({std::to_string(seq), change["at"], change["actor"], change["event"], change["command_id"]});
    out.push_back(change);
  }
  if (out.empty()) {
    const std::string until = r.as_of ? " up to record " + std::to_string(*r.as_of) : "";
    return Status::NotFound(no.ToString() + " has no history in the ledger" + until);
  }
  return ListOutput(std::move(out), t);
}

}  // namespace

void AddHistoryCommand(App* app) {
  auto* history = app->cli().add_subcommand("history", "every change of one record (CT, LD, CP, SM, LS, IE, CE ...)");
  auto id = std::make_shared<std::string>();
  history->add_option("ID", *id)->required();
  app->On(history, [app, id] { return History(app, *id); });
}

}  // namespace crm::cli
