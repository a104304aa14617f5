// CampaignStatsText and LoggedSegmentText (cmd/report_text.h).
#include "cmd/report_text.h"

#include <cstdio>
#include <sstream>
#include <string_view>

#include "cmd/output.h"
#include "cmd/table.h"

namespace crm::cli {
namespace {

using nlohmann::json;

std::string ValueText(const json& v) {
  if (v.is_null()) return "-";
  return v.is_string() ? v.get<std::string>() : v.dump();
}

// A percent number as people write it: 40, 33.33, "-" when there is none (nothing targeted).
std::string PercentText(const json& v) {
  if (!v.is_number()) return "-";
  char text[32];
  std::snprintf(text, sizeof text, "%.2f", v.get<double>());
  std::string s = text;
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s + "%";
}

std::string CountText(const json& v, std::string_view one, std::string_view many) {
  const uint64_t n = v.get<uint64_t>();
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

}  // namespace

std::string CampaignStatsText(const json& s) {
  std::ostringstream out;
  const json& campaigns = s["campaigns"];
  out << "Campaign " << ValueText(s["campaign"]);
  if (campaigns.size() > 1) out << " with its hierarchy (" << JoinText(campaigns) << ")";
  out << "\n\n";
  const json& o = s["opportunities"];
  const json& t = s["tasks"];
  Table figures({"FIGURE", "VALUE"});
  figures.Add({"members", ValueText(s["members"]) + " (" + CountText(s["contacts"], "contact", "contacts") + ", " +
                              CountText(s["leads"], "lead", "leads") + ")"});
  figures.Add({"converted leads", ValueText(s["converted_leads"])});
  figures.Add({"targeted", ValueText(s["targeted"])});
  figures.Add({"responses", ValueText(s["responses"])});
  figures.Add({"response rate", PercentText(s["response_rate"]) + " (expected " + PercentText(s["expected_response"]) + ")"});
  figures.Add({"interactions", ValueText(s["interactions"])});
  figures.Add({"duration", ValueText(s["duration"]) + " min"});
  figures.Add({"interaction cost", ValueText(s["interaction_cost"])});
  figures.Add({"actual cost", ValueText(s["actual_cost"])});
  figures.Add({"cost", ValueText(s["cost"])});
  figures.Add({"budgeted cost", ValueText(s["budgeted_cost"])});
  figures.Add({"budget left", ValueText(s["budget_left"])});
  figures.Add({"opportunities", ValueText(o["count"]) + " (" + ValueText(o["open"]) + " open, " + ValueText(o["won"]) + " won, " +
                                    ValueText(o["lost"]) + " lost)"});
  figures.Add({"estimated value", ValueText(o["estimated_value"])});
  figures.Add({"won amount", ValueText(o["won_amount"])});
  figures.Add({"tasks", ValueText(t["open"]) + " open, " + ValueText(t["completed"]) + " completed, " + ValueText(t["canceled"]) +
                            " canceled"});
  figures.Print(out);
  if (!s["by_status"].empty()) {
    out << "\n";
    Table statuses({"STATUS", "MEMBERS"});
    for (const auto& [status, n] : s["by_status"].items()) statuses.Add({status, ValueText(n)});
    statuses.Print(out);
  }
  return out.str();
}

std::string LoggedSegmentText(const json& l) {
  auto no = [](const json& v) { return v.is_string() && !v.get<std::string>().empty() ? v.get<std::string>() : "-"; };
  std::string entries = no(l["first_entry"]);
  if (l["last_entry"] != l["first_entry"]) entries += " to " + no(l["last_entry"]);
  std::vector<std::pair<std::string, std::string>> fields = {
      {"logged segment", ValueText(l["no"])},
      {"segment", no(l["segment"])},
      {"description", ValueText(l["description"])},
      {"campaign", no(l["campaign"])},
      {"interaction template", ValueText(l["interaction_template"])},
      {"date", ValueText(l["date"])},
      {"lines", ValueText(l["lines"])},
      {"entries", entries},
      {"campaign entry", no(l.value("campaign_entry", json()))},
      {"logged", ValueText(l["logged_at"]) + " by " + ValueText(l["logged_by"])},
      {"send", l["send"].get<bool>() ? "yes" : "no"},
      {"canceled", l["canceled"].get<bool>() ? "yes" : "no"}};
  std::ostringstream out;
  out << FieldsText(fields);
  if (!l["steps"].empty()) {
    out << "\n";
    Table steps({"STEP", "KIND", "FILTER", "CRITERIA", "OPTIONS"});
    int n = 0;
    for (const json& s : l["steps"]) {
      steps.Add({std::to_string(++n), ValueText(s["kind"]), s["filter"].empty() ? "-" : JoinText(s["filter"]),
                 s["criteria"].get<std::string>().empty() ? "-" : ValueText(s["criteria"]),
                 s["options"].get<std::string>().empty() ? "-" : ValueText(s["options"])});
    }
    steps.Print(out);
  }
  return out.str();
}

}  // namespace crm::cli
