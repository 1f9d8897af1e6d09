// Session creation on a worker thread: session options, the execution
// provider (generic by name, a legacy export such as VSINPU, or plugin EP
// devices), then the model's input/output metadata.
#include <dlfcn.h>

#include <cstring>

#include "ort_bridge.h"

namespace faultsense {
namespace ort {

bool LibraryCore::Check(Status* st, Failure& out, const std::string& context) const {
  if (st == nullptr) return false;
  out.failed = true;
  out.code = fn.GetErrorCode(st);
  const char* msg = fn.GetErrorMessage(st);
  out.message = context.empty() ? std::string(msg ? msg : "") : context + ": " + (msg ? msg : "");
  fn.ReleaseStatus(st);
  return true;
}

SessionCore::~SessionCore() {
  if (!lib) return;
  if (session != nullptr) lib->fn.ReleaseSession(session);
  if (runOptions != nullptr) lib->fn.ReleaseRunOptions(runOptions);
}

namespace {

bool ReadMeta(const LibraryCore& lib, Session* s, bool input, std::vector<TensorMeta>& out, Failure& fail) {
  const Functions& f = lib.fn;
  size_t count = 0;
  if (lib.Check(input ? f.SessionGetInputCount(s, &count) : f.SessionGetOutputCount(s, &count), fail, "count")) {
    return false;
  }
  Allocator* alloc = nullptr;
  if (lib.Check(f.GetAllocatorWithDefaultOptions(&alloc), fail, "allocator")) return false;
  for (size_t i = 0; i < count; ++i) {
    TensorMeta meta;
    char* name = nullptr;
    if (lib.Check(input ? f.SessionGetInputName(s, i, alloc, &name) : f.SessionGetOutputName(s, i, alloc, &name),
                  fail, "name")) {
      return false;
    }
    meta.name = name;
    f.AllocatorFree(alloc, name);
    TypeInfo* ti = nullptr;
    if (lib.Check(input ? f.SessionGetInputTypeInfo(s, i, &ti) : f.SessionGetOutputTypeInfo(s, i, &ti), fail,
                  "type info")) {
      return false;
    }
    const TensorInfo* tensor = nullptr;
    f.CastTypeInfoToTensorInfo(ti, &tensor);
    if (tensor != nullptr) {
      size_t rank = 0;
      f.GetTensorElementType(tensor, &meta.type);
      f.GetDimensionsCount(tensor, &rank);
      meta.dims.resize(rank);
      if (rank > 0) f.GetDimensions(tensor, meta.dims.data(), rank);
    }
    f.ReleaseTypeInfo(ti);
    out.push_back(std::move(meta));
  }
  return true;
}

// Execution providers reached through an exported legacy function instead of
// the generic append (slot 216 does not know them).
bool AppendLegacy(const LibraryCore& lib, SessionOptions* so, const SessionRequest& req, bool& handled,
                  Failure& fail) {
  handled = false;
  std::string symbol;
  bool takesDevice = false;
  if (req.ep == "VSINPU") {
    symbol = "OrtSessionOptionsAppendExecutionProvider_VSINPU";
  } else if (req.ep == "CUDA") {
    symbol = "OrtSessionOptionsAppendExecutionProvider_CUDA";
    takesDevice = true;
  } else if (req.ep == "TensorRT" || req.ep == "Tensorrt") {
    symbol = "OrtSessionOptionsAppendExecutionProvider_Tensorrt";
    takesDevice = true;
  } else {
    return true;
  }
  handled = true;
  void* sym = dlsym(lib.handle, symbol.c_str());
  if (sym == nullptr) {
    fail.failed = true;
    fail.code = 9;  // NOT_IMPLEMENTED
    fail.message = req.ep + " execution provider is not in " + lib.path + " (it does not export " + symbol + ")";
    return false;
  }
  Status* st = nullptr;
  if (takesDevice) {
    int device = 0;
    for (size_t i = 0; i < req.optionKeys.size(); ++i) {
      if (req.optionKeys[i] == "device_id") device = std::atoi(req.optionValues[i].c_str());
    }
    Status* (*append)(SessionOptions*, int) = nullptr;
    std::memcpy(&append, &sym, sizeof(append));
    st = append(so, device);
  } else {
    Status* (*append)(SessionOptions*) = nullptr;
    std::memcpy(&append, &sym, sizeof(append));
    st = append(so);
  }
  return !lib.Check(st, fail, "appending " + req.ep);
}

bool AppendPlugin(const LibraryCore& lib, SessionOptions* so, const SessionRequest& req,
                  const std::vector<const char*>& keys, const std::vector<const char*>& values, Failure& fail) {
  if (!lib.hasPlugin) {
    fail.failed = true;
    fail.code = 9;
    fail.message = "plugin execution providers need ONNX Runtime API 22 (1.22+); " + lib.path + " is " + lib.version;
    return false;
  }
  const PluginFunctions& p = lib.plugin;
  const EpDevice* const* devices = nullptr;
  size_t count = 0;
  if (lib.Check(p.GetEpDevices(lib.env, &devices, &count), fail, "listing EP devices")) return false;
  std::vector<const EpDevice*> chosen;
  std::string seen;
  for (size_t i = 0; i < count; ++i) {
    const char* name = p.EpDevice_EpName(devices[i]);
    if (name != nullptr && req.pluginEp == name) chosen.push_back(devices[i]);
    if (!seen.empty()) seen += ", ";
    seen += name ? name : "?";
  }
  if (chosen.empty()) {
    fail.failed = true;
    fail.code = 11;  // EP_FAIL
    fail.message = "no EP device is named " + req.pluginEp + " (devices: " + (seen.empty() ? "none" : seen) + ")";
    return false;
  }
  return !lib.Check(p.SessionOptionsAppendExecutionProvider_V2(so, lib.env, chosen.data(), chosen.size(), keys.data(),
                                                             values.data(), keys.size()),
                    fail, "appending plugin EP " + req.pluginEp);
}

bool Configure(const LibraryCore& lib, SessionOptions* so, const SessionRequest& req, Failure& fail) {
  const Functions& f = lib.fn;
  if (lib.Check(f.SetSessionLogSeverityLevel(so, req.logSeverity), fail, "log level")) return false;
  if (lib.Check(f.SetSessionGraphOptimizationLevel(so, req.graphOptimization), fail, "optimization level")) {
    return false;
  }
  if (req.intraThreads > 0 && lib.Check(f.SetIntraOpNumThreads(so, req.intraThreads), fail, "threads")) return false;
  if (req.interThreads > 0 && lib.Check(f.SetInterOpNumThreads(so, req.interThreads), fail, "threads")) return false;
  if (req.cpuMemArena >= 0 &&
      lib.Check(req.cpuMemArena ? f.EnableCpuMemArena(so) : f.DisableCpuMemArena(so), fail, "CPU memory arena")) {
    return false;
  }
  if (req.memPattern >= 0 &&
      lib.Check(req.memPattern ? f.EnableMemPattern(so) : f.DisableMemPattern(so), fail, "memory pattern")) {
    return false;
  }
  if (req.executionMode >= 0 && lib.Check(f.SetSessionExecutionMode(so, req.executionMode), fail, "execution mode")) {
    return false;
  }
  for (size_t i = 0; i < req.configKeys.size(); ++i) {
    if (lib.Check(f.AddSessionConfigEntry(so, req.configKeys[i].c_str(), req.configValues[i].c_str()), fail,
                  "config entry " + req.configKeys[i])) {
      return false;
    }
  }
  std::vector<const char*> keys, values;
  for (size_t i = 0; i < req.optionKeys.size(); ++i) {
    keys.push_back(req.optionKeys[i].c_str());
    values.push_back(req.optionValues[i].c_str());
  }
  if (!req.pluginEp.empty()) return AppendPlugin(lib, so, req, keys, values, fail);
  if (req.ep.empty() || req.ep == "cpu" || req.ep == "CPU" || req.ep == "CPUExecutionProvider") return true;
  bool handled = false;
  if (!AppendLegacy(lib, so, req, handled, fail)) return false;
  if (handled) return true;
  return !lib.Check(
      f.SessionOptionsAppendExecutionProvider(so, req.ep.c_str(), keys.data(), values.data(), keys.size()), fail,
      "appending execution provider " + req.ep);
}

}  // namespace

void CreateSessionBlocking(const std::shared_ptr<LibraryCore>& lib, const SessionRequest& req,
                           std::shared_ptr<SessionCore>& out, Failure& fail) {
  const Functions& f = lib->fn;
  SessionOptions* so = nullptr;
  if (lib->Check(f.CreateSessionOptions(&so), fail, "session options")) return;
  Session* s = nullptr;
  if (Configure(*lib, so, req, fail)) {
    Status* st = req.fromBuffer ? f.CreateSessionFromArray(lib->env, req.bytes.data(), req.bytes.size(), so, &s)
                                : f.CreateSession(lib->env, req.path.c_str(), so, &s);
    lib->Check(st, fail, "");
  }
  f.ReleaseSessionOptions(so);
  if (fail.failed) return;
  auto core = std::make_shared<SessionCore>();
  core->lib = lib;
  core->session = s;
  if (!req.runConfigKeys.empty()) {
    if (lib->Check(f.CreateRunOptions(&core->runOptions), fail, "run options")) return;
    for (size_t i = 0; i < req.runConfigKeys.size(); ++i) {
      if (lib->Check(f.AddRunConfigEntry(core->runOptions, req.runConfigKeys[i].c_str(), req.runConfigValues[i].c_str()),
                     fail, "run config entry " + req.runConfigKeys[i])) {
        return;
      }
    }
  }
  if (!ReadMeta(*lib, s, true, core->inputs, fail) || !ReadMeta(*lib, s, false, core->outputs, fail)) return;
  out = std::move(core);
}

Napi::Error MakeError(Napi::Env env, const Failure& f) {
  Napi::Error e = Napi::Error::New(env, f.message);
  e.Set("code", Napi::Number::New(env, f.code));
  e.Set("codeName", Napi::String::New(env, f.code < 0 ? "BRIDGE_ERROR" : ErrorCodeName(f.code)));
  return e;
}

}  // namespace ort
}  // namespace faultsense
