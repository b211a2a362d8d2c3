#pragma once
// Where the bundled data (data/prices, ...) is found at run time.

#include <string>

namespace kt::cli {

// The path of `name` under the bundled data folder: $KUBETWIN_DATA, else data/ beside the
// build tree the binary runs from (build/bin/../../data), else ../share/kubetwin beside an
// installed binary, else the source tree the binary was built from. "" when none exists.
std::string bundled_data_path(const std::string& name);

}  // namespace kt::cli
