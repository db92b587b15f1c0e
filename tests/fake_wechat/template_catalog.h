// Which OA template_ids are category templates (they reject over-long field values with 47003
// instead of folding them). Seeded from --template-category, extended or replaced through
// POST /__fake/config. Thread-safety: all members are thread-safe.
#pragma once

#include <mutex>
#include <set>
#include <string>

namespace wxb::fake {

class TemplateCatalog {
 public:
  explicit TemplateCatalog(std::set<std::string> categoryIds)
      : categoryIds_(std::move(categoryIds)) {}

  bool isCategory(const std::string& templateId) const {
    std::lock_guard lock(mutex_);
    return categoryIds_.contains(templateId);
  }
  void replace(std::set<std::string> categoryIds) {
    std::lock_guard lock(mutex_);
    categoryIds_ = std::move(categoryIds);
  }
  std::set<std::string> categoryIds() const {
    std::lock_guard lock(mutex_);
    return categoryIds_;
  }

 private:
  mutable std::mutex mutex_;
  std::set<std::string> categoryIds_;
};

}  // namespace wxb::fake
