#include "events/owner.h"

namespace crm {

std::optional<Route> RouteOf(fb::Event type) {
  switch (type) {
    case fb::Event::NONE:
      return std::nullopt;
    case fb::Event::DataSetInitialized:
    case fb::Event::CampaignStatusCodeAdded:
    case fb::Event::CampaignStatusCodeRemoved:
    case fb::Event::MemberStatusAdded:
    case fb::Event::MemberStatusChanged:
    case fb::Event::MemberStatusRemoved:
    case fb::Event::ProfileCodeAdded:
    case fb::Event::ProfileCodeRemoved:
    case fb::Event::LeadStatusAdded:
    case fb::Event::LeadStatusRemoved:
    case fb::Event::ViewSaved:
    case fb::Event::ViewRemoved:
    case fb::Event::CustomFieldAdded:
      return Route{Owner::kReference, {Reader::kReference}};
    case fb::Event::InteractionTemplateAdded:
    case fb::Event::InteractionTemplateChanged:
    case fb::Event::InteractionTemplateAttachmentSet:
    case fb::Event::SalespersonAdded:
    case fb::Event::SalespersonChanged:
    case fb::Event::TeamAdded:
    case fb::Event::TeamChanged:
    case fb::Event::SegmentCriteriaSaved:
    case fb::Event::MailSettingsSet:
    case fb::Event::SalesCycleAdded:
    case fb::Event::ActivityAdded:
    case fb::Event::CatalogEntryDeleted:
      return Route{Owner::kCatalog, {Reader::kCatalog}};
    case fb::Event::UserAdded:
    case fb::Event::UserRoleChanged:
    case fb::Event::UserRemoved:
      return Route{Owner::kAccess, {Reader::kUsers}};
    case fb::Event::ContactCreated:
    case fb::Event::ContactChanged:
      return Route{Owner::kContact, {Reader::kParties}, kPersonal};
    case fb::Event::LeadCreated:
    case fb::Event::LeadChanged:
      return Route{Owner::kLead, {Reader::kParties}, kPersonal};
    case fb::Event::LeadConverted:
      return Route{Owner::kLead, {Reader::kParties}};
    case fb::Event::ConsentRecorded:
      return Route{Owner::kPerson, {Reader::kParties}, kPersonal};
    case fb::Event::PersonalDataErased:
    case fb::Event::RecordRemoved:
    case fb::Event::RecordDeleted:
      return Route{Owner::kPerson, {Reader::kParties}};
    case fb::Event::CampaignCreated:
    case fb::Event::CampaignChanged:
    case fb::Event::CampaignAttachmentAdded:
    case fb::Event::CampaignAttachmentRemoved:
    case fb::Event::CampaignPriceSet:
    case fb::Event::CampaignPriceRemoved:
    case fb::Event::CampaignActivated:
    case fb::Event::CampaignDeactivated:
    case fb::Event::CampaignDeleted:
      return Route{Owner::kCampaign, {Reader::kCampaigns}};
    case fb::Event::MemberAdded:
    case fb::Event::MemberRemoved:
    case fb::Event::MemberStatusUpdated:
    case fb::Event::MemberMoved:
      return Route{Owner::kMembership, {Reader::kRoster}};
    case fb::Event::SegmentCreated:
    case fb::Event::SegmentHeaderChanged:
    case fb::Event::SegmentStepTaken:
    case fb::Event::SegmentStepUndone:
    case fb::Event::SegmentStepRedone:
    case fb::Event::SegmentLineChanged:
    case fb::Event::SegmentLogged:
    case fb::Event::SegmentDeleted:
      return Route{Owner::kSegment, {Reader::kSegments}};
    case fb::Event::LoggedSegmentCreated:
    case fb::Event::InteractionLogged:
    case fb::Event::CampaignEntryLogged:
    case fb::Event::LoggedSegmentCanceled:
    case fb::Event::EntryCanceled:
    case fb::Event::EntryDeleted:
      return Route{Owner::kLogging, {Reader::kInteractions}};
    case fb::Event::DeliveryAttempted:
    case fb::Event::DeliveryCompleted:
      return Route{Owner::kDelivery, {Reader::kInteractions}};
    case fb::Event::OpportunityCreated:
    case fb::Event::OpportunityStageChanged:
    case fb::Event::OpportunityClosed:
      return Route{Owner::kOpportunity, {Reader::kOpportunities}};
    case fb::Event::TaskCreated:
    case fb::Event::TaskChanged:
      return Route{Owner::kTask, {Reader::kTasks}};
  }
  return std::nullopt;  // a value outside the enum: a record the verifier would not pass
}

std::optional<Owner> OwnerOf(fb::Event type) {
  const std::optional<Route> route = RouteOf(type);
  if (!route) return std::nullopt;
  return route->owner;
}

std::string_view OwnerName(Owner owner) {
  switch (owner) {
    case Owner::kReference: return "reference";
    case Owner::kCatalog: return "catalog";
    case Owner::kAccess: return "access";
    case Owner::kContact: return "contact";
    case Owner::kLead: return "lead";
    case Owner::kPerson: return "person";
    case Owner::kCampaign: return "campaign";
    case Owner::kMembership: return "membership";
    case Owner::kSegment: return "segment";
    case Owner::kLogging: return "logging";
    case Owner::kDelivery: return "delivery";
    case Owner::kOpportunity: return "opportunity";
    case Owner::kTask: return "task";
  }
  return "?";
}

std::string_view ReaderName(Reader model) {
  switch (model) {
    case Reader::kReference: return "reference";
    case Reader::kCatalog: return "catalog";
    case Reader::kUsers: return "users";
    case Reader::kParties: return "contacts and leads";
    case Reader::kCampaigns: return "campaigns";
    case Reader::kOpportunities: return "opportunities";
    case Reader::kRoster: return "roster";
    case Reader::kSegments: return "segments";
    case Reader::kInteractions: return "interactions";
    case Reader::kTasks: return "tasks";
  }
  return "?";
}

}  // namespace crm
