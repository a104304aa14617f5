// Import of campaigns and campaign members: their rows. Rules: import_campaigns.h.
#include "aggregates/import_campaigns.h"

#include <cctype>

namespace crm::import {
namespace {

Result<std::optional<Date>> DateCell(const std::string& cell, const std::string& field) {
  CRM_ASSIGN_OR_RETURN(Timestamp t, ParseSourceTime(cell, field));
  return std::optional<Date>(DateOf(t));
}

// A number as the file writes it: with --decimal , its thousands grouped by '.' or spaces;
// otherwise grouped by ','.
std::string Number(const Mapping& m, const std::string& cell) {
  if (m.decimal_comma) return FromDecimalComma(cell);
  std::string out;
  for (char c : cell) {
    if (c != ',') out += c;
  }
  return out;
}

Result<int64_t> Count(const std::string& cell, const std::string& field) {
  int64_t n = 0;
  for (char c : cell) {
    if (!std::isdigit(static_cast<unsigned char>(c)) || n > (INT64_MAX - 9) / 10) {
      return Status::InvalidArgument(field + " takes a whole number, not '" + cell + "'");
    }
    n = n * 10 + (c - '0');
  }
  return n;
}

template <typename T>
std::optional<T> GivenOf(const std::set<std::string>& given, const std::string& field, T value) {
  if (!given.contains(field)) return std::nullopt;
  return value;
}

}  // namespace

std::string StatusCodeOf(std::string_view text) {
  std::string code;
  bool gap = false;
  for (unsigned char c : Trim(text)) {
    if (std::isalnum(c) || c == '_' || c == '.' || c == '/' || c == '+') {
      if (gap && !code.empty()) code += '-';
      gap = false;
      code += static_cast<char>(std::toupper(c));
    } else {
      gap = true;
    }
  }
  return code.substr(0, 20);
}

Result<CampaignRow> ReadCampaignRow(const Mapping& m, const std::vector<std::string>& cells) {
  if (cells.size() > m.fields.size()) {
    return Status::InvalidArgument("the row has " + std::to_string(cells.size()) + " cells, the header " +
                                   std::to_string(m.fields.size()) + " columns");
  }
  CampaignRow row;
  campaign::Fields& f = row.f;
  for (size_t i = 0; i < cells.size(); ++i) {
    const std::string& field = m.fields[i];
    const std::string cell = CellAt(m, cells, i);
    if (field.empty() || cell.empty()) continue;
    row.given.insert(field);
    if (field == "name")
      f.name = cell;
    else if (field == "description")
      f.description = cell;
    else if (field == "type")
      f.type = cell;
    else if (field == "status")
      f.status = StatusCodeOf(cell);
    else if (field == "owner")
      row.owner = cell;
    else if (field == "salesperson")
      f.salesperson = cell;
    else if (field == "parent")
      f.parent = cell;
    else if (field == "source")
      f.source = cell;
    else if (field == "source_id")
      f.source_id = cell;
    else if (field == "source_modified_at")
      f.source_modified_at = cell;
    else if (field == "start_date") {
      CRM_ASSIGN_OR_RETURN(f.start, DateCell(cell, field));
    } else if (field == "end_date") {
      CRM_ASSIGN_OR_RETURN(f.end, DateCell(cell, field));
    } else if (field == "created_at") {
      CRM_ASSIGN_OR_RETURN(row.created_at, ParseSourceTime(cell, field));
    } else if (field == "budgeted_cost" || field == "actual_cost" || field == "expected_revenue") {
      auto money = ParseMoney(Number(m, cell));
      if (!money.ok()) return Status::InvalidArgument(field + " '" + cell + "' is not an amount");
      (field == "budgeted_cost" ? f.budgeted_cost
       : field == "actual_cost" ? f.actual_cost
                                : f.expected_revenue) = *money;
    } else if (field == "expected_response") {
      auto percent = ParsePercent(Number(m, cell));
      if (!percent.ok()) return Status::InvalidArgument(field + " '" + cell + "' is not a percentage");
      f.expected_response = *percent;
    } else if (field == "number_sent") {
      CRM_ASSIGN_OR_RETURN(f.number_sent, Count(Number(m, cell), field));
    } else if (field.starts_with(kCustomPrefix)) {
      const std::string name = field.substr(kCustomPrefix.size());
      const auto def = m.custom.find(name);
      const bool number = def != m.custom.end() && def->second.type == fb::CustomFieldType::Number;
      f.custom[name] = number && m.decimal_comma ? FromDecimalComma(cell) : cell;
    }
  }
  if (f.source.empty() && !m.source.empty()) {
    f.source = m.source;
    row.given.insert("source");
  }
  return row;
}

campaign::CreateCampaign ToCreateCampaign(const CampaignRow& row) {
  campaign::CreateCampaign c;
  c.f = row.f;
  c.created_at = row.created_at;
  return c;
}

campaign::ChangeCampaign ToChangeCampaign(const CampaignRow& row, const RecordNo& no) {
  const campaign::Fields& f = row.f;
  const auto& g = row.given;
  campaign::ChangeCampaign c;
  c.no = no;
  c.name = GivenOf(g, "name", f.name);
  c.description = GivenOf(g, "description", f.description);
  c.type = GivenOf(g, "type", f.type);
  c.status = GivenOf(g, "status", f.status);
  c.salesperson = GivenOf(g, "salesperson", f.salesperson);
  c.parent = GivenOf(g, "parent", f.parent);
  c.start = GivenOf(g, "start_date", f.start);
  c.end = GivenOf(g, "end_date", f.end);
  c.budgeted_cost = GivenOf(g, "budgeted_cost", f.budgeted_cost);
  c.actual_cost = GivenOf(g, "actual_cost", f.actual_cost);
  c.expected_revenue = GivenOf(g, "expected_revenue", f.expected_revenue);
  c.expected_response = GivenOf(g, "expected_response", f.expected_response);
  c.number_sent = GivenOf(g, "number_sent", f.number_sent);
  c.source = GivenOf(g, "source", f.source);
  c.source_id = GivenOf(g, "source_id", f.source_id);
  c.source_modified_at = GivenOf(g, "source_modified_at", f.source_modified_at);
  c.custom = f.custom;
  return c;
}

Result<MemberRow> ReadMemberRow(const Mapping& m, const std::vector<std::string>& cells) {
  if (cells.size() > m.fields.size()) {
    return Status::InvalidArgument("the row has " + std::to_string(cells.size()) + " cells, the header " +
                                   std::to_string(m.fields.size()) + " columns");
  }
  MemberRow row;
  std::string contact, lead, member;
  for (size_t i = 0; i < cells.size(); ++i) {
    const std::string& field = m.fields[i];
    const std::string cell = CellAt(m, cells, i);
    if (field.empty() || cell.empty()) continue;
    if (field == "campaign")
      row.campaign = cell;
    else if (field == "contact")
      contact = cell;
    else if (field == "lead")
      lead = cell;
    else if (field == "member")
      member = cell;
    else if (field == "status")
      row.status = cell;
    else if (field == "source")
      row.source = Lower(cell);
    else if (field == "responded") {
      CRM_ASSIGN_OR_RETURN(row.responded, YesNo(cell, field));
    } else if (field == "responded_at") {
      CRM_ASSIGN_OR_RETURN(row.responded_at, ParseSourceTime(cell, field));
    }
  }
  for (const std::string* id : {&contact, &lead, &member}) {
    if (!id->empty()) row.ids.push_back(*id);
  }
  if (row.source.empty()) row.source = m.source;
  if (row.ids.empty()) return Status::InvalidArgument("the row names no contact or lead");
  return row;
}

}  // namespace crm::import
