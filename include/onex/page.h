// Lists: which page a caller asks for, and one page of a list. Every list of the library pages
// with page_of, so paging is written once.
#pragma once

#include <algorithm>
#include <cstddef>
#include <utility>
#include <vector>

namespace onex {

// Which page of a list: 1-based page number, and how many items per page.
struct PageRequest {
  std::size_t page = 1;
  std::size_t page_size = 10;
};

// One page of a list and how many items the whole list has.
template <class T>
struct Page {
  std::vector<T> items;
  std::size_t total = 0;
};

// Page `p` of `all`, in `all`'s order (a page number or size of 0 counts as 1; a page past the
// end is empty; `total` is all.size()).
template <class T>
Page<T> page_of(std::vector<T> all, PageRequest p) {
  Page<T> out;
  out.total = all.size();
  const std::size_t size = std::max<std::size_t>(p.page_size, 1);
  const std::size_t first = (std::max<std::size_t>(p.page, 1) - 1) * size;
  for (std::size_t i = first; i < all.size() && i < first + size; ++i)
    out.items.push_back(std::move(all[i]));
  return out;
}

}  // namespace onex
