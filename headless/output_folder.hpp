#pragma once
// Writes a run's output folder atomically: files go into a hidden temporary sibling folder,
// which replaces the destination by rename only once every file is complete. An existing
// destination is replaced only if it looks like kubetwin output, so a mistyped --out never
// destroys a user's folder.

#include <string>

namespace kt::cli {

class OutputFolder {
 public:
  // Checks that `destination` may be written (before any simulation time is spent).
  // Throws UsageError when it exists and is not a kubetwin output folder.
  explicit OutputFolder(std::string destination);
  ~OutputFolder();  // removes the temporary folder if commit() was not reached
  OutputFolder(const OutputFolder&) = delete;
  OutputFolder& operator=(const OutputFolder&) = delete;

  void write(const std::string& name, const std::string& content);
  void commit();
  const std::string& destination() const { return destination_; }

 private:
  void create_temporary();  // lazily, so an interrupted simulation leaves nothing behind
  std::string destination_;
  std::string temporary_;
  bool committed_ = false;
};

}  // namespace kt::cli
