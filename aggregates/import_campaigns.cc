// Import of campaigns and campaign members: their rows. Rules: import_campaigns.h.
#include "aggregates/import_campaigns.h"

#include <cctype>
#include <string_view>
#include <utility>

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

// A count (number sent): a whole number, not negative.
Result<int64_t> Count(const std::string& cell, const std::string& field) {
  auto n = ParseFixed(cell, 0, field);
  if (!n.ok() || *n < 0) return Status::InvalidArgument(field + " takes a whole number, not '" + cell + "'");
  return *n;
}

// The campaign's fields a cell fills as it is written (a status as a code), by name; null for others.
std::string* TextField(CampaignRow* row, const std::string& field) {
  using F = campaign::Fields;
  static constexpr std::pair<std::string_view, std::string F::*> kText[] = {
      {"name", &F::name},     {"description", &F::description}, {"type", &F::type},
      {"status", &F::status}, {"salesperson", &F::salesperson}, {"parent", &F::parent},
      {"source", &F::source}, {"source_id", &F::source_id},     {"source_modified_at", &F::source_modified_at}};
  for (const auto& [name, member] : kText) {
    if (field == name) return &(row->f.*member);
  }
  return field == "owner" ? &row->owner : nullptr;
}

// The campaign's amounts, by name; null for other fields.
Money* MoneyField(campaign::Fields* f, const std::string& field) {
  if (field == "budgeted_cost") return &f->budgeted_cost;
  if (field == "actual_cost") return &f->actual_cost;
  if (field == "expected_revenue") return &f->expected_revenue;
  return nullptr;
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
  CRM_RETURN_IF_ERROR(CheckCells(m, cells));
  CampaignRow row;
  campaign::Fields& f = row.f;
  for (size_t i = 0; i < cells.size(); ++i) {
    const std::string& field = m.fields[i];
    const std::string cell = CellAt(m, cells, i);
    if (field.empty() || cell.empty()) continue;
    row.given.insert(field);
    if (std::string* text = TextField(&row, field)) {
      *text = field == "status" ? StatusCodeOf(cell) : cell;
    } else if (Money* money = MoneyField(&f, field)) {
      auto amount = ParseMoney(Number(m, cell));
      if (!amount.ok()) return Status::InvalidArgument(field + " '" + cell + "' is not an amount");
      *money = *amount;
    } else if (field == "start_date") {
      CRM_ASSIGN_OR_RETURN(f.start, DateCell(cell, field));
    } else if (field == "end_date") {
      CRM_ASSIGN_OR_RETURN(f.end, DateCell(cell, field));
    } else if (field == "created_at") {
      CRM_ASSIGN_OR_RETURN(row.created_at, ParseSourceTime(cell, field));
    } else if (field == "expected_response") {
      auto percent = ParsePercent(Number(m, cell));
      if (!percent.ok()) return Status::InvalidArgument(field + " '" + cell + "' is not a percentage");
      f.expected_response = *percent;
    } else if (field == "number_sent") {
      CRM_ASSIGN_OR_RETURN(f.number_sent, Count(Number(m, cell), field));
    } else if (field.starts_with(kCustomPrefix)) {
      ReadCustomCell(m, field, cell, &f.custom);
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
  CRM_RETURN_IF_ERROR(CheckCells(m, cells));
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
