// Keys of the read models (one grammar, used by the projector that writes and the queries that
// read). `K(no)` is SortKey(no): prefix + 8-byte big-endian counter.
//   reference  "state"                                   -> reference::State JSON
//              "catalog"                                 -> catalog::State JSON (templates, salespeople, teams)
//              'a' sha256 hex                            -> an attachment's content
//   campaigns  'c' K(campaign)                           -> campaign::State JSON
//              'p' K(parent) K(child)                    -> ""   (hierarchy)
//              'o' K(opportunity)                        -> opportunity row (projections/opportunity_rows.h)
//              'q' K(campaign) K(opportunity)            -> ""   (a campaign's opportunities)
//              'k' K(task), 'l' K(campaign) K(task)      -> tasks (projections/task_rows.h)
//              'g' K(campaign) K(contact)                -> ""   (an active campaign's target group)
//              'y' K(contact) K(campaign)                -> ""   (the campaigns targeting a contact)
//              's' K(campaign), 'x' K(campaign) K(contact) -> campaign statistics (projections/stats_rows.h)
//              'i' source '\0' source id '\0' K(campaign) -> ""   (campaigns by their id in the product
//                                                                 they were imported from: re-imports)
//   contacts   'c' K(contact or lead)                    -> ContactState / LeadState JSON
//              'e' lower(email) '\0' K(contact or lead)  -> ""   (duplicates by email)
//              'f' name '\0' K(company)                  -> ""   (companies by name: lead conversion,
//              'd' email domain '\0' K(company)          -> ""    in aggregates/lead.h's forms)
//              'i' source '\0' source id '\0' K(no)      -> ""   (records by their id in the product
//                                                                 they were imported from: re-imports)
//   roster     'm' K(campaign) K(member)                 -> membership row (projections/rows.h)
//              'n' K(campaign) status                    -> u64 BE members with that status
//              't' status                                -> u64 BE members with it, all campaigns
//              'h' K(campaign) K(member) seq(8 BE)       -> ""   (membership history)
//              'v' K(campaign)                           -> u64 BE memberships moved from converted leads
//              'w' K(campaign) K(contact)                -> the lead number its membership moved from
// A member's campaigns and the members with a status are answered from 'c' and 'm' rows (one
// point lookup per campaign, or a roster scan for the rare status replacement), not from extra
// indexes that every membership event would have to write.
//   proj_meta  "last_erasure"                            -> u64 BE the last PersonalDataErased record
//   proj_meta  "checkpoint"                              -> u64 BE last applied ledger seq
#pragma once

#include <string>
#include <string_view>

#include "events/ids.h"
#include "projections/rows.h"

namespace crm::keys {

inline std::string Campaign(const RecordNo& cp) { return "c" + SortKey(cp); }
inline std::string Child(const RecordNo& parent, const RecordNo& child) { return "p" + SortKey(parent) + SortKey(child); }
inline std::string Party(const RecordNo& no) { return "c" + SortKey(no); }
inline std::string Email(std::string_view lower_email, const RecordNo& no) {
  return "e" + std::string(lower_email) + '\0' + SortKey(no);
}
inline std::string SourceIds(std::string_view source, std::string_view id) {
  return "i" + std::string(source) + '\0' + std::string(id) + '\0';
}
inline std::string SourceId(std::string_view source, std::string_view id, const RecordNo& no) {
  return SourceIds(source, id) + SortKey(no);
}
inline std::string CompaniesNamed(std::string_view name_key) { return "f" + std::string(name_key) + '\0'; }
inline std::string CompanyName(std::string_view name_key, const RecordNo& company) {
  return CompaniesNamed(name_key) + SortKey(company);
}
inline std::string CompaniesAtDomain(std::string_view domain) { return "d" + std::string(domain) + '\0'; }
inline std::string CompanyDomain(std::string_view domain, const RecordNo& company) {
  return CompaniesAtDomain(domain) + SortKey(company);
}
inline std::string Member(const RecordNo& cp, const RecordNo& m) { return "m" + SortKey(cp) + SortKey(m); }
inline std::string Count(const RecordNo& cp, std::string_view status) { return "n" + SortKey(cp) + std::string(status); }
inline std::string Total(std::string_view status) { return "t" + std::string(status); }
inline std::string History(const RecordNo& cp, const RecordNo& m, uint64_t seq) {
  return "h" + SortKey(cp) + SortKey(m) + EncodeU64(seq);
}
inline std::string Opportunity(const RecordNo& op) { return "o" + SortKey(op); }
inline std::string CampaignTarget(const RecordNo& cp, const RecordNo& contact) {
  return "g" + SortKey(cp) + SortKey(contact);
}
inline std::string TargetedBy(const RecordNo& contact, const RecordNo& cp) {
  return "y" + SortKey(contact) + SortKey(cp);
}
inline std::string CampaignOpportunity(const RecordNo& cp, const RecordNo& op) {
  return "q" + SortKey(cp) + SortKey(op);
}
inline std::string Converted(const RecordNo& cp) { return "v" + SortKey(cp); }
inline std::string MovedFrom(const RecordNo& cp, const RecordNo& to) { return "w" + SortKey(cp) + SortKey(to); }
inline constexpr char kCheckpoint[] = "checkpoint";
// The last PersonalDataErased record: as-of snapshots taken before it hold erased data in the
// clear and are never read again.
inline constexpr char kLastErasure[] = "last_erasure";
inline constexpr char kReferenceState[] = "state";
inline constexpr char kCatalogState[] = "catalog";
inline constexpr char kUsersState[] = "users";
inline std::string Attachment(std::string_view sha256_hex) { return "a" + std::string(sha256_hex); }

}  // namespace crm::keys
