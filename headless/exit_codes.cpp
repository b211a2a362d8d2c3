#include "headless/exit_codes.hpp"

#include "headless/args.hpp"
#include "runs/runner.hpp"

namespace kt::cli {

Failure failure_of(std::exception_ptr error) {
  try {
    std::rethrow_exception(error);
  } catch (const UsageError& e) {
    return {2, std::string("kubetwin: error: ") + e.what()};
  } catch (const runs::UnknownPolicy& e) {
    return {2, std::string("kubetwin: error: ") + e.what()};
  } catch (const std::exception& e) {
    return {3, std::string("kubetwin: internal error: ") + e.what()};
  } catch (...) {
    return {3, "kubetwin: internal error: unknown exception"};
  }
}

}  // namespace kt::cli
