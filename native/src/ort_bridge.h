// Shared pieces of the ONNX Runtime bridge: the loaded library, a session's
// native state, and how an OrtStatus becomes a JS Error.
#pragma once
#include <napi.h>

#include <memory>
#include <string>
#include <vector>

#include "ort_api.h"

namespace faultsense {
namespace ort {

// An error taken out of an OrtStatus (which is released at once).
struct Failure {
  bool failed = false;
  int code = 0;
  std::string message;
};

// A dlopen'ed ONNX Runtime. Never dlclose'd and its environment is never
// released: both are process-wide and may be shared with onnxruntime-node.
struct LibraryCore {
  std::string path;
  std::string version;
  void* handle = nullptr;
  Functions fn{};
  bool hasPlugin = false;  // a version-22 table was available
  PluginFunctions plugin{};
  Env* env = nullptr;
  MemoryInfo* cpuMemory = nullptr;
  // The shared CPU arena registered in `env` (session config
  // "session.use_env_allocators" = "1" makes a session use it); "" while none.
  std::string sharedArena;

  // Turns a status into a Failure and releases it. Returns true on failure.
  bool Check(Status* st, Failure& out, const std::string& context) const;
};

struct TensorMeta {
  std::string name;
  int type = 0;  // 0 when the value is not a tensor (sequence, map)
  std::vector<int64_t> dims;
};

// A created session. Held through shared_ptr by the JS object and by every
// run in flight, so release() from JS only frees it after the last run ends.
struct SessionCore {
  std::shared_ptr<LibraryCore> lib;
  Session* session = nullptr;
  std::vector<TensorMeta> inputs;
  std::vector<TensorMeta> outputs;
  // Passed to every run (run config entries such as arena shrinkage); NULL: none.
  RunOptions* runOptions = nullptr;
  ~SessionCore();
};

// What a JS createSession() call asks for.
struct SessionRequest {
  bool fromBuffer = false;
  std::string path;
  std::vector<uint8_t> bytes;
  std::string ep;  // "" or "cpu": CPU only
  std::vector<std::string> optionKeys, optionValues;
  std::string pluginEp;  // use the plugin EP devices with this EP name
  std::vector<std::string> configKeys, configValues;
  int intraThreads = 0, interThreads = 0;
  int graphOptimization = 99;
  int logSeverity = 3;
  // -1: ONNX Runtime's default; 0 off / 1 on (executionMode: 0 sequential, 1 parallel).
  int cpuMemArena = -1, memPattern = -1, executionMode = -1;
  // Run config entries applied to every run of the session.
  std::vector<std::string> runConfigKeys, runConfigValues;
};

// Creates the session described by `req`; fills `out` or `fail`.
void CreateSessionBlocking(const std::shared_ptr<LibraryCore>& lib, const SessionRequest& req,
                           std::shared_ptr<SessionCore>& out, Failure& fail);

// A JS Error carrying ORT's message, its numeric `code` and `codeName`.
Napi::Error MakeError(Napi::Env env, const Failure& f);

// Wraps a SessionCore into a JS object (defined in ort_session.cc).
Napi::Object WrapSession(Napi::Env env, std::shared_ptr<SessionCore> core);
void InitSessionClass(Napi::Env env, Napi::Object exports);

}  // namespace ort
}  // namespace faultsense
