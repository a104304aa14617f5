// crmctl undo COMMAND-ID (SPEC §4.10): compensating events for an undoable command; what is
// undoable and why the rest is refused: aggregates/undo.h. A command's id is in its --json
// answer (`command_id`), on standard error when that is a terminal, and in `history`.
#include "cmd/app.h"

namespace crm::cli {

void AddUndoCommand(App* app) {
  auto* undo = app->cli().add_subcommand(
      "undo", "undo a command by its id: member changes, segment steps, cancellations, task changes, campaign prices (undo an undo to redo)");
  auto id = std::make_shared<std::string>();
  undo->add_option("COMMAND-ID", *id)->required();
  app->On(undo, [app, id]() -> Result<Output> {
    if (id->empty() || id->size() > 200) return Status::InvalidArgument("a command id is 1 to 200 characters");
    return app->Write([&](Handler& h, const Request& rq) { return h.Undo(rq, CommandId(*id)); },
                      [id](const nlohmann::json& a) {
                        if (!a.value("changed", false)) return "command " + *id + " had nothing left to undo";
                        return "undid command " + *id + " (" + std::to_string(a.value("events", 0)) +
                               " compensating events)";
                      });
  });
}

}  // namespace crm::cli
