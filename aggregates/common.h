// Shared pieces of every aggregate: what a command carries besides its own fields, text rules
// (codes, lengths, emails) and the event-making helper. Pure; no I/O.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "events/codec.h"
#include "events/event_list.h"
#include "events/ids.h"
#include "events/status.h"
#include "events/values.h"

namespace crm {

// Time and actor arrive with the command (STYLE rule 2): decisions never read a clock.
struct CommandContext {
  Actor actor;
  Timestamp now;
};

using Events = std::vector<NewEvent>;

template <typename T>
NewEvent MakeEvent(StreamId stream, T&& table) {
  NewEvent e{std::move(stream), {}};
  e.payload.Set(std::forward<T>(table));
  return e;
}

// Validators refuse with FailedPrecondition: a value a command carries is the rules' to refuse
// (exit 2), where an option the command line cannot parse is a usage error (InvalidArgument).
// A value of the command that a parser of values (a record number, a date) refuses is refused
// so too, with the parser's message.
template <typename T>
Result<T> RefuseUnparsed(Result<T> parsed) {
  if (parsed.ok()) return parsed;
  return Status::FailedPrecondition(parsed.status().message());
}

// Codes: 1 to 20 characters of A-Z 0-9 - _ . / + (after upper-casing).
Result<std::string> NormalizeCode(std::string_view text, std::string_view what);
std::string Upper(std::string_view s);
std::string Trim(std::string_view s);
// The fields of a CLI option written "A|B|C" (a sales cycle stage, an activity step), untrimmed.
std::vector<std::string_view> SplitBars(std::string_view text);
// The longest prefix of `s` of at most `max` bytes that does not cut a UTF-8 character.
std::string Utf8Prefix(std::string_view s, size_t max);

// Number of code points in well-formed UTF-8.
size_t CodePoints(std::string_view s);

// A required or optional free-text field: trimmed, well-formed UTF-8, no control characters, at
// most `max` characters (code points).
Result<std::string> CheckText(std::string_view text, std::string_view what, size_t max, bool required);
// The same for text that may run over several lines (a lead's description): line breaks are
// kept, as "\n" (CRLF and CR become LF), and tabs too; other control characters are refused.
Result<std::string> CheckLines(std::string_view text, std::string_view what, size_t max);
// RFC 5322 addr-spec, the practical subset: local@domain.tld; empty is allowed (no email).
Status CheckEmail(std::string_view email);
// Digits, spaces and + ( ) - . / only.
Status CheckPhone(std::string_view phone, std::string_view what = "phone");
// A time as other products export it (the source's created and modified times): a date, or a
// date and time with `T` or a space, minutes or seconds, a fraction, and `Z`, `UTC`, `+01:00`,
// `+0100`, `+01` or no zone (read as UTC: Salesforce's Data Loader writes UTC; a Zoho export is in
// the exporting user's zone, which the file does not say: docs/design.md). InvalidArgument naming
// `what` otherwise.
Result<Timestamp> ParseSourceTime(std::string_view text, std::string_view what);
// When a record was created: as its *Created event says (`source`: the source's time, an import),
// else the time the event was recorded.
inline Timestamp CreatedAt(int64_t source, Timestamp recorded) { return source != 0 ? Timestamp(source) : recorded; }
// A source id as it is kept: Salesforce writes an id in 15 characters (case matters) or 18 (the
// same, then a checksum of the case): one record either way, known by its 15. `source` lower-case.
std::string SourceIdAsKept(std::string_view source, std::string id);
// The product a record was imported from, its id there and when it last changed there, checked
// and made canonical in place (lower-case source; the id as kept; the time as FormatTimestamp
// writes it). InvalidArgument: an id without its source, a time that is none.
Status CheckSource(std::string* source, std::string* source_id, std::string* modified_at);

// The stream holding all reference data (statuses, codes, data-set settings).
StreamId ReferenceStream();

// Null-safe reads of event fields for Evolve, which never fails: an absent string is "", an
// unparsable record number is the invalid RecordNo().
std::string Str(const flatbuffers::String* s);
// A vector of strings of a table (empty when absent).
std::vector<std::string> Strs(const flatbuffers::Vector<flatbuffers::Offset<flatbuffers::String>>* v);
RecordNo NoOf(const flatbuffers::String* s);

}  // namespace crm
