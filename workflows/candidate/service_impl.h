// CandidateService's state and its command table, shared by its three parts: records
// (service.cpp), tables (sheet.cpp: template, import, export, batch update) and photos
// (photos.cpp, with the real-name check).
#pragma once

#include "candidate/decide.h"
#include "engine/records.h"

namespace onex {

struct CandidateService::Impl {
  EventStore& store;
  const Clock& clock;
  FileService& files;
  CandidateOptions options;
  engine::Engine<candidate::Workflow> candidates{store, clock};

  // The keyed hash of an ID number (BLAKE2b keyed with the store's secret): what the store's
  // claim and the events hold instead of it.
  std::string person_key(std::string_view id_number) const;
  // The candidate that holds a person, by the store's claim; "" when none does.
  std::string holder(std::string_view id_number) const;

  static Result<candidate::Facts> create_facts(Impl& env, const Caller&, const CandidateInput& in,
                                               const candidate::Machine&);
  static Result<candidate::Facts> edit_facts(Impl& env, const Caller&, const candidate::Edit& in,
                                             const candidate::Machine&);
  static inline const engine::Command<candidate::Workflow, Impl, CandidateInput, candidate::Facts> kCreate{
      .roles = {"leader", "staff"}, .facts = create_facts, .decide = candidate::decide_create};
  static inline const engine::Command<candidate::Workflow, Impl, candidate::Edit, candidate::Facts> kEdit{
      .id = [](const candidate::Edit& e) { return e.id; }, .facts = edit_facts, .decide = candidate::decide_edit};

  // Asks the verifier about the candidate's photo when it is unverified with one, and records
  // the answer (as `caller`). Best effort: the candidate stays unverified when it cannot.
  void check_identity(const Caller& caller, const std::string& id);
};

}  // namespace onex
