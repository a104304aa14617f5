#include "events/owner.h"

namespace crm {

std::optional<Owner> OwnerOf(fb::Event type) {
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
      return Owner::kReference;
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
      return Owner::kCatalog;
    case fb::Event::UserAdded:
    case fb::Event::UserRoleChanged:
    case fb::Event::UserRemoved:
      return Owner::kAccess;
    case fb::Event::ContactCreated:
    case fb::Event::ContactChanged:
      return Owner::kContact;
    case fb::Event::LeadCreated:
    case fb::Event::LeadChanged:
    case fb::Event::LeadConverted:
      return Owner::kLead;
    case fb::Event::ConsentRecorded:
    case fb::Event::PersonalDataErased:
    case fb::Event::RecordRemoved:
      return Owner::kPerson;
    case fb::Event::CampaignCreated:
    case fb::Event::CampaignChanged:
      return Owner::kCampaign;
    case fb::Event::MemberAdded:
    case fb::Event::MemberRemoved:
    case fb::Event::MemberStatusUpdated:
    case fb::Event::MemberMoved:
      return Owner::kMembership;
    case fb::Event::SegmentCreated:
    case fb::Event::SegmentHeaderChanged:
    case fb::Event::SegmentStepTaken:
    case fb::Event::SegmentStepUndone:
    case fb::Event::SegmentStepRedone:
    case fb::Event::SegmentLineChanged:
    case fb::Event::SegmentLogged:
      return Owner::kSegment;
    case fb::Event::LoggedSegmentCreated:
    case fb::Event::InteractionLogged:
    case fb::Event::CampaignEntryLogged:
    case fb::Event::LoggedSegmentCanceled:
    case fb::Event::EntryCanceled:
    case fb::Event::EntryDeleted:
      return Owner::kLogging;
    case fb::Event::DeliveryAttempted:
    case fb::Event::DeliveryCompleted:
      return Owner::kDelivery;
    case fb::Event::OpportunityCreated:
    case fb::Event::OpportunityStageChanged:
    case fb::Event::OpportunityClosed:
      return Owner::kOpportunity;
  }
  return std::nullopt;  // a value outside the enum: a record the verifier would not pass
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
  }
  return "?";
}

}  // namespace crm
