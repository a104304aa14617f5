// crmctl user add/set-role/remove/list: users and roles (SPEC §4.10, aggregates/access.h).
// The actor of every command is --as (CRM_USER, default the OS user); the checks themselves run
// in the handler (writes) and App::OpenReader (reads).
#include "cmd/app.h"
#include "cmd/table.h"

namespace crm::cli {
namespace {

using nlohmann::json;

Result<Output> RunUsers(App* app, const access::Command& c, const std::string& done) {
  return app->Write([&](Handler& h, const Request& rq) { return h.Users(rq, c); },
                    [done](const json& a) { return a.value("changed", false) ? done : std::string("no change"); });
}

}  // namespace

void AddUserCommands(App* app) {
  auto* user = app->cli().add_subcommand("user", "users and their roles (once one exists, only users may act)");
  user->require_subcommand(1);

  auto name = std::make_shared<std::string>();
  auto role = std::make_shared<std::string>();
  // add and set-role: NAME --role ROLE, the role parsed before anything is opened (a usage
  // error, exit 1, writes nothing).
  using MakeFn = access::Command (*)(const std::string&, fb::Role);
  auto with_role = [&](const char* verb, const char* help, MakeFn make, const char* done) {
    auto* sub = user->add_subcommand(verb, help);
    sub->add_option("NAME", *name)->required();
    sub->add_option("--role", *role, "admin, manager, staff or auditor")->required();
    app->On(sub, [app, name, role, make, done]() -> Result<Output> {
      CRM_ASSIGN_OR_RETURN(fb::Role r, access::ParseRole(*role));
      return RunUsers(app, make(*name, r), "user " + *name + done + access::RoleName(r));
    });
  };
  with_role("add", "add a user with a role (the first must be an admin)",
            [](const std::string& n, fb::Role r) -> access::Command { return access::AddUser{n, r}; }, " added as ");
  with_role("set-role", "change a user's role",
            [](const std::string& n, fb::Role r) -> access::Command { return access::SetRole{n, r}; }, " is now ");

  auto* remove = user->add_subcommand("remove", "remove a user (not the last admin while others remain)");
  remove->add_option("NAME", *name)->required();
  app->On(remove, [app, name] { return RunUsers(app, access::RemoveUser{*name}, "removed user " + *name); });

  app->On(user->add_subcommand("list", "list users and roles"), [app]() -> Result<Output> {
    CRM_ASSIGN_OR_RETURN(Reader r, app->OpenReader());
    CRM_ASSIGN_OR_RETURN(access::State users, r.rm->Users());
    json out = json::array();
    Table t({"NAME", "ROLE"});
    for (const auto& [n, role] : users.users) {
      out.push_back({{"name", n}, {"role", access::RoleName(role)}});
      t.Add({n, access::RoleName(role)});
    }
    return ListOutput(std::move(out), t);
  });
}

}  // namespace crm::cli
