// Import profiles: the column tables of each product's exports. Rules: import_profiles.h.
#include "aggregates/import_profiles.h"

#include <algorithm>
#include <cctype>
#include <map>

#include "aggregates/common.h"
#include "aggregates/import.h"

namespace crm::import {
namespace {

using Columns = std::map<std::string, std::string, std::less<>>;  // folded column -> field ("-": none)

// Zoho CRM's leads and contacts exports (Setup > Data Administration > Export).
const Columns& ZohoLeads() {
  static const Columns c = {
      {"recordid", "source_id"},  {"leadowner", "owner"},       {"company", "company_name"},
      {"firstname", "first_name"}, {"lastname", "last_name"},   {"email", "email"},
      {"phone", "phone"},         {"mobile", "mobile"},         {"leadsource", "lead_source"},
      {"leadstatus", "lead_status"}, {"emailoptout", "opted_out"}, {"street", "address"},
      {"city", "city"},           {"zipcode", "post_code"},     {"country", "country"},
      {"description", "description"}, {"designation", "-"},    {"state", "-"},
      {"industry", "-"},          {"noofemployees", "-"},       {"annualrevenue", "-"},
      {"rating", "-"},            {"skypeid", "-"},             {"secondaryemail", "-"},
      {"createdtime", "created_at"}, {"modifiedtime", "source_modified_at"},        {"fax", "-"},
      {"website", "-"}};
  return c;
}
const Columns& ZohoContacts() {
  static const Columns c = {
      {"recordid", "source_id"},   {"contactowner", "owner"},   {"firstname", "first_name"},
      {"lastname", "last_name"},   {"email", "email"},          {"phone", "phone"},
      {"mobile", "mobile"},        {"emailoptout", "opted_out"}, {"mailingstreet", "address"},
      {"mailingcity", "city"},     {"mailingzip", "post_code"}, {"mailingcountry", "country"},
      {"accountname", "company"},        {"leadsource", "-"},         {"title", "-"},
      {"department", "-"},         {"mailingstate", "-"},       {"description", "-"},
      {"createdtime", "created_at"}, {"modifiedtime", "source_modified_at"},       {"secondaryemail", "-"},
      {"dateofbirth", "-"},        {"assistant", "-"},          {"homephone", "-"},
      {"otherphone", "-"},         {"fax", "-"}};
  return c;
}
// Zoho CRM's accounts export: companies.
const Columns& ZohoAccounts() {
  static const Columns c = {
      {"recordid", "source_id"},      {"accountowner", "owner"},     {"accountname", "name"},
      {"phone", "phone"},             {"billingstreet", "address"},  {"billingcity", "city"},
      {"billingcode", "post_code"},   {"billingcountry", "country"}, {"createdtime", "created_at"},
      {"modifiedtime", "source_modified_at"}, {"billingstate", "-"},  {"shippingstreet", "-"},
      {"shippingcity", "-"},          {"shippingstate", "-"},        {"shippingcode", "-"},
      {"shippingcountry", "-"},       {"website", "-"},              {"accounttype", "-"},
      {"industry", "-"},              {"annualrevenue", "-"},        {"employees", "-"},
      {"rating", "-"},                {"accountnumber", "-"},        {"accountsite", "-"},
      {"parentaccount", "-"},         {"ownership", "-"},            {"tickersymbol", "-"},
      {"siccode", "-"},               {"fax", "-"},                  {"description", "-"}};
  return c;
}
// Salesforce Data Loader and report exports (API names; a report's labels as Zoho's are).
const Columns& SalesforceLeads() {
  static const Columns c = {
      {"id", "source_id"},          {"ownerid", "-"},             {"leadowner", "owner"},
      {"firstname", "first_name"},  {"lastname", "last_name"},    {"company", "company_name"},
      {"status", "lead_status"},    {"leadsource", "lead_source"}, {"hasoptedoutofemail", "opted_out"},
      {"email", "email"},           {"phone", "phone"},           {"mobilephone", "mobile"},
      {"street", "address"},        {"city", "city"},             {"postalcode", "post_code"},
      {"country", "country"},       {"description", "description"}, {"title", "-"},
      {"state", "-"},               {"industry", "-"},            {"rating", "-"},
      {"annualrevenue", "-"},       {"numberofemployees", "-"},   {"website", "-"},
      {"createddate", "created_at"}, {"lastmodifieddate", "source_modified_at"},    {"isconverted", "-"},
      {"salutation", "-"}};
  return c;
}
const Columns& SalesforceContacts() {
  static const Columns c = {
      {"id", "source_id"},             {"ownerid", "-"},              {"contactowner", "owner"},
      {"firstname", "first_name"},     {"lastname", "last_name"},     {"email", "email"},
      {"phone", "phone"},              {"mobilephone", "mobile"},     {"hasoptedoutofemail", "opted_out"},
      {"mailingstreet", "address"},    {"mailingcity", "city"},       {"mailingpostalcode", "post_code"},
      {"mailingcountry", "country"},   {"accountid", "company"},            {"title", "-"},
      {"department", "-"},             {"mailingstate", "-"},         {"leadsource", "-"},
      {"description", "-"},            {"createddate", "created_at"}, {"lastmodifieddate", "source_modified_at"},
      {"salutation", "-"},             {"birthdate", "-"}};
  return c;
}
const Columns& SalesforceAccounts() {
  static const Columns c = {
      {"id", "source_id"},             {"ownerid", "-"},               {"accountowner", "owner"},
      {"name", "name"},                {"accountname", "name"},        {"phone", "phone"},
      {"billingstreet", "address"},    {"billingcity", "city"},        {"billingpostalcode", "post_code"},
      {"billingcountry", "country"},   {"createddate", "created_at"},  {"lastmodifieddate", "source_modified_at"},
      {"billingstate", "-"},           {"shippingstreet", "-"},        {"shippingcity", "-"},
      {"shippingstate", "-"},          {"shippingpostalcode", "-"},    {"shippingcountry", "-"},
      {"type", "-"},                   {"industry", "-"},              {"annualrevenue", "-"},
      {"numberofemployees", "-"},      {"website", "-"},               {"accountnumber", "-"},
      {"parentid", "-"},               {"rating", "-"},                {"fax", "-"},
      {"description", "-"},            {"accountsource", "-"},         {"sic", "-"}};
  return c;
}
// Business Central's contact list exported to Excel (its captions).
const Columns& BusinessCentralContacts() {
  static const Columns c = {
      {"no", "source_id"},            {"name", "name"},             {"type", "type"},
      {"email", "email"},             {"phoneno", "phone"},         {"mobilephoneno", "mobile"},
      {"address", "address"},         {"postcode", "post_code"},    {"city", "city"},
      {"countryregioncode", "country"}, {"languagecode", "language"}, {"salespersoncode", "salesperson"},
      {"territorycode", "territory"}, {"companyno", "company"},           {"companyname", "-"},
      {"address2", "-"},              {"county", "-"},              {"searchname", "-"},
      {"faxno", "-"},                 {"homepage", "-"},            {"jobtitle", "-"},
      {"lastdatemodified", "source_modified_at"}};
  return c;
}

// Zoho CRM's campaigns export.
const Columns& ZohoCampaigns() {
  static const Columns c = {
      {"recordid", "source_id"},         {"campaignowner", "owner"},       {"campaignname", "name"},
      {"type", "type"},                  {"status", "status"},             {"startdate", "start_date"},
      {"enddate", "end_date"},           {"expectedrevenue", "expected_revenue"}, {"budgetedcost", "budgeted_cost"},
      {"actualcost", "actual_cost"},     {"numsent", "number_sent"},       {"description", "description"},
      {"createdtime", "created_at"},     {"modifiedtime", "source_modified_at"}, {"expectedresponse", "-"},
      {"createdby", "-"},                {"modifiedby", "-"},              {"tag", "-"},
      {"currency", "-"},                 {"exchangerate", "-"},            {"parentcampaign", "-"}};
  return c;
}
// Salesforce's Campaign and CampaignMember objects (Data Loader).
const Columns& SalesforceCampaigns() {
  static const Columns c = {
      {"id", "source_id"},               {"name", "name"},                 {"parentid", "parent"},
      {"type", "type"},                  {"status", "status"},             {"startdate", "start_date"},
      {"enddate", "end_date"},           {"expectedrevenue", "expected_revenue"}, {"budgetedcost", "budgeted_cost"},
      {"actualcost", "actual_cost"},     {"expectedresponse", "expected_response"}, {"numbersent", "number_sent"},
      {"description", "description"},    {"createddate", "created_at"},    {"lastmodifieddate", "source_modified_at"},
      {"ownerid", "-"},                  {"campaignowner", "owner"},       {"isactive", "-"},
      {"numberofleads", "-"},            {"numberofconvertedleads", "-"},  {"numberofcontacts", "-"},
      {"numberofresponses", "-"},        {"numberofopportunities", "-"},   {"numberofwonopportunities", "-"},
      {"amountallopportunities", "-"},   {"amountwonopportunities", "-"},  {"campaignmemberrecordtypeid", "-"},
      {"createdbyid", "-"},              {"lastmodifiedbyid", "-"}};
  return c;
}
const Columns& SalesforceMembers() {
  static const Columns c = {
      {"id", "-"},                       {"campaignid", "campaign"},       {"leadid", "lead"},
      {"contactid", "contact"},          {"status", "status"},             {"hasresponded", "responded"},
      {"firstrespondeddate", "responded_at"}, {"createddate", "-"},        {"lastmodifieddate", "-"},
      {"leadorcontactid", "member"},     {"type", "-"},                    {"firstname", "-"},
      {"lastname", "-"},                 {"email", "-"},                   {"companyoraccount", "-"},
      {"createdbyid", "-"},              {"lastmodifiedbyid", "-"}};
  return c;
}
// Business Central's campaign list exported to Excel.
const Columns& BusinessCentralCampaigns() {
  static const Columns c = {
      {"no", "source_id"},               {"description", "name"},          {"startingdate", "start_date"},
      {"endingdate", "end_date"},        {"salespersoncode", "salesperson"}, {"statuscode", "status"},
      {"lastdatemodified", "source_modified_at"}, {"activated", "-"},      {"globaldimension1code", "-"},
      {"globaldimension2code", "-"}};
  return c;
}

// The table of `profile`'s export of `target`, or null (then the columns map by their names).
const Columns* Table(Profile profile, Target target) {
  switch (profile) {
    case Profile::kNone: return nullptr;
    case Profile::kZoho:
      switch (target) {
        case Target::kContacts: return &ZohoContacts();
        case Target::kLeads: return &ZohoLeads();
        case Target::kCompanies: return &ZohoAccounts();
        case Target::kCampaigns: return &ZohoCampaigns();
        case Target::kMembers: return nullptr;  // Zoho exports no campaign members
      }
      return nullptr;
    case Profile::kSalesforce:
      switch (target) {
        case Target::kContacts: return &SalesforceContacts();
        case Target::kLeads: return &SalesforceLeads();
        case Target::kCompanies: return &SalesforceAccounts();
        case Target::kCampaigns: return &SalesforceCampaigns();
        case Target::kMembers: return &SalesforceMembers();
      }
      return nullptr;
    case Profile::kBusinessCentral:
      switch (target) {
        case Target::kContacts:
        case Target::kCompanies: return &BusinessCentralContacts();
        case Target::kLeads: return nullptr;  // BC has no leads
        case Target::kCampaigns: return &BusinessCentralCampaigns();
        case Target::kMembers: return nullptr;  // its segment lines are not campaign members
      }
      return nullptr;
  }
  return nullptr;
}

bool Has(const std::vector<std::string>& folded, std::string_view column) {
  return std::find(folded.begin(), folded.end(), column) != folded.end();
}

}  // namespace

std::string NormalizeHeader(std::string_view name) {
  std::string out;
  for (unsigned char c : name) {
    if (std::isalnum(c)) out += static_cast<char>(std::tolower(c));
  }
  return out;
}

Result<Profile> ParseProfile(std::string_view text) {
  const std::string t = Lower(Trim(text));
  if (t == "zoho") return Profile::kZoho;
  if (t == "salesforce") return Profile::kSalesforce;
  if (t == "bc" || t == "businesscentral" || t == "business-central") return Profile::kBusinessCentral;
  return Status::InvalidArgument("--from takes zoho, salesforce or bc, not '" + std::string(text) + "'");
}

std::string_view ProfileSource(Profile profile) {
  switch (profile) {
    case Profile::kNone: return "";
    case Profile::kZoho: return "zoho";
    case Profile::kSalesforce: return "salesforce";
    case Profile::kBusinessCentral: return "bc";
  }
  return "";
}

Profile DetectProfile(const std::vector<std::string>& header) {
  std::vector<std::string> folded;
  for (const std::string& h : header) folded.push_back(NormalizeHeader(h));
  if (Has(folded, "recordid") && (Has(folded, "leadowner") || Has(folded, "contactowner") || Has(folded, "accountowner") ||
                                  Has(folded, "campaignowner"))) {
    return Profile::kZoho;
  }
  if (Has(folded, "id") && (Has(folded, "ownerid") || Has(folded, "hasoptedoutofemail") || Has(folded, "campaignid"))) {
    return Profile::kSalesforce;
  }
  if (Has(folded, "no") && (Has(folded, "salespersoncode") || Has(folded, "territorycode") || Has(folded, "companyno") ||
                            Has(folded, "statuscode"))) {
    return Profile::kBusinessCentral;
  }
  return Profile::kNone;
}

std::string ProfileField(Profile profile, Target target, std::string_view normalized) {
  const Columns* columns = Table(profile, target);
  if (columns == nullptr) return "";
  auto it = columns->find(normalized);
  return it == columns->end() ? "" : it->second;
}

Result<ValueMap> ParseValueMap(std::string_view text) {
  const size_t colon = text.find(':');
  const size_t eq = text.find('=', colon == std::string_view::npos ? 0 : colon);
  if (colon == std::string_view::npos || eq == std::string_view::npos || Trim(text.substr(0, colon)).empty() ||
      Trim(text.substr(colon + 1, eq - colon - 1)).empty()) {
    return Status::InvalidArgument("--value-map takes COLUMN:FROM=TO (\"Lead Status:Not Contacted=New\"), not '" +
                                   std::string(text) + "'");
  }
  return ValueMap{Trim(text.substr(0, colon)), Trim(text.substr(colon + 1, eq - colon - 1)), Trim(text.substr(eq + 1))};
}

}  // namespace crm::import
