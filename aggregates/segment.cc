#include "aggregates/segment.h"

#include <vector>

namespace crm::segment {
namespace {

Line LineOf(const fb::SegmentLineValues* v) {
  Line l;
  if (v == nullptr) return l;
  l.description = Str(v->description());
  l.correspondence = v->correspondence();
  l.campaign_target = v->campaign_target();
  l.language = Str(v->language());
  l.subject = Str(v->subject());
  l.evaluation = Str(v->evaluation());
  return l;
}

// A header change moves a line's fields that still carry the old default to the new one.
Line FollowDefaults(Line line, const Line& before, const Line& after) {
  if (line.description == before.description) line.description = after.description;
  if (line.correspondence == before.correspondence) line.correspondence = after.correspondence;
  if (line.campaign_target == before.campaign_target) line.campaign_target = after.campaign_target;
  if (line.language == before.language) line.language = after.language;
  if (line.subject == before.subject) line.subject = after.subject;
  return line;
}

template <typename Vec>
void ForEachId(const Vec* ids, const std::function<void(const RecordNo&)>& fn) {
  if (ids == nullptr) return;
  for (const auto* s : *ids) fn(NoOf(s));
}

StepInfo* Current(Header* h, uint32_t step) {
  for (StepInfo& s : h->steps) {
    if (s.number == step) return &s;
  }
  return nullptr;
}

void TakeStep(Header* h, LineStore* lines, const fb::SegmentStepTaken& e) {
  if (e.part() == 0) {
    // A new step: steps undone before it can no longer be redone.
    std::erase_if(h->steps, [&](const StepInfo& s) { return s.number > h->active; });
    std::vector<std::string> filter;
    if (e.filter() != nullptr) {
      for (const auto* f : *e.filter()) filter.push_back(Str(f));
    }
    h->steps.push_back({e.step(), e.kind(), Str(e.criteria()), Str(e.options()), std::move(filter), 0, 0, h->lines});
    h->active = e.step();
  }
  StepInfo* step = Current(h, e.step());
  if (step == nullptr) return;  // a part without its first: not written by this code
  ForEachId(e.removed(), [&](const RecordNo& id) {
    if (auto old = lines->Get(id)) {
      lines->Keep(e.step(), /*added=*/false, id, *old);
      lines->Erase(id);
      --h->lines;
      ++step->removed;
    }
  });
  const Line defaults = h->Defaults();
  ForEachId(e.added(), [&](const RecordNo& id) {
    if (auto old = lines->Get(id)) {
      // --allow-existing: the line starts again from the defaults; going back restores it.
      lines->Keep(e.step(), /*added=*/false, id, *old);
      --h->lines;
    }
    lines->Put(id, defaults);
    lines->Keep(e.step(), /*added=*/true, id, defaults);
    ++h->lines;
    ++step->added;
  });
  step->lines_after = h->lines;
}

// Going back takes out what the step added (remembering the lines as they are now, for a redo)
// and puts back what it removed; redoing does the reverse. Additions before removals going back,
// removals before additions going forward, so a line the step re-initialised ends as it was.
void Reverse(Header* h, LineStore* lines, uint32_t step, bool undo) {
  std::vector<std::pair<RecordNo, Line>> added, removed;
  lines->ForEachKept(step, [&](bool was_added, const RecordNo& id, const Line& v) {
    (was_added ? added : removed).emplace_back(id, v);
  });
  auto take_out = [&](const std::vector<std::pair<RecordNo, Line>>& which, bool as_added) {
    for (const auto& [id, kept] : which) {
      if (auto now = lines->Get(id)) {
        lines->Keep(step, as_added, id, *now);
        lines->Erase(id);
        --h->lines;
      }
    }
  };
  auto put_back = [&](const std::vector<std::pair<RecordNo, Line>>& which) {
    for (const auto& [id, kept] : which) {
      if (!lines->Get(id)) ++h->lines;
      lines->Put(id, kept);
    }
  };
  if (undo) {
    take_out(added, /*as_added=*/true);
    put_back(removed);
    h->active = step - 1;
  } else {
    take_out(removed, /*as_added=*/false);
    put_back(added);
    h->active = step;
  }
}

}  // namespace

Line Header::Defaults() const {
  Line l;
  l.description = description;
  l.correspondence = correspondence;
  l.campaign_target = campaign_target;
  l.language = language;
  l.subject = subject;
  return l;
}

std::optional<Line> MemoryLines::Get(const RecordNo& contact) {
  auto it = lines_.find(contact);
  if (it == lines_.end()) return std::nullopt;
  return it->second;
}

void MemoryLines::Keep(uint32_t step, bool added, const RecordNo& contact, const Line& values) {
  kept_[{step, added, contact}] = values;
}

void MemoryLines::ForEachKept(uint32_t step, const std::function<void(bool, const RecordNo&, const Line&)>& fn) {
  for (const auto& [key, values] : kept_) {
    if (std::get<0>(key) == step) fn(std::get<1>(key), std::get<2>(key), values);
  }
}

void Evolve(Header* h, LineStore* lines, const fb::Envelope& env) {
  Visit(OwnEvents{}, env,
        Overloaded{[&](const fb::SegmentCreated* e) {
                     *h = Header();
                     h->exists = true;
                     h->no = NoOf(e->no());
                     h->description = Str(e->description());
                     h->date = Str(e->date());
                   },
                   [&](const fb::SegmentHeaderChanged* e) {
                     const Line before = h->Defaults();
                     h->description = Str(e->description());
                     h->campaign = Str(e->campaign());
                     h->campaign_target = e->campaign_target();
                     h->campaign_response = e->campaign_response();
                     h->salesperson = Str(e->salesperson());
                     h->interaction_template = Str(e->interaction_template());
                     h->language = Str(e->language());
                     h->correspondence = e->correspondence();
                     h->subject = Str(e->subject());
                     h->attachment_name = Str(e->attachment_name());
                     h->attachment_sha256 = Str(e->attachment_sha256());
                     h->word_as_attachment = e->word_as_attachment();
                     h->date = Str(e->date());
                     h->unit_cost = Money(e->unit_cost());
                     h->unit_duration = e->unit_duration();
                     h->flow = e->information_flow();
                     h->initiated_by = e->initiated_by();
                     const Line after = h->Defaults();
                     ForEachId(e->lines_updated(), [&](const RecordNo& id) {
                       if (auto line = lines->Get(id)) lines->Put(id, FollowDefaults(*line, before, after));
                     });
                   },
                   [&](const fb::SegmentStepTaken* e) { TakeStep(h, lines, *e); },
                   [&](const fb::SegmentStepUndone* e) { Reverse(h, lines, e->step(), /*undo=*/true); },
                   [&](const fb::SegmentStepRedone* e) { Reverse(h, lines, e->step(), /*undo=*/false); },
                   [&](const fb::SegmentLogged* e) { h->logged_segment = Str(e->logged_segment()); },
                   [&](const fb::SegmentDeleted* e) { h->deleted = !e->restored(); },
                   [&](const fb::SegmentLineChanged* e) {
                     const RecordNo id = NoOf(e->contact());
                     if (lines->Get(id)) lines->Put(id, LineOf(e->values()));
                   }});
}

void Advance(Context* cx, const Events& events) {
  MemoryLines lines;
  for (auto& [id, line] : cx->lines) lines.Put(id, line);
  for (const NewEvent& e : events) {
    EnvelopeHeader header;
    header.stream = e.stream;
    const std::string record = EncodeEnvelope(header, e.payload, Hash{});
    Evolve(&cx->header, &lines, *fb::GetEnvelope(record.data()));
  }
  cx->lines = lines.lines();
}

std::string_view StepKindName(fb::SegmentStepKind kind) {
  switch (kind) {
    case fb::SegmentStepKind::AddContacts: return "add-contacts";
    case fb::SegmentStepKind::Reduce: return "reduce";
    case fb::SegmentStepKind::Refine: return "refine";
    case fb::SegmentStepKind::AddLines: return "add-line";
    case fb::SegmentStepKind::RemoveLines: return "remove-line";
    case fb::SegmentStepKind::ReuseCriteria: return "reuse-criteria";
    case fb::SegmentStepKind::ReuseSegment: return "reuse-segment";
  }
  return "step";
}

Result<std::string> ParseEvaluation(std::string_view text) {
  static const std::string_view kValues[] = {"", "very-positive", "positive", "neutral", "negative", "very-negative"};
  for (std::string_view v : kValues) {
    if (EqualsIgnoreCase(v, Trim(text))) return std::string(v);
  }
  return Status::FailedPrecondition(
      "evaluation must be very-positive, positive, neutral, negative or very-negative, not '" + std::string(text) +
      "'");
}

}  // namespace crm::segment
