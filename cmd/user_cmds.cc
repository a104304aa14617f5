// crmctl user add/set-role/remove/list: users and roles (SPEC §4.10, aggregates/access.h).
// The actor of every command is --as (CRM_USER, default the OS user); the checks themselves run
// in the handler (writes) and App::OpenReader (reads).
#include <iostream>

#include "cmd/app.h"
#include "cmd/table.h"

namespace crm::cli {
namespace {

using nlohmann::json;

int RunUsers(App* app, const access::Command& c, const std::string& done) {
  auto h = app->OpenWriter();
  if (!h.ok()) return app->Fail(h.status());
  return app->Answer((*h)->Users(app->MakeRequest(), c),
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
    sub->callback([app, name, role, make, done] {
      app->SetAction([app, name, role, make, done] {
        auto r = access::ParseRole(*role);
        if (!r.ok()) return app->Fail(r.status());
        return RunUsers(app, make(*name, *r), "user " + *name + done + access::RoleName(*r));
      });
    });
  };
  with_role("add", "add a user with a role (the first must be an admin)",
            [](const std::string& n, fb::Role r) -> access::Command { return access::AddUser{n, r}; }, " added as ");
  with_role("set-role", "change a user's role",
            [](const std::string& n, fb::Role r) -> access::Command { return access::SetRole{n, r}; }, " is now ");

  auto* remove = user->add_subcommand("remove", "remove a user (not the last admin while others remain)");
  remove->add_option("NAME", *name)->required();
  remove->callback([app, name] {
    app->SetAction([app, name] { return RunUsers(app, access::RemoveUser{*name}, "removed user " + *name); });
  });

  user->add_subcommand("list", "list users and roles")->callback([app] {
    app->SetAction([app] {
      auto r = app->OpenReader();
      if (!r.ok()) return app->Fail(r.status());
      auto users = r->rm->Users();
      if (!users.ok()) return app->Fail(users.status());
      json out = json::array();
      Table t({"NAME", "ROLE"});
      for (const auto& [n, role] : users->users) {
        out.push_back({{"name", n}, {"role", access::RoleName(role)}});
        t.Add({n, access::RoleName(role)});
      }
      return app->PrintList(out, t);
    });
  });
}

}  // namespace crm::cli
