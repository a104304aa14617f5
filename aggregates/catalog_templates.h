// Interaction templates of the sales catalogue (SPEC §4.1), part of the catalog aggregate
// (catalog.h): what an interaction is (correspondence, cost, duration, direction) and the
// attachments sent with it. Commands AddTemplate and SetTemplate; their DecideOne and Fold are in
// catalog_templates.cc, reached through catalog.h's Decide and Evolve.
//
// Rules: the template code and the interaction group are codes (upper case, <= 20 chars); a
// template needs a description, a non-negative unit cost and duration, and at most one
// attachment per language (a later one replaces it; at most 1 MiB, its content carried by the
// event so the ledger alone reproduces every message; the same bytes under the same name for the
// same language again is a no-op). Adding a template that exists with the same definition is a
// no-op (a retry); with a different one it is refused (use `set`).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aggregates/common.h"

namespace crm::catalog {

inline constexpr size_t kMaxAttachmentBytes = 1 << 20;

// An attachment's file name and bytes as every attachment takes them (a template's, a segment's,
// a campaign's): the name trimmed, 1 to 200 characters, without '/'; the content 1 byte to 1 MiB.
// Returns the name.
Result<std::string> CheckAttachment(std::string_view file_name, std::string_view content);

struct Attachment {
  std::string language;  // "" = any language
  std::string file_name;
  std::string sha256;    // hex of the content (kept in the projections by hash)
  uint64_t size = 0;
};

struct TemplateDef {
  std::string code;
  std::string description;
  std::string group;
  fb::Correspondence correspondence = fb::Correspondence::Email;
  Money unit_cost;
  int32_t unit_duration = 0;  // minutes
  fb::InformationFlow flow = fb::InformationFlow::Outbound;
  fb::InitiatedBy initiated_by = fb::InitiatedBy::Us;
  bool campaign_target = false;
  bool campaign_response = false;
  std::string language;
  std::vector<Attachment> attachments;  // sorted by language

  // The attachment for `language`, else the one for any language; nullptr when none.
  const Attachment* AttachmentFor(std::string_view language) const;
};

// The fields a template command may set; unset optionals keep the current value (or the
// default for a new template).
struct TemplateFields {
  std::optional<std::string> description, group, language;
  std::optional<fb::Correspondence> correspondence;
  std::optional<Money> unit_cost;
  std::optional<int32_t> unit_duration;
  std::optional<fb::InformationFlow> flow;
  std::optional<fb::InitiatedBy> initiated_by;
  std::optional<bool> campaign_target, campaign_response;
};
struct NewAttachment {
  std::string language;
  std::string file_name;
  std::string content;
};
struct AddTemplate {
  std::string code;
  TemplateFields fields;
  std::optional<NewAttachment> attachment;
};
struct SetTemplate {
  std::string code;
  TemplateFields fields;
  std::optional<NewAttachment> attachment;
};

// "email" | "letter", "outbound" | "inbound", "us" | "them" (case-insensitive) and back.
Result<fb::Correspondence> ParseCorrespondence(std::string_view text);
std::string CorrespondenceName(fb::Correspondence c);
Result<fb::InformationFlow> ParseInformationFlow(std::string_view text);
std::string InformationFlowName(fb::InformationFlow f);
Result<fb::InitiatedBy> ParseInitiatedBy(std::string_view text);
std::string InitiatedByName(fb::InitiatedBy i);

}  // namespace crm::catalog
