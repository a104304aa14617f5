#include "aggregates/import.h"

#include <algorithm>
#include <map>

namespace crm::import {
namespace {

std::string Normalize(std::string_view name) { return NormalizeHeader(name); }

const std::vector<std::string> kShared = {
    "name",        "first_name", "last_name", "email",   "phone",          "mobile",    "address",  "post_code", "city",
    "country",     "language",   "salesperson", "territory", "consent", "consent_reason", "opted_out", "source",
    "source_id",   "owner",      "created_at", "source_modified_at"};

const std::vector<std::string>& Fields(Target target) {
  static const std::vector<std::string> contacts = [] {
    std::vector<std::string> v = {"type", "company", "job_responsibility", "business_relation", "industry_group",
                                  "mailing_group", "exclude_from_segment"};
    v.insert(v.begin(), kShared.begin(), kShared.end());
    return v;
  }();
  static const std::vector<std::string> leads = [] {
    std::vector<std::string> v = {"company_name", "lead_status", "lead_source", "description"};
    v.insert(v.begin(), kShared.begin(), kShared.end());
    return v;
  }();
  static const std::vector<std::string> campaigns = {
      "name",          "description", "type",          "status",           "start_date",
      "end_date",      "owner",       "salesperson",   "budgeted_cost",    "actual_cost",
      "expected_revenue", "expected_response", "number_sent", "parent", "source",
      "source_id",     "created_at",  "source_modified_at"};
  static const std::vector<std::string> members = {"campaign", "member", "contact", "lead", "status",
                                                   "responded", "responded_at", "source"};
  switch (target) {
    case Target::kContacts:
    case Target::kCompanies: return contacts;
    case Target::kLeads: return leads;
    case Target::kCampaigns: return campaigns;
    case Target::kMembers: return members;
  }
  return contacts;
}

// Names other programs give these fields (normalized), beyond the field's own name.
const std::map<std::string, std::vector<std::string>>& Aliases() {
  static const std::map<std::string, std::vector<std::string>> aliases = {
      {"name", {"fullname", "displayname", "contactname", "leadname", "campaignname"}},
      {"first_name", {"firstname", "givenname", "forename"}},
      {"last_name", {"lastname", "familyname", "surname"}},
      {"email", {"emailaddress", "mail", "email1", "emailaddress1", "primaryemail", "email1value"}},
      {"phone", {"phoneno", "phonenumber", "telephone", "tel", "businessphone", "phone1value", "workphone"}},
      {"mobile", {"mobilephone", "mobileno", "mobilenumber", "cellphone", "cell", "handy"}},
      {"address", {"street", "streetaddress", "addressline1", "address1", "mailingstreet"}},
      {"post_code", {"postcode", "zip", "zipcode", "postalcode", "mailingzip", "mailingpostalcode"}},
      {"city", {"town", "mailingcity"}},
      {"country", {"countrycode", "countryregion", "countryregioncode", "mailingcountry"}},
      {"language", {"languagecode"}},
      {"salesperson", {"salespersoncode"}},
      {"owner", {"leadowner", "contactowner", "recordowner", "accountowner", "campaignowner"}},
      {"territory", {"territorycode"}},
      {"company", {"companyno", "companynumber"}},
      {"company_name", {"company", "account", "accountname", "organization", "organisation"}},
      {"lead_status", {"status", "leadstatus"}},
      {"lead_source", {"leadsource"}},  // a column "source" is the product a record came from
      {"description", {"notes", "note", "subject"}},
      {"created_at", {"createdtime", "createddate", "createdon", "datecreated"}},
      // campaigns
      {"start_date", {"startdate", "startingdate"}},
      {"end_date", {"enddate", "endingdate"}},
      {"budgeted_cost", {"budgetedcost", "budget"}},
      {"actual_cost", {"actualcost"}},
      {"expected_revenue", {"expectedrevenue"}},
      {"expected_response", {"expectedresponse"}},
      {"number_sent", {"numbersent", "numsent"}},
      {"parent", {"parentid", "parentcampaign", "parentcampaignid"}},
      // campaign members
      {"campaign", {"campaignid", "campaignno", "campaignname"}},
      {"member", {"memberid", "contactno", "leadno"}},
      {"contact", {"contactid"}},
      {"lead", {"leadid"}},
      {"responded", {"hasresponded"}},
      {"responded_at", {"firstrespondeddate", "respondeddate"}},
      {"source_modified_at", {"modifiedtime", "lastmodifieddate", "modifiedon", "lastdatemodified"}},
      {"job_responsibility", {"jobresponsibilities", "jobresponsibilitycode"}},
      {"business_relation", {"businessrelations", "businessrelationcode"}},
      {"industry_group", {"industrygroups", "industrygroupcode"}},
      {"mailing_group", {"mailinggroups", "mailinggroupcode"}},
      {"consent_reason", {"optoutreason", "consentnote"}},
      {"opted_out", {"optout", "emailoptout", "unsubscribed", "donotemail", "donotcontact"}},
  };
  return aliases;
}

// Which field a header name fills for `target` (with its custom fields), or "".
std::string FieldFor(Target target, const std::string& normalized, const std::vector<custom::FieldDef>& defs) {
  for (const std::string& field : Fields(target)) {
    if (Normalize(field) == normalized) return field;
  }
  for (const custom::FieldDef& def : defs) {
    if (Normalize(def.name) == normalized) return std::string(kCustomPrefix) + def.name;
  }
  for (const auto& [field, names] : Aliases()) {
    const auto& fields = Fields(target);
    if (std::find(fields.begin(), fields.end(), field) == fields.end()) continue;
    if (std::find(names.begin(), names.end(), normalized) != names.end()) return field;
  }
  return "";
}

std::vector<std::string> Codes(const std::string& cell) {
  std::vector<std::string> out;
  std::string code;
  for (char c : cell + ",") {
    if (c == ',' || c == ';') {
      if (!Trim(code).empty()) out.push_back(Trim(code));
      code.clear();
    } else {
      code += c;
    }
  }
  return out;
}

// The shared field (events/person_fields.h) named `field` in `f`, or nullptr.
std::string* SharedField(contact::Fields* f, const std::string& field) {
  for (std::size_t i = 0; i < kPersonFields.size(); ++i) {
    if (kPersonFields[i].name == field) return &(f->*kPersonFieldMembers<contact::Fields>[i]);
  }
  return nullptr;
}


std::optional<std::string> Given(const Row& row, const std::string& field, const std::string& value) {
  if (!row.given.count(field)) return std::nullopt;
  return value;
}

// The shared fields whose cell had a value.
contact::FieldPatch PatchOf(const Row& row) {
  contact::FieldPatch p;
  for (std::size_t i = 0; i < kPersonFields.size(); ++i) {
    p.*kPersonFieldMembers<contact::FieldPatch>[i] =
        Given(row, std::string(kPersonFields[i].name), row.f.*kPersonFieldMembers<contact::Fields>[i]);
  }
  return p;
}

}  // namespace

Result<Duplicates> ParseDuplicates(std::string_view text) {
  if (text == "skip") return Duplicates::kSkip;
  if (text == "overwrite") return Duplicates::kOverwrite;
  if (text == "create") return Duplicates::kCreate;
  return Status::InvalidArgument("--duplicates takes skip, overwrite or create, not '" + std::string(text) + "'");
}

const std::vector<std::string>& FieldNames(Target target) { return Fields(target); }

std::string FromDecimalComma(const std::string& cell) {
  std::string out;
  for (size_t i = 0; i < cell.size(); ++i) {
    const char c = cell[i];
    if (c == '.' || c == ' ' || c == '\'') continue;
    if (c == '\xC2' && i + 1 < cell.size() && cell[i + 1] == '\xA0') {
      ++i;
      continue;
    }
    out += c == ',' ? '.' : c;
  }
  return out;
}

Result<bool> YesNo(const std::string& cell, const std::string& field) {
  const std::string v = Normalize(cell);
  if (v == "yes" || v == "y" || v == "true" || v == "1" || v == "x") return true;
  if (v == "no" || v == "n" || v == "false" || v == "0") return false;
  return Status::InvalidArgument(field + " takes yes or no, not '" + cell + "'");
}

Status CheckCells(const Mapping& m, const std::vector<std::string>& cells) {
  if (cells.size() <= m.fields.size()) return Status::Ok();
  return Status::InvalidArgument("the row has " + std::to_string(cells.size()) + " cells, the header " +
                                 std::to_string(m.fields.size()) + " columns");
}

void ReadCustomCell(const Mapping& m, const std::string& field, const std::string& cell, custom::Values* values) {
  const std::string name = field.substr(kCustomPrefix.size());
  const auto def = m.custom.find(name);
  const bool number = def != m.custom.end() && def->second.type == fb::CustomFieldType::Number;
  (*values)[name] = number && m.decimal_comma ? FromDecimalComma(cell) : cell;
}

std::string CellAt(const Mapping& m, const std::vector<std::string>& cells, size_t i) {
  std::string cell = Trim(cells[i]);
  if (i < m.values.size() && !m.values[i].empty()) {
    if (auto to = m.values[i].find(Lower(cell)); to != m.values[i].end()) cell = to->second;
  }
  return cell;
}

Result<Mapping> MapColumns(Target target, const std::vector<std::string>& header,
                           const std::vector<std::string>& map_args, const std::vector<custom::FieldDef>& defs,
                           Profile profile, const std::vector<ValueMap>& value_maps) {
  Mapping m;
  m.profile = profile;
  m.companies = target == Target::kCompanies;
  m.source = std::string(ProfileSource(profile));
  m.fields.resize(header.size());
  m.values.resize(header.size());
  for (size_t i = 0; i < header.size(); ++i) {
    const std::string normalized = Normalize(header[i]);
    const std::string known = ProfileField(profile, target, normalized);
    if (known.empty()) {
      m.fields[i] = FieldFor(target, normalized, defs);
    } else if (known != kNoField) {
      m.fields[i] = known;
    } else {  // the profile's column with no field here: a custom field of its name, if defined
      for (const custom::FieldDef& def : defs) {
        if (Normalize(def.name) == normalized) m.fields[i] = std::string(kCustomPrefix) + def.name;
      }
    }
  }
  for (const ValueMap& v : value_maps) {
    bool found = false;
    for (size_t i = 0; i < header.size(); ++i) {
      if (Normalize(header[i]) != Normalize(v.column)) continue;
      m.values[i][Lower(v.from)] = v.to;
      found = true;
    }
    if (!found) return Status::InvalidArgument("--value-map: the file has no column '" + v.column + "'");
  }
  for (const std::string& arg : map_args) {
    const size_t eq = arg.rfind('=');
    if (eq == std::string::npos || eq == 0) {
      return Status::InvalidArgument("--map takes COLUMN=field, not '" + arg + "'");
    }
    const std::string column = Trim(arg.substr(0, eq));
    std::string field = Trim(arg.substr(eq + 1));
    const auto& fields = Fields(target);
    auto custom_def = std::find_if(defs.begin(), defs.end(),
                                   [&](const custom::FieldDef& d) { return EqualsIgnoreCase(d.name, field); });
    if (custom_def != defs.end() && std::find(fields.begin(), fields.end(), field) == fields.end()) {
      field = std::string(kCustomPrefix) + custom_def->name;
    } else if (!field.empty() && std::find(fields.begin(), fields.end(), field) == fields.end()) {
      std::string known;
      for (const auto& f : fields) known += (known.empty() ? "" : ", ") + f;
      for (const auto& d : defs) known += ", " + d.name;
      return Status::InvalidArgument("--map " + arg + ": no field '" + field + "' (fields: " + known + ")");
    }
    bool found = false;
    for (size_t i = 0; i < header.size(); ++i) {
      if (Trim(header[i]) != column && Normalize(header[i]) != Normalize(column)) continue;
      m.fields[i] = field;
      found = true;
    }
    if (!found) return Status::InvalidArgument("--map " + arg + ": the file has no column '" + column + "'");
  }
  std::map<std::string, size_t> taken;
  for (size_t i = 0; i < header.size(); ++i) {
    if (m.fields[i].empty()) {
      m.ignored.push_back(header[i]);
      continue;
    }
    if (m.fields[i] == "owner") m.owner_column = true;
    if (m.fields[i] == "company") m.company_column = true;
    if (m.fields[i].starts_with(kCustomPrefix)) {
      const std::string name = m.fields[i].substr(kCustomPrefix.size());
      for (const auto& d : defs) {
        if (d.name == name) m.custom[name] = d;
      }
    }
    auto [at, fresh] = taken.emplace(m.fields[i], i);
    if (!fresh) {
      const std::string_view field = m.fields[i].starts_with(kCustomPrefix)
                                         ? std::string_view(m.fields[i]).substr(kCustomPrefix.size())
                                         : std::string_view(m.fields[i]);
      return Status::InvalidArgument("columns '" + header[at->second] + "' and '" + header[i] + "' both fill " +
                                     std::string(field) + "; --map one of them to another field or to nothing ('" +
                                     header[i] + "=')");
    }
  }
  if (target == Target::kMembers) {  // the campaign: a column, or import members --campaign
    if (!taken.count("member") && !taken.count("contact") && !taken.count("lead")) {
      return Status::InvalidArgument("no column gives the member (ContactId, LeadId; or --map COLUMN=member)");
    }
    return m;
  }
  if (!taken.count("name") && !taken.count("first_name") && !taken.count("last_name")) {
    return Status::InvalidArgument("no column gives the name (a column 'name', or 'first_name' and 'last_name'; "
                                   "or --map COLUMN=name)");
  }
  return m;
}

Result<Row> ReadRow(const Mapping& m, const std::vector<std::string>& cells) {
  CRM_RETURN_IF_ERROR(CheckCells(m, cells));
  Row row;
  if (m.companies) row.type = fb::ContactType::Company;
  std::string first, last;
  for (size_t i = 0; i < cells.size(); ++i) {
    const std::string& field = m.fields[i];
    const std::string cell = CellAt(m, cells, i);
    if (field.empty() || cell.empty()) continue;
    row.given.insert(field);
    if (std::string* shared = SharedField(&row.f, field)) *shared = cell;
    else if (field == "first_name") first = cell;
    else if (field == "last_name") last = cell;
    else if (field == "company") row.company = cell;
    else if (field == "company_name") row.company_name = cell;
    else if (field == "lead_status") row.lead_status = cell;
    else if (field == "lead_source") row.lead_source = cell;
    else if (field == "description") row.description = cell;
    else if (field == "job_responsibility") row.job_responsibilities = Codes(cell);
    else if (field == "business_relation") row.business_relations = Codes(cell);
    else if (field == "industry_group") row.industry_groups = Codes(cell);
    else if (field == "mailing_group") row.mailing_groups = Codes(cell);
    else if (field == "consent_reason") row.consent_reason = cell;
    else if (field == "owner") row.owner = cell;
    else if (field == "created_at") {
      CRM_ASSIGN_OR_RETURN(row.created_at, ParseSourceTime(cell, "created_at"));
    }
    else if (field.starts_with(kCustomPrefix)) {
      ReadCustomCell(m, field, cell, &row.custom);
    } else if (field == "type") {
      const std::string t = Normalize(cell);
      if (t != "person" && t != "company") return Status::InvalidArgument("type takes person or company, not '" + cell + "'");
      row.type = t == "company" ? fb::ContactType::Company : fb::ContactType::Person;
    } else if (field == "exclude_from_segment") {
      CRM_ASSIGN_OR_RETURN(row.exclude_from_segment, YesNo(cell, field));
    } else if (field == "opted_out") {
      CRM_ASSIGN_OR_RETURN(bool out, YesNo(cell, field));
      if (out) row.consent = fb::ConsentKind::OptOut;
    } else if (field == "consent") {
      const std::string v = Normalize(cell);
      if (v == "optedout" || v == "optout") row.consent = fb::ConsentKind::OptOut;
      else if (v == "optedin" || v == "optin") row.consent = fb::ConsentKind::OptIn;
      else return Status::InvalidArgument("consent takes opted-in or opted-out, not '" + cell + "'");
    }
  }
  if (row.f.source.empty() && !m.source.empty()) {
    row.f.source = m.source;
    row.given.insert("source");
  }
  if (row.f.name.empty() && (!first.empty() || !last.empty())) {
    row.f.name = Trim(first + " " + last);
    row.given.insert("name");
  }
  return row;
}

Owners OwnersOf(const catalog::State& catalog) {
  Owners out;
  for (const auto& [code, p] : catalog.salespeople) {
    out.emplace(Lower(Trim(p.name)), code);
    if (!p.email.empty()) out.emplace(Lower(p.email), code);
  }
  for (const auto& [code, p] : catalog.salespeople) out[Lower(code)] = code;
  return out;
}

Result<std::string> OwnerCode(const Owners& owners, const std::string& owner) {
  auto it = owners.find(Lower(Trim(owner)));
  if (it == owners.end()) {
    return Status::NotFound("owner '" + owner +
                            "' is no salesperson's code, name or email (crmctl salesperson add, or import "
                            "--create-missing)");
  }
  return it->second;
}

Status ResolveOwner(const Owners& owners, Row* row) {
  if (row->owner.empty()) return Status::Ok();
  CRM_ASSIGN_OR_RETURN(row->f.salesperson, OwnerCode(owners, row->owner));
  row->given.insert("salesperson");
  return Status::Ok();
}

contact::CreateContact ToCreateContact(const Row& row) {
  contact::CreateContact c;
  c.type = row.type;
  c.f = row.f;
  c.company = row.company;
  c.job_responsibilities = row.job_responsibilities;
  c.business_relations = row.business_relations;
  c.industry_groups = row.industry_groups;
  c.mailing_groups = row.mailing_groups;
  c.exclude_from_segment = row.exclude_from_segment;
  c.custom = row.custom;
  c.created_at = row.created_at;
  return c;
}

contact::ChangeContact ToChangeContact(const Row& row, const RecordNo& no) {
  contact::ChangeContact c;
  c.no = no;
  c.f = PatchOf(row);
  if (row.given.count("company")) c.company = row.company;
  if (row.given.count("job_responsibility")) c.job_responsibilities = row.job_responsibilities;
  if (row.given.count("business_relation")) c.business_relations = row.business_relations;
  if (row.given.count("industry_group")) c.industry_groups = row.industry_groups;
  if (row.given.count("mailing_group")) c.mailing_groups = row.mailing_groups;
  if (row.given.count("exclude_from_segment")) c.exclude_from_segment = row.exclude_from_segment;
  c.custom = row.custom;
  return c;
}

contact::CreateLead ToCreateLead(const Row& row) {
  contact::CreateLead c;
  c.f = row.f;
  c.company_name = row.company_name;
  c.lead_status = row.lead_status;
  c.lead_source = row.lead_source;
  c.description = row.description;
  c.custom = row.custom;
  c.created_at = row.created_at;
  return c;
}

contact::ChangeLead ToChangeLead(const Row& row, const RecordNo& no) {
  contact::ChangeLead c;
  c.no = no;
  c.f = PatchOf(row);
  if (row.given.count("company_name")) c.company_name = row.company_name;
  if (row.given.count("lead_status")) c.lead_status = row.lead_status;
  if (row.given.count("lead_source")) c.lead_source = row.lead_source;
  if (row.given.count("description")) c.description = row.description;
  c.custom = row.custom;
  return c;
}

std::string_view TargetName(Target target) {
  switch (target) {
    case Target::kContacts: return "contacts";
    case Target::kLeads: return "leads";
    case Target::kCompanies: return "companies";
    case Target::kCampaigns: return "campaigns";
    case Target::kMembers: return "members";
  }
  return "contacts";
}

std::string_view OutcomeName(Outcome outcome) {
  switch (outcome) {
    case Outcome::kCreated: return "created";
    case Outcome::kUpdated: return "updated";
    case Outcome::kUnchanged: return "unchanged";
    case Outcome::kSkipped: return "skipped";
    case Outcome::kFailed: return "failed";
    case Outcome::kEarlierRun: return "earlier-run";
  }
  return "failed";
}

}  // namespace crm::import
