// The filter engine: `FIELD=EXPR` arguments (grammar in filter.h) parsed once into per-field
// expressions, then evaluated against many records.
//
// Parsed form: one FieldExpr per argument, an OR of terms, each term an AND of factors:
//   kEmpty  ''  <>''                       the raw value is (not) empty, whatever the field type
//   kMatch  A   <>A                        equality; on text and code fields '*' is a wildcard
//   kRange  <A <=A >A >=A A..B A.. ..B     bounds; '*' is an ordinary character here
// Literals are prepared at parse time (upper-cased when folding, dates and numbers turned into
// integer keys) so that Matches only reads and, apart from the record's own values, allocates
// nothing.
//
// Choices the grammar leaves open:
//  - Values are trimmed. Quote a value ('...') to keep outer spaces or to use | & ( ) ; .. or a
//    leading operator character. Quotes do not disable '*', so Canonical() may always quote.
//  - A multi-valued field matches when ONE of its values satisfies the whole expression (SPEC §3):
//    `A&B` needs a value that is both, and `<>A` holds when any value differs from A.
//  - A record value that is not of the field's type (an unset date is "") satisfies only '' and
//    <>''; every other factor, <>A included, is false for it, as with SQL NULL. `<>A|''` keeps
//    unset values.
//  - Yes/no fields take = and <> only: ordering booleans is more likely a typo than a wish.
//  - Numbers: exact decimals, at most 12 integer and 6 fraction digits.
#include "projections/filter.h"

#include "events/quote.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <utility>

#include "events/edit_distance.h"
#include "events/values.h"

namespace crm {
namespace {

constexpr int kNumberScale = 6;
// ParseFixed's overflow guard is sized for small scales; 10^12 * 10^6 still fits in int64.
constexpr int kNumberMaxIntDigits = 12;

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsDelimiter(char c) { return c == '|' || c == '&' || c == '(' || c == ')' || c == ';'; }
char Upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

std::string UpperCopy(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = Upper(c);
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

// Glob match with '*' for any run of characters; `pattern` is already upper-cased when `fold`.
// Greedy with one backtrack point: on a mismatch, the last '*' swallows one more character.
bool Glob(std::string_view pattern, std::string_view s, bool fold) {
  size_t p = 0, i = 0, star = std::string_view::npos, mark = 0;
  while (i < s.size()) {
    const char c = fold ? Upper(s[i]) : s[i];
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = i;
    } else if (p < pattern.size() && pattern[p] == c) {
      ++p;
      ++i;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      i = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

// Byte-wise three-way comparison of `s` against `literal` (already upper-cased when `fold`).
int Compare(std::string_view s, std::string_view literal, bool fold) {
  const size_t n = std::min(s.size(), literal.size());
  for (size_t i = 0; i < n; ++i) {
    const auto a = static_cast<unsigned char>(fold ? Upper(s[i]) : s[i]);
    const auto b = static_cast<unsigned char>(literal[i]);
    if (a != b) return a < b ? -1 : 1;
  }
  return s.size() < literal.size() ? -1 : s.size() > literal.size() ? 1 : 0;
}

std::optional<int64_t> ParseBool(std::string_view s) {
  for (std::string_view yes : {"yes", "true", "1"}) {
    if (EqualsIgnoreCase(s, yes)) return 1;
  }
  for (std::string_view no : {"no", "false", "0"}) {
    if (EqualsIgnoreCase(s, no)) return 0;
  }
  return std::nullopt;
}

// Cheap shape check run before ParseFixed: caps the integer digits (see kNumberMaxIntDigits) and
// turns away most non-numbers without building an error Status for every record.
bool NumberShaped(std::string_view s) {
  size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  while (i < s.size() && s[i] == '0') ++i;
  int int_digits = 0;
  for (; i < s.size() && s[i] != '.'; ++i) {
    if (!IsDigit(s[i]) || ++int_digits > kNumberMaxIntDigits) return false;
  }
  for (; i < s.size(); ++i) {
    if (!IsDigit(s[i]) && s[i] != '.') return false;
  }
  return !s.empty();
}

bool IsTextual(FieldType type) { return type == FieldType::kText || type == FieldType::kCode; }

// The comparison key of a record value of a typed field, or nullopt if it is not of that type.
std::optional<int64_t> RecordKey(FieldType type, std::string_view v) {
  switch (type) {
    case FieldType::kText:
    case FieldType::kCode:
      return std::nullopt;
    case FieldType::kDate: {
      if (v.size() != 10) return std::nullopt;
      auto date = ParseDate(v);
      return date.ok() ? std::optional<int64_t>(date->value()) : std::nullopt;
    }
    case FieldType::kNumber: {
      if (!NumberShaped(v)) return std::nullopt;
      auto number = ParseFixed(v, kNumberScale, "number");
      return number.ok() ? std::optional<int64_t>(*number) : std::nullopt;
    }
    case FieldType::kBool:
      // A flag a record does not carry (a JSON row writes `erased`, `deleted` only when set) is no.
      return v.empty() ? std::optional<int64_t>(0) : ParseBool(v);
  }
  return std::nullopt;
}

// The key of a literal in an EXPR; the error text is completed with the position by the caller.
Result<int64_t> LiteralKey(FieldType type, std::string_view text) {
  switch (type) {
    case FieldType::kText:
    case FieldType::kCode:
      return Status::Internal("text literals have no key");
    case FieldType::kDate: {
      CRM_ASSIGN_OR_RETURN(Date date, ParseDate(text));
      return static_cast<int64_t>(date.value());
    }
    case FieldType::kNumber:
      if (!NumberShaped(text)) {
        return Status::InvalidArgument("'" + std::string(text) +
                                       "' is not a number (at most 12 integer and 6 fraction digits)");
      }
      return ParseFixed(text, kNumberScale, "number");
    case FieldType::kBool:
      if (auto b = ParseBool(text)) return *b;
      return Status::InvalidArgument("'" + std::string(text) + "' is not yes/no (yes, no, true, false, 1, 0)");
  }
  return Status::Internal("unknown field type");
}

// The 1-based character (not byte) position of `offset` in `s`, counting UTF-8 sequences once.
size_t CharPosition(std::string_view s, size_t offset) {
  size_t pos = 1;
  for (size_t i = 0; i < offset && i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) ++pos;
  }
  return pos;
}

// Canonical text of a value: bare when the parser would read it back unchanged, else quoted.
std::string Show(std::string_view v) {
  bool quote = v.empty() || IsSpace(v.front()) || IsSpace(v.back()) || v.back() == '.' ||
               std::string_view("<>=@'.").find(v.front()) != std::string_view::npos ||
               v.find("..") != std::string_view::npos;
  for (char c : v) quote = quote || IsDelimiter(c) || c == '\'';
  if (!quote) return std::string(v);
  std::string out = "'";
  for (char c : v) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

Status UnknownField(std::string_view name, const FieldSchema& schema) {
  std::string msg = "unknown filter field '" + std::string(name) + "'";
  const FieldDef* best = nullptr;
  size_t best_distance = 3;  // further than two edits is not a typo worth suggesting
  for (const FieldDef& def : schema.fields()) {
    const size_t d = EditDistance(name, def.name);
    if (d < best_distance && d < def.name.size()) {
      best = &def;
      best_distance = d;
    }
  }
  if (best != nullptr) return Status::InvalidArgument(msg + "; did you mean '" + best->name + "'?");
  msg += "; fields are: ";
  for (size_t i = 0; i < schema.fields().size(); ++i) msg += (i ? ", " : "") + schema.fields()[i].name;
  return Status::InvalidArgument(msg);
}

struct Bound {
  bool present = false;
  bool inclusive = true;
  std::string text;  // textual fields, upper-cased when folding
  int64_t key = 0;   // typed fields
};

struct Factor {
  enum class Kind { kEmpty, kMatch, kRange };
  Kind kind = Kind::kMatch;
  bool negate = false;  // kEmpty and kMatch: <>
  bool fold = false;    // compare upper-cased (code fields, '@')
  std::string pattern;  // kMatch on textual fields, upper-cased when folding
  std::string literal;  // kMatch without a wildcard: the value as typed (Filter::Literals)
  int64_t key = 0;      // kMatch on typed fields
  Bound lo, hi;         // kRange
};

using Term = std::vector<Factor>;  // all must hold

struct FieldExpr {
  int field = -1;
  FieldType type = FieldType::kText;
  std::string name;         // as in the schema
  std::string canonical;    // normalized EXPR
  std::vector<Term> terms;  // any may hold
};

// Recursive descent over one EXPR; also builds its canonical text as it goes.
class ExprParser {
 public:
  ExprParser(const FieldDef& def, std::string_view expr) : def_(def), expr_(expr) {}

  Result<FieldExpr> Parse(int field) {
    FieldExpr out;
    out.field = field;
    out.type = def_.type;
    out.name = def_.name;
    while (true) {
      CRM_ASSIGN_OR_RETURN(Term term, ParseTerm());
      out.terms.push_back(std::move(term));
      SkipSpace();
      if (AtEnd()) break;
      if (!Take("|")) return Unexpected();
      canonical_ += '|';
    }
    out.canonical = std::move(canonical_);
    return out;
  }

 private:
  enum class Op { kEq, kNe, kLt, kLe, kGt, kGe, kRange };
  struct Value {
    std::string text;
    size_t at;  // byte offset in expr_
  };

  Result<Term> ParseTerm() {
    Term term;
    while (true) {
      CRM_ASSIGN_OR_RETURN(Factor factor, ParseFactor());
      term.push_back(std::move(factor));
      SkipSpace();
      if (!Take("&")) return term;
      canonical_ += '&';
    }
  }

  Result<Factor> ParseFactor() {
    SkipSpace();
    const bool at_sign = Take("@");
    SkipSpace();
    size_t op_at = pos_;
    Op op = Op::kEq;
    if (Take("<>")) op = Op::kNe;
    else if (Take("<=")) op = Op::kLe;
    else if (Take(">=")) op = Op::kGe;
    else if (Take("<")) op = Op::kLt;
    else if (Take(">")) op = Op::kGt;
    else if (Take("..")) op = Op::kRange;
    std::optional<Value> lo, hi;
    if (op == Op::kRange) {
      CRM_ASSIGN_OR_RETURN(hi, ParseValue());
    } else {
      CRM_ASSIGN_OR_RETURN(lo, ParseValue());
      SkipSpace();
      if (op == Op::kEq && Peek("..")) {
        op_at = pos_;
        Take("..");
        op = Op::kRange;
        SkipSpace();
        if (!AtEnd() && !IsDelimiter(expr_[pos_]) && !Peek("..")) {
          CRM_ASSIGN_OR_RETURN(hi, ParseValue());
        }
      }
    }
    return Build(at_sign, op, op_at, lo, hi);
  }

  // A quoted ('' inside = ') or bare value; bare values end at a delimiter or '..' and are trimmed.
  Result<Value> ParseValue() {
    SkipSpace();
    const size_t start = pos_;
    if (AtEnd()) return Error(prev_at_, "expected a value after '" + std::string(prev_) + "'");
    if (expr_[pos_] == '\'') {
      std::string text;
      for (++pos_;; ++pos_) {
        if (AtEnd()) return Error(start, "unterminated quote");
        if (expr_[pos_] == '\'') {
          if (pos_ + 1 >= expr_.size() || expr_[pos_ + 1] != '\'') break;
          ++pos_;
        }
        text += expr_[pos_];
      }
      ++pos_;
      return Value{std::move(text), start};
    }
    while (!AtEnd() && !IsDelimiter(expr_[pos_]) && !Peek("..")) ++pos_;
    const std::string_view text = Trim(expr_.substr(start, pos_ - start));
    if (text.empty()) return Unexpected();
    return Value{std::string(text), start};
  }

  Result<Factor> Build(bool at_sign, Op op, size_t op_at, const std::optional<Value>& lo,
                       const std::optional<Value>& hi) {
    Factor f;
    f.fold = at_sign || def_.type == FieldType::kCode;
    std::string canon = at_sign ? "@" : "";
    auto show = [&](const Value& v) { return Show(def_.type == FieldType::kCode ? UpperCopy(v.text) : v.text); };
    if (def_.type == FieldType::kBool && op != Op::kEq && op != Op::kNe) {
      return Error(op_at, "'" + std::string(OpText(op)) + "' does not apply to a yes/no field");
    }
    switch (op) {
      case Op::kEq:
      case Op::kNe:
        f.negate = op == Op::kNe;
        canon += std::string(OpText(op)) + show(*lo);
        if (lo->text.empty()) {
          f.kind = Factor::Kind::kEmpty;
        } else if (IsTextual(def_.type)) {
          f.pattern = f.fold ? UpperCopy(lo->text) : lo->text;
          if (lo->text.find('*') == std::string::npos) f.literal = lo->text;
        } else {
          CRM_ASSIGN_OR_RETURN(f.key, Key(*lo));
        }
        break;
      case Op::kLt:
      case Op::kLe:
      case Op::kGt:
      case Op::kGe: {
        f.kind = Factor::Kind::kRange;
        const bool below = op == Op::kLt || op == Op::kLe;
        CRM_ASSIGN_OR_RETURN(Bound bound, MakeBound(*lo, op == Op::kLe || op == Op::kGe, f.fold));
        (below ? f.hi : f.lo) = std::move(bound);
        canon += std::string(OpText(op)) + show(*lo);
        break;
      }
      case Op::kRange:
        f.kind = Factor::Kind::kRange;
        if (lo) {
          CRM_ASSIGN_OR_RETURN(f.lo, MakeBound(*lo, true, f.fold));
          canon += show(*lo);
        }
        canon += "..";
        if (hi) {
          CRM_ASSIGN_OR_RETURN(f.hi, MakeBound(*hi, true, f.fold));
          canon += show(*hi);
        }
        break;
    }
    canonical_ += canon;
    return f;
  }

  static std::string_view OpText(Op op) {
    switch (op) {
      case Op::kEq: return "";
      case Op::kNe: return "<>";
      case Op::kLt: return "<";
      case Op::kLe: return "<=";
      case Op::kGt: return ">";
      case Op::kGe: return ">=";
      case Op::kRange: return "..";
    }
    return "";
  }

  Result<Bound> MakeBound(const Value& v, bool inclusive, bool fold) {
    Bound b;
    b.present = true;
    b.inclusive = inclusive;
    if (IsTextual(def_.type)) {
      b.text = fold ? UpperCopy(v.text) : v.text;
    } else {
      CRM_ASSIGN_OR_RETURN(b.key, Key(v));
    }
    return b;
  }

  Result<int64_t> Key(const Value& v) {
    auto key = LiteralKey(def_.type, v.text);
    if (!key.ok()) return Error(v.at, key.status().message());
    return key;
  }

  Status Unexpected() const {
    size_t end = pos_ + 1;
    if (Peek("..")) {
      end = pos_ + 2;
    } else {
      while (end < expr_.size() && (static_cast<unsigned char>(expr_[end]) & 0xC0) == 0x80) ++end;
    }
    return Error(pos_, "unexpected '" + std::string(expr_.substr(pos_, end - pos_)) + "'");
  }

  Status Error(size_t at, std::string_view what) const {
    return Status::InvalidArgument("filter " + def_.name + ": " + std::string(what) + " at position " +
                                   std::to_string(CharPosition(expr_, at)) + " in '" + std::string(expr_) + "'");
  }

  bool AtEnd() const { return pos_ >= expr_.size(); }
  bool Peek(std::string_view token) const { return expr_.substr(pos_).starts_with(token); }
  void SkipSpace() {
    while (!AtEnd() && IsSpace(expr_[pos_])) ++pos_;
  }
  // Consumes `token` if it comes next, remembering it for "expected a value after ..." errors.
  bool Take(std::string_view token) {
    if (!Peek(token)) return false;
    prev_ = token;
    prev_at_ = pos_;
    pos_ += token.size();
    return true;
  }

  const FieldDef& def_;
  const std::string_view expr_;
  size_t pos_ = 0;
  std::string_view prev_ = "=";
  size_t prev_at_ = 0;
  std::string canonical_;
};

bool Holds(const Factor& f, bool textual, std::string_view v, std::optional<int64_t> key) {
  switch (f.kind) {
    case Factor::Kind::kEmpty:
      return v.empty() != f.negate;
    case Factor::Kind::kMatch:
      if (textual) return Glob(f.pattern, v, f.fold) != f.negate;
      return key && (*key == f.key) != f.negate;
    case Factor::Kind::kRange:
      if (textual) {
        if (f.lo.present) {
          const int c = Compare(v, f.lo.text, f.fold);
          if (c < 0 || (c == 0 && !f.lo.inclusive)) return false;
        }
        if (f.hi.present) {
          const int c = Compare(v, f.hi.text, f.fold);
          if (c > 0 || (c == 0 && !f.hi.inclusive)) return false;
        }
        return true;
      }
      if (!key) return false;
      if (f.lo.present && (*key < f.lo.key || (*key == f.lo.key && !f.lo.inclusive))) return false;
      if (f.hi.present && (*key > f.hi.key || (*key == f.hi.key && !f.hi.inclusive))) return false;
      return true;
  }
  return false;
}

bool MatchesValue(const FieldExpr& e, std::string_view v) {
  const bool textual = IsTextual(e.type);
  const std::optional<int64_t> key = textual ? std::nullopt : RecordKey(e.type, v);
  for (const Term& term : e.terms) {
    if (std::all_of(term.begin(), term.end(), [&](const Factor& f) { return Holds(f, textual, v, key); })) {
      return true;
    }
  }
  return false;
}

}  // namespace

struct Filter::Impl {
  std::vector<FieldExpr> exprs;  // all must hold
};

int FieldSchema::Find(std::string_view name) const {
  for (size_t i = 0; i < fields_.size(); ++i) {
    if (EqualsIgnoreCase(fields_[i].name, name)) return static_cast<int>(i);
  }
  return -1;
}

Filter::Filter() : impl_(std::make_unique<Impl>()) {}
Filter::~Filter() = default;
Filter::Filter(Filter&&) noexcept = default;
Filter& Filter::operator=(Filter&&) noexcept = default;

namespace {

// One FIELD=EXPR parsed; `custom` is searched after the schema. With `lenient`, a name found in
// neither passes unparsed (nullopt).
Result<std::optional<FieldExpr>> ParseArg(const std::string& arg, const FieldSchema& schema,
                                          const std::vector<FieldDef>& custom, bool lenient) {
  const size_t eq = arg.find('=');
  const std::string_view name = eq == std::string::npos ? "" : Trim(std::string_view(arg).substr(0, eq));
  if (name.empty()) return Status::InvalidArgument("filter '" + arg + "' is not FIELD=EXPR");
  auto find = [&](std::string_view n) -> std::pair<int, const FieldDef*> {
    if (const int field = schema.Find(n); field >= 0) return {field, &schema.fields()[static_cast<size_t>(field)]};
    for (const FieldDef& def : custom) {
      if (EqualsIgnoreCase(def.name, n)) return {-1, &def};
    }
    return {-1, nullptr};
  };
  const auto [field, def] = find(name);
  if (def == nullptr && name.size() > 1 && std::string_view("<>!").find(name.back()) != std::string_view::npos &&
      find(name.substr(0, name.size() - 1)).second != nullptr) {
    // created_at>=2027-01-01: the comparison belongs after the '='.
    const std::string_view field_name = name.substr(0, name.size() - 1);
    return Status::InvalidArgument("filter " + Quote(arg) + ": a comparison goes after '=': write " +
                                   std::string(field_name) + "=" + std::string(1, name.back()) +
                                   std::string(std::string_view(arg).substr(eq)));
  }
  if (def == nullptr && lenient) return std::optional<FieldExpr>();
  if (def == nullptr) {
    std::vector<FieldDef> all = schema.fields();
    all.insert(all.end(), custom.begin(), custom.end());
    return UnknownField(name, FieldSchema(std::move(all)));
  }
  const std::string_view expr = std::string_view(arg).substr(eq + 1);
  if (Trim(expr).empty()) {
    return Status::InvalidArgument("filter " + def->name + ": empty expression (write '' to match an empty value)");
  }
  CRM_ASSIGN_OR_RETURN(FieldExpr parsed, ExprParser(*def, expr).Parse(field));
  return std::optional<FieldExpr>(std::move(parsed));
}

}  // namespace

Result<Filter> Filter::Parse(const std::vector<std::string>& args, const FieldSchema& schema,
                             const std::vector<FieldDef>& custom) {
  Filter filter;
  for (const std::string& arg : args) {
    CRM_ASSIGN_OR_RETURN(std::optional<FieldExpr> parsed, ParseArg(arg, schema, custom, false));
    filter.impl_->exprs.push_back(std::move(*parsed));
  }
  return filter;
}

Status Filter::CheckSyntax(const std::vector<std::string>& args, const FieldSchema& schema) {
  for (const std::string& arg : args) CRM_RETURN_IF_ERROR(ParseArg(arg, schema, {}, true).status());
  return Status::Ok();
}

bool Filter::Matches(const FilterRecord& record) const {
  if (!impl_) return true;
  // Reused across calls so that roster-sized scans do not allocate a vector per record.
  thread_local std::vector<std::string> values;
  for (const FieldExpr& e : impl_->exprs) {
    values.clear();
    if (e.field >= 0) {
      record.Values(e.field, &values);
    } else {
      record.CustomValues(e.name, &values);
    }
    if (values.empty()) {
      if (!MatchesValue(e, "")) return false;
      continue;
    }
    if (std::none_of(values.begin(), values.end(),
                     [&](const std::string& v) { return MatchesValue(e, v); })) {
      return false;
    }
  }
  return true;
}

bool Filter::empty() const { return !impl_ || impl_->exprs.empty(); }

std::vector<int> Filter::Fields() const {
  std::vector<int> out;
  if (!impl_) return out;
  for (const FieldExpr& e : impl_->exprs) {
    if (e.field >= 0 && std::find(out.begin(), out.end(), e.field) == out.end()) out.push_back(e.field);
  }
  return out;
}

std::string Filter::Canonical() const {
  std::string out;
  for (const std::string& arg : CanonicalArgs()) out += (out.empty() ? "" : "; ") + arg;
  return out;
}

std::vector<std::string> Filter::Literals(std::string_view field) const {
  std::vector<std::string> out;
  if (!impl_) return out;
  for (const FieldExpr& e : impl_->exprs) {
    if (e.name != field) continue;
    for (const Term& term : e.terms) {
      for (const Factor& f : term) {
        if (f.kind == Factor::Kind::kMatch && !f.literal.empty()) out.push_back(f.literal);
      }
    }
  }
  return out;
}

bool Filter::Uses(std::string_view field) const {
  if (!impl_) return false;
  for (const FieldExpr& e : impl_->exprs) {
    if (e.name == field) return true;
  }
  return false;
}

std::vector<std::string> Filter::CanonicalArgs() const {
  std::vector<std::string> out;
  if (!impl_) return out;
  for (const FieldExpr& e : impl_->exprs) out.push_back(e.name + "=" + e.canonical);
  return out;
}

}  // namespace crm
