#include "app/delivery_message.h"

#include "app/mail_merge.h"
#include "io/docx.h"

namespace crm {

using nlohmann::json;

namespace {

// The body of an email whose attachment cannot be merged (not text) or that has none.
constexpr const char* kCoverText =
    "Dear {{name}},\n\n{{subject}}\n\n{{#attachment}}Please find {{attachment}} attached.\n\n{{/attachment}}"
    "{{#salesperson_name}}{{salesperson_name}}\n{{/salesperson_name}}";

std::string Field(const json& row, const char* name) { return row.value(name, std::string()); }

Result<MergeFields> FieldsFor(const ComposeContext& cx, const json& entry, const json& contact) {
  MergeFields f;
  for (const char* name : {"name", "email", "phone", "address", "post_code", "city", "country", "language"}) {
    f[name] = Field(contact, name);
  }
  f["contact"] = Field(contact, "no");
  f["company_name"] = "";
  if (auto company = RecordNo::Parse(Field(entry, "company"), RecordKind::kContact); company.ok()) {
    CRM_ASSIGN_OR_RETURN(auto row, cx.rm->PartyJson(*company));
    if (row) f["company_name"] = Field(*row, "name");
  }
  for (const char* name : {"subject", "description", "entry", "logged_segment", "campaign", "salesperson"}) {
    f[name] = Field(entry, name);
  }
  f["date"] = Field(entry, "at").substr(0, 10);
  f["campaign_name"] = "";
  custom::Values campaign_custom;
  if (auto cp = RecordNo::Parse(f["campaign"], RecordKind::kCampaign); cp.ok()) {
    CRM_ASSIGN_OR_RETURN(auto c, cx.rm->Campaign(*cp));
    if (c) {
      f["campaign_name"] = c->name;
      campaign_custom = c->custom;
    }
  }
  f["salesperson_name"] = f["salesperson_email"] = "";
  for (const auto* people : {&cx.catalog->salespeople, &cx.catalog->deleted_salespeople}) {  // deleted since
    if (auto sp = people->find(f["salesperson"]); sp != people->end()) {
      f["salesperson_name"] = sp->second.name;
      f["salesperson_email"] = sp->second.email;
    }
  }
  f["attachment"] = entry.at("attachment").value("file_name", "");
  f["sender"] = cx.catalog->mail.from;
  // The contact's custom fields by their names, where no merge field above has the name; the
  // campaign's as campaign_NAME.
  if (auto custom = contact.find("custom"); custom != contact.end() && custom->is_object()) {
    for (const auto& [name, value] : custom->items()) f.emplace(name, value.get<std::string>());
  }
  for (const auto& [name, value] : campaign_custom) f.emplace("campaign_" + name, value);
  return f;
}

std::string AddressBlock(const MergeFields& f) {
  std::string out;
  auto line = [&](const std::string& text) {
    if (!Trim(text).empty()) out += Trim(text) + "\n";
  };
  line(f.at("name"));
  line(f.at("company_name"));
  line(f.at("address"));
  line(Trim(f.at("post_code") + " " + f.at("city")));
  line(f.at("country"));
  return out;
}

}  // namespace

Result<Composed> Compose(const ComposeContext& cx, const json& entry) {
  Composed w;
  CRM_ASSIGN_OR_RETURN(w.entry, RecordNo::Parse(Field(entry, "entry"), RecordKind::kInteraction));
  const json& d = entry.at("delivery");
  w.unknown = d.value("stage", "") == "in progress";
  w.attempts = d.value("attempts", 0);
  w.failed_before = d.value("stage", "") == "failed";
  w.last_reason = d.value("reason", "");
  // An entry keeps its first Message-ID, even if the sender's address changed since.
  const std::string& from = cx.catalog->mail.from;
  w.mail.message_id = d.value("message_id", "");
  if (w.mail.message_id.empty()) {
    w.mail.message_id = w.entry.ToString() + "." + cx.token + "@" + from.substr(from.find('@') + 1);
  }
  CRM_ASSIGN_OR_RETURN(RecordNo contact_no, RecordNo::Parse(Field(entry, "contact"), RecordKind::kContact));
  w.contact = contact_no;
  CRM_ASSIGN_OR_RETURN(auto contact, cx.rm->PartyJson(contact_no));
  delivery::Recipient recipient;
  recipient.contact = contact_no;
  recipient.exists = contact.has_value();
  if (contact) {
    recipient.email = Field(*contact, "email");
    recipient.bounced = contact->value("bounced", false);
    recipient.opted_out = contact->value("opted_out", false);
    recipient.erased = contact->value("erased", false);
  }
  CRM_ASSIGN_OR_RETURN(fb::Correspondence correspondence, catalog::ParseCorrespondence(Field(entry, "correspondence")));
  const delivery::Route route = delivery::RouteFor(correspondence, recipient, cx.include_opted_out);
  w.channel = route.channel;
  if (!route.refusal.empty()) {
    w.problem = route.refusal;
    return w;
  }
  const std::string email = recipient.email;
  CRM_ASSIGN_OR_RETURN(MergeFields fields, FieldsFor(cx, entry, *contact));

  // The document: the entry's attachment, merged when it is text.
  const std::string file_name = entry.at("attachment").value("file_name", "");
  const std::string sha = entry.at("attachment").value("sha256", "");
  std::optional<std::string> content;
  if (!sha.empty()) {
    CRM_ASSIGN_OR_RETURN(content, cx.rm->AttachmentContent(sha));
    if (!content) {
      w.problem = "the attachment " + file_name + " (" + sha + ") is missing from the read models";
      return w;
    }
  }
  const bool text = content && IsTextDocument(*content);
  const bool html = text && IsHtmlName(file_name);
  // A Word document is merged as a document (io/docx.h): the letter is the merged .docx itself;
  // an email carries it merged under the cover text when the segment says so, else its text is
  // the email's body (Business Central's "Send Word Docs. as Attmt.").
  const bool word = content && !text && io::IsDocxName(file_name);
  if (word) {
    auto docx = io::MergeDocx(*content, fields);
    if (!docx.ok()) {
      w.problem = "cannot merge " + file_name + ": " + docx.status().message();
      return w;
    }
    content = std::move(*docx);
  }
  auto merged = Merge(text ? std::string_view(*content) : std::string_view(kCoverText), fields, html);
  if (!merged.ok()) {
    w.problem = "cannot merge " + (text ? file_name : std::string("the cover text")) + ": " + merged.status().message();
    return w;
  }
  std::optional<MailAttachment> attachment;
  if (content) {
    attachment = MailAttachment{file_name, ContentTypeFor(file_name, text), text ? *merged : *content};
  }

  const std::string base = w.entry.ToString() + "-" + contact_no.ToString();
  if (w.channel == fb::DeliveryChannel::Email) {
    w.mail.from = from;
    w.mail.to = email;
    w.mail.to_name = fields["name"];
    w.mail.subject = fields["subject"];
    w.mail.body = *merged;
    w.mail.html = html;
    w.mail.attachment = attachment;  // a merged text document is the body and the attached file
    if (word && !cx.word_as_attachment) {
      auto body = io::DocxText(*content);
      if (!body.ok()) {
        w.problem = "cannot read the text of " + file_name + ": " + body.status().message();
        return w;
      }
      w.mail.body = std::move(*body);
      w.mail.attachment.reset();
    }
    return w;
  }
  const std::string dir = Field(entry, "logged_segment") + "/";
  if (html) {
    w.letter_path = dir + base + ".html";
    w.letter = *merged;
  } else if (word) {
    w.letter_path = dir + base + ".docx";
    w.letter = *content;
  } else {
    w.letter_path = dir + base + ".txt";
    w.letter = AddressBlock(fields) + "\n" + fields["date"] + "\n\n" +
               (fields["subject"].empty() ? "" : fields["subject"] + "\n\n") + *merged;
    if (content && !text) {
      w.letter_attachment = MailAttachment{dir + base + "-" + file_name, attachment->content_type, *content};
    }
  }
  return w;
}

}  // namespace crm
